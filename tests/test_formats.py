"""One document, many formats: the same record from .docx, a printed PDF, a scan and legacy fonts.

A short document with a task table is cut from a corpus text document
(``hcm_qd2820_bhkh_2025.md``: its letterhead and title, the decision's
articles and signature, and the appendix with the first rows of its task
table), written as ``.docx`` by ``scripts/make_fixtures.py`` (:func:`text_to_docx`),
printed to PDF by LibreOffice and rendered to a 300-dpi image-only PDF of
at most two pages for OCR.  The records must agree on metadata and tasks
(matched by soft text, leads and deadlines equal): ``scripts/check_formats.py``
compares them.

The TCVN3 and VNI variants of ``lamdong_tbkl_hn_cchc_22012026.docx`` (text,
Word and, with LibreOffice, PDF) must give the Unicode original's record:
metadata, section ids and titles, and tasks (text, leads, deadline).

LibreOffice-dependent tests skip without ``soffice``, OCR tests without
``tesseract`` or with ``EXTRACTOR_SKIP_OCR=1``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from extractor.model import Record
from extractor.pipeline import process_file
from extractor.readers import read_any
from extractor.readers.base import Block, SourceDoc

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import check_formats  # noqa: E402
import make_fixtures  # noqa: E402

DOCS = ROOT / "corpus" / "documents"
TASK_DOC = DOCS / "hcm_qd2820_bhkh_2025.md"
LEGACY_DOC = DOCS / "lamdong_tbkl_hn_cchc_22012026.docx"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
HAS_TESSERACT = shutil.which("tesseract") is not None
SKIP_OCR = os.environ.get("EXTRACTOR_SKIP_OCR") == "1"
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
needs_ocr = pytest.mark.skipif(
    not HAS_TESSERACT or SKIP_OCR, reason="tesseract is not installed or EXTRACTOR_SKIP_OCR=1"
)
TABLE_ROWS = 5  # header + group row + three task rows: the whole cut fits on two printed pages


def _key(block: Block) -> str:
    if block.kind == "para":
        return block.text
    return " ".join(c.text for row in block.rows for c in row)


def short_task_document(src: SourceDoc) -> SourceDoc:
    """Letterhead and title (up to the legal bases), the articles and signature, and the
    appendix with its task table cut to :data:`TABLE_ROWS` rows."""
    blocks = src.blocks
    keys = [_key(b) for b in blocks]
    bases = next(i for i, k in enumerate(keys) if "Căn cứ" in k)
    articles = next(i for i, k in enumerate(keys) if k.strip("* ").startswith("QUYẾT ĐỊNH:"))
    signature = next(i for i, k in enumerate(keys) if "Nơi nhận" in k)
    appendix = next(i for i, k in enumerate(keys) if k.strip("* ").startswith("PHỤ LỤC"))
    table = next(i for i in range(appendix, len(blocks)) if blocks[i].kind == "table")
    cut = blocks[table]
    short = Block(kind="table", rows=cut.rows[:TABLE_ROWS], page=cut.page, bbox=cut.bbox)
    chosen = blocks[:bases] + blocks[articles : signature + 1] + blocks[appendix:table] + [short]
    return SourceDoc(blocks=chosen, format=src.format, pages=src.pages)


def _soffice_pdfs(sources: list[Path], out_dir: Path) -> list[Path]:
    """Print several files to PDF in one LibreOffice run (its start-up is the slow part)."""
    assert SOFFICE is not None
    profile = out_dir / "lo-profile"
    cmd = [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}"]
    cmd += ["--convert-to", "pdf", "--outdir", str(out_dir), *map(str, sources)]
    subprocess.run(cmd, capture_output=True, timeout=240, check=True)
    targets = [out_dir / f"{s.stem}.pdf" for s in sources]
    assert all(t.exists() for t in targets)
    return targets


@dataclass
class Built:
    task_docx: Path
    legacy: dict[str, Path]  # "tcvn3-txt", "vni-docx", "unicode-txt" …
    task_pdf: Path | None = None
    legacy_pdfs: dict[str, Path] | None = None


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    work = tmp_path_factory.mktemp("formats")
    task_docx = make_fixtures.text_to_docx(short_task_document(read_any(TASK_DOC)), work / "task.docx")
    blocks = read_any(LEGACY_DOC).blocks
    legacy: dict[str, Path] = {"unicode-txt": make_fixtures.write_legacy_txt(blocks, work / "unicode.txt")}
    shown: dict[str, Path] = {}
    for enc, font in make_fixtures.LEGACY_FONTS.items():
        coded = make_fixtures._legacy_blocks(blocks, enc)
        legacy[f"{enc}-txt"] = make_fixtures.write_legacy_txt(coded, work / f"legacy_{enc}.txt")
        legacy[f"{enc}-docx"] = make_fixtures.write_legacy_docx(coded, work / f"legacy_{enc}.docx", font)
        # The printed copy shows TCVN3's ư (0xAD) as the glyph a PDF text layer calls U+2212.
        printable = make_fixtures._legacy_blocks(blocks, enc, soft_hyphen="\u2212")
        (work / "print").mkdir(exist_ok=True)
        shown[f"{enc}-pdf"] = make_fixtures.write_legacy_docx(printable, work / "print" / f"legacy_{enc}.docx", font)
    result = Built(task_docx, legacy)
    if SOFFICE is not None:
        pdfs = _soffice_pdfs([task_docx, *shown.values()], work)
        result.task_pdf = pdfs[0]
        result.legacy_pdfs = dict(zip(shown, pdfs[1:], strict=True))
    yield result


def _record(path: Path) -> Record:
    return process_file(path).record


@pytest.fixture(scope="module")
def docx_record(built: Built) -> Record:
    return _record(built.task_docx)


def _assert_same(base: Record, other: Record) -> None:
    cmp = check_formats.compare(base, other)
    assert cmp.equal, "\n".join(cmp.differences)


def test_short_document_has_a_task_table(docx_record: Record) -> None:
    meta = docx_record.metadata
    assert meta.reference_code == "2820/QĐ-UBND" and meta.issued_date == "2025-11-19"
    assert meta.signer is not None and meta.signer.name == "Nguyễn Lộc Hà"
    assert sum(1 for t in docx_record.tasks if t.table_row is not None) >= 3


@needs_soffice
def test_text_pdf_gives_the_docx_record(built: Built, docx_record: Record) -> None:
    assert built.task_pdf is not None
    rec = _record(built.task_pdf)
    assert rec.source.format == "pdf" and rec.source.pages is not None and rec.source.pages <= 2
    _assert_same(docx_record, rec)


@needs_soffice
@needs_ocr
def test_scan_gives_the_docx_record(built: Built, docx_record: Record, tmp_path: Path) -> None:
    assert built.task_pdf is not None
    scan = make_fixtures.image_pdf(built.task_pdf, tmp_path / "scan.pdf", 300)
    rec = _record(scan)
    assert rec.source.format == "pdf-ocr" and rec.source.pages is not None and rec.source.pages <= 2
    _assert_same(docx_record, rec)


# --- legacy fonts -----------------------------------------------------------------------------


def _flat_sections(sections: list[Any]) -> Iterator[tuple[str, str]]:
    for s in sections:
        yield s.id, s.title
        yield from _flat_sections(s.children)


def legacy_key(rec: Record) -> dict[str, Any]:
    """What must survive a legacy encoding: metadata, sections (ids, titles), tasks."""
    m = rec.metadata
    return {
        "metadata": {
            "doc_type": m.doc_type,
            "reference_code": m.reference_code,
            "issued_date": m.issued_date,
            "issuer": m.issuer,
            "place": m.place,
            "subject": m.subject,
            "signer": m.signer.model_dump() if m.signer else None,
            "recipients": m.recipients,
        },
        "sections": list(_flat_sections(rec.sections)),
        "tasks": [
            (t.text, [a.name for a in t.lead], (t.deadline.date, t.deadline.kind) if t.deadline else None)
            for t in rec.tasks
        ],
    }


@pytest.fixture(scope="module")
def unicode_keys(built: Built) -> dict[str, dict[str, Any]]:
    return {"docx": legacy_key(_record(LEGACY_DOC)), "txt": legacy_key(_record(built.legacy["unicode-txt"]))}


@pytest.mark.parametrize("variant", ["tcvn3-txt", "vni-txt", "tcvn3-docx", "vni-docx"])
def test_legacy_variant_gives_the_unicode_record(
    built: Built, unicode_keys: dict[str, dict[str, Any]], variant: str
) -> None:
    enc, kind = variant.split("-")
    rec = _record(built.legacy[variant])
    assert rec.source.format == f"{kind}-{enc}"
    # A text file holds tables as tab rows: it is compared with the same text file in Unicode.
    assert legacy_key(rec) == unicode_keys[kind]


@needs_soffice
@pytest.mark.parametrize("variant", ["tcvn3-pdf", "vni-pdf"])
def test_legacy_pdf_gives_the_unicode_record(
    built: Built, unicode_keys: dict[str, dict[str, Any]], variant: str
) -> None:
    assert built.legacy_pdfs is not None
    rec = _record(built.legacy_pdfs[variant])
    assert rec.source.format == f"pdf-{variant.split('-')[0]}"
    assert legacy_key(rec) == unicode_keys["docx"]
