"""Compose the stages for one document: read → normalise → segment → extract → record.

No I/O beyond the reader call; :func:`process_source` is pure given a
:class:`SourceDoc`, so it is what tests and the batch runner call.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import regex

from . import __version__
from .extract.deadlines import DeadlineContext
from .extract.events import event_date
from .extract.references import find_references
from .extract.task_common import AgencyRef, TaskCandidate, stable_id
from .extract.task_tables import tasks_from_tables
from .extract.tasks import tasks_from_prose
from .model import (
    Agency,
    Deadline,
    Event,
    Metadata,
    Part,
    Record,
    Reference,
    Section,
    Signer,
    Source,
    Span,
    TableRow,
    Task,
    Warning,
)
from .pipeline_extras import extract_extras
from .readers import read_any
from .readers.base import SourceDoc
from .segment.header import HeaderInfo, parse_header
from .segment.sections import SectionNode, build_sections, flatten, section_at
from .text.document import Document, build_document


@dataclass
class Result:
    """A record and the plain text its spans index."""

    record: Record
    text: str
    document: Document


def _section_model(node: SectionNode, doc: Document) -> Section:
    return Section(
        id=node.id,
        marker=node.marker,
        title=node.title,
        level=node.level,
        span=Span(start=node.start, end=node.end),
        page=node.page,
        children=[_section_model(c, doc) for c in node.children],
    )


def _metadata(doc: Document, head: HeaderInfo) -> Metadata:
    refs = [
        Reference(
            doc_type=r.doc_type,  # type: ignore[arg-type]
            reference_code=r.reference_code,
            date=r.date,
            issuer=r.issuer,
            text=doc.text[r.start:r.end],
            span=Span(start=r.start, end=r.end),
            page=doc.page_at(r.start),
        )
        for r in find_references(doc, head.reference_code)
    ]
    signer = None
    if head.signer_name or head.signer_position:
        signer = Signer(name=head.signer_name, position=head.signer_position, authority=head.signer_authority)
    return Metadata(
        doc_type=head.doc_type,  # type: ignore[arg-type]
        doc_type_label=head.doc_type_label,
        reference_code=head.reference_code,
        number=head.number,
        symbol=head.symbol,
        issuer=head.issuer,
        parent_issuer=head.parent_issuer,
        place=head.place,
        issued_date=head.issued_date,
        subject=head.subject,
        signer=signer,
        recipients=head.recipients,
        legal_bases=head.legal_bases,
        references=refs,
        parts=[
            Part(kind=p.kind, title=p.title, span=Span(start=p.start, end=p.end), page=doc.page_at(p.start))
            for p in head.parts
        ],
    )


def deadline_context(head: HeaderInfo, events: Sequence[Event] = ()) -> DeadlineContext:
    """Year-less deadlines take the plan's own year (the subject's "năm 2025"), else the issue year;
    deadlines relative to the meeting ("trước 03 ngày diễn ra Hội nghị") take the scheduled event's day."""
    issue = dt.date.fromisoformat(head.issued_date) if head.issued_date else None
    plan_year = None
    for text in [head.subject or ""] + [p.title or "" for p in head.parts]:
        years = regex.findall(r"(?<!\d)(20\d\d)(?!\d)", text)
        if years and not regex.search(r"giai đoạn|đến năm", text[: text.find(years[-1])][-25:], regex.IGNORECASE):
            plan_year = int(years[-1])
            break
    return DeadlineContext(plan_year=plan_year, issue_date=issue, event_date=event_date(events))


def _agency(a: AgencyRef) -> Agency:
    return Agency(name=a.name, text=a.text, kind=a.kind, span=Span(start=a.start, end=a.end), known=a.known)  # type: ignore[arg-type]


def _tasks(doc: Document, head: HeaderInfo, roots: list[SectionNode],
           events: Sequence[Event] = ()) -> tuple[list[Task], list[Warning]]:
    ctx = deadline_context(head, events)
    appendix_titles = [(p.start, p.label) for p in head.parts if p.kind == "appendix"]
    cands: list[TaskCandidate] = tasks_from_tables(doc, ctx, appendix_titles)
    prose = tasks_from_prose(doc, roots, head.body_start, len(doc.text), ctx, [p.start for p in head.parts])
    cands += prose
    flat = [n for n in flatten(roots) if not n.kind.startswith("bullet")]
    used: set[str] = set()
    tasks: list[Task] = []
    warnings: list[Warning] = []
    for c in sorted(cands, key=lambda c: c.start):
        sec = section_at(flat, c.start)
        dl = None
        if c.deadline is not None:
            d = c.deadline
            dl = Deadline(
                text=d.text, kind=d.kind, date=d.date.isoformat() if d.date else None,  # type: ignore[arg-type]
                start=d.start.isoformat() if d.start else None, end=d.end.isoformat() if d.end else None,
                recurrence=d.recurrence, condition=d.condition,
                span=Span(start=c.deadline_base + d.start_offset, end=c.deadline_base + d.end_offset),
            )
        anchor = f"{c.table}#{c.row}" if c.table else (sec.id if sec else "")
        row = TableRow(table=c.table, row=c.row or "") if c.table else None
        for a in c.lead + c.support:
            if not a.known:
                warnings.append(Warning(code="UNKNOWN_AGENCY", message=f"body not in the gazetteer: {a.text}",
                                        span=Span(start=a.start, end=a.end)))
        tasks.append(
            Task(
                id=stable_id(anchor, c.text, used), text=c.text, lead=[_agency(a) for a in c.lead],
                support=[_agency(a) for a in c.support], deadline=dl, deliverable=c.deliverable, group=c.group,
                section=sec.id if sec else None, table_row=row, span=Span(start=c.start, end=c.end),
                page=doc.page_at(c.start),
            )
        )
    return tasks, warnings


def process_source(src: SourceDoc, *, path: str, sha256: str) -> Result:
    """Run every stage on an already-read document."""
    doc = build_document(src)
    head = parse_header(doc)
    part_starts = [p.start for p in head.parts[1:] if p.kind != "appendix"]
    roots = build_sections(doc, part_starts, head.body_start)
    warnings = [Warning(code=c, message=m) for c, m in doc.warnings]
    extras = extract_extras(doc, head, roots)
    tasks, task_warnings = _tasks(doc, head, roots, extras.events)
    warnings += task_warnings
    warnings += extras.warnings
    if head.doc_type is None:
        warnings.append(Warning(code="NO_DOC_TYPE", message="no document type line or symbol found in the header"))
    if head.reference_code is None:
        warnings.append(Warning(code="NO_NUMBER", message="no 'Số:' line found in the header"))
    if head.signer_name is None and doc.format == "pdf-ocr":
        warnings.append(
            Warning(code="NO_SIGNER", message="no signer read from the scan (a seal over the signature can hide it)")
        )
    record = Record(
        source=Source(path=path, sha256=sha256, format=doc.format, pages=doc.pages, extractor_version=__version__),
        metadata=_metadata(doc, head),
        sections=[_section_model(n, doc) for n in roots],
        tasks=tasks,
        targets=extras.targets,
        attendees=extras.attendees,
        events=extras.events,
        warnings=warnings,
    )
    return Result(record=record, text=doc.text, document=doc)


def process_file(path: Path, *, display_path: str | None = None, ocr: str = "auto", ocr_workers: int = 1) -> Result:
    """Read and process one file (raises ``ReaderError`` for unreadable input)."""
    data = path.read_bytes()
    src = read_any(path, ocr=ocr, ocr_workers=ocr_workers)
    return process_source(src, path=display_path or path.as_posix(), sha256=hashlib.sha256(data).hexdigest())
