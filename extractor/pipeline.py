"""Compose the stages for one document: read → normalise → segment → extract → record.

No I/O beyond the reader call; :func:`process_source` is pure given a
:class:`SourceDoc`, so it is what tests and the batch runner call.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .extract.references import find_references
from .model import Metadata, Part, Record, Reference, Section, Signer, Source, Span, Warning
from .readers import read_any
from .readers.base import SourceDoc
from .segment.header import HeaderInfo, parse_header
from .segment.sections import SectionNode, build_sections, flatten
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


def process_source(src: SourceDoc, *, path: str, sha256: str) -> Result:
    """Run every stage on an already-read document."""
    doc = build_document(src)
    head = parse_header(doc)
    part_starts = [p.start for p in head.parts[1:] if p.kind != "appendix"]
    roots = build_sections(doc, part_starts, head.body_start)
    warnings = [Warning(code=c, message=m) for c, m in doc.warnings]
    if head.doc_type is None:
        warnings.append(Warning(code="NO_DOC_TYPE", message="no document type line or symbol found in the header"))
    if head.reference_code is None:
        warnings.append(Warning(code="NO_NUMBER", message="no 'Số:' line found in the header"))
    record = Record(
        source=Source(path=path, sha256=sha256, format=doc.format, pages=doc.pages, extractor_version=__version__),
        metadata=_metadata(doc, head),
        sections=[_section_model(n, doc) for n in roots],
        warnings=warnings,
    )
    _ = flatten
    return Result(record=record, text=doc.text, document=doc)


def process_file(path: Path, *, display_path: str | None = None) -> Result:
    """Read and process one file (raises ``ReaderError`` for unreadable input)."""
    data = path.read_bytes()
    src = read_any(path)
    return process_source(src, path=display_path or path.as_posix(), sha256=hashlib.sha256(data).hexdigest())
