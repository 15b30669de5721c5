"""Pydantic records of the output contract (docs/CONTRACT.md, schema 1.0).

Field names are read by other systems: never rename or re-type them without
bumping :data:`SCHEMA_VERSION` and regenerating ``schemas/``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"

DocType = Literal[
    "KE_HOACH", "QUYET_DINH", "THONG_BAO", "CONG_VAN", "BAO_CAO", "TO_TRINH", "CHI_THI", "NGHI_QUYET", "OTHER"
]
DeadlineKind = Literal["by", "on", "range", "month", "quarter", "year", "recurring", "event", "continuous", "none"]
AgencyKind = Literal["agency", "group", "role"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Model):
    """Half-open character offsets into the record's plain text (``<name>.txt``)."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Source(_Model):
    path: str
    sha256: str
    format: str
    pages: int | None = None
    extractor_version: str


class Signer(_Model):
    name: str | None = None
    position: str | None = None
    authority: str | None = None


class Reference(_Model):
    doc_type: DocType
    reference_code: str
    date: str | None = None
    issuer: str | None = None
    text: str
    span: Span
    page: int | None = None


class Part(_Model):
    kind: str
    title: str | None = None
    span: Span
    page: int | None = None


class Metadata(_Model):
    doc_type: DocType | None = None
    doc_type_label: str | None = None
    reference_code: str | None = None
    number: str | None = None
    symbol: str | None = None
    issuer: str | None = None
    parent_issuer: str | None = None
    place: str | None = None
    issued_date: str | None = None
    subject: str | None = None
    signer: Signer | None = None
    recipients: list[str] = Field(default_factory=list)
    legal_bases: list[str] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    parts: list[Part] = Field(default_factory=list)


class Section(_Model):
    id: str
    marker: str
    title: str
    level: int
    span: Span
    page: int | None = None
    children: list[Section] = Field(default_factory=list)


class Agency(_Model):
    name: str
    text: str
    kind: AgencyKind
    span: Span | None = None
    known: bool = True


class Deadline(_Model):
    text: str
    kind: DeadlineKind
    date: str | None = None
    start: str | None = None
    end: str | None = None
    recurrence: str | None = None
    condition: str | None = None
    span: Span | None = None


class TableRow(_Model):
    table: str
    row: str


class Task(_Model):
    id: str
    text: str
    lead: list[Agency] = Field(default_factory=list)
    support: list[Agency] = Field(default_factory=list)
    deadline: Deadline | None = None
    deliverable: str | None = None
    group: str | None = None
    section: str | None = None
    table_row: TableRow | None = None
    span: Span
    page: int | None = None


class TargetValue(_Model):
    text: str
    number: float | None = None
    unit: str | None = None
    comparator: str | None = None


class Target(_Model):
    id: str
    indicator: str
    value: TargetValue
    year: int | None = None
    monitor: list[Agency] = Field(default_factory=list)
    implementers: list[Agency] = Field(default_factory=list)
    section: str | None = None
    table_row: TableRow | None = None
    span: Span
    page: int | None = None


class AttendeeRow(_Model):
    index: str | None = None
    unit: str
    count: int | None = None
    span: Span
    page: int | None = None


class AttendeeList(_Model):
    title: str | None = None
    rows: list[AttendeeRow] = Field(default_factory=list)
    stated_total: int | None = None
    computed_total: int | None = None
    span: Span | None = None


class AttendanceGroup(_Model):
    """Who attends an event, and how: ``Thành phần tham dự trực tiếp tại …`` / ``… trực tuyến tại …``."""

    label: str | None = None
    mode: Literal["in_person", "online", "hybrid"] | None = None
    venue: str | None = None
    members: list[str] = Field(default_factory=list)
    span: Span | None = None


class Event(_Model):
    title: str
    start: str | None = None
    end: str | None = None
    time_of_day: str | None = None
    venue: str | None = None
    mode: Literal["in_person", "online", "hybrid"] | None = None
    chair: str | None = None
    capacity: int | None = None
    expected_attendees: int | None = None
    groups: list[AttendanceGroup] = Field(default_factory=list)
    span: Span
    page: int | None = None


class Warning(_Model):
    code: str
    message: str
    span: Span | None = None


class Record(_Model):
    """One JSON record per input document."""

    schema_version: str = SCHEMA_VERSION
    source: Source
    metadata: Metadata
    sections: list[Section] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    attendees: list[AttendeeList] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    warnings: list[Warning] = Field(default_factory=list)


class ErrorRecord(_Model):
    """Written instead of a record when a document cannot be processed."""

    schema_version: str = SCHEMA_VERSION
    source: Source
    error: Warning
