#!/usr/bin/env python3
"""Make reproducible test fixtures for the PDF and legacy-encoding readers.

From the corpus documents this writes, into OUT (default ``build/fixtures/``,
which git ignores):

* ``pdf/<stem>.pdf`` — each corpus ``.docx`` printed to PDF by LibreOffice
  (a fresh ``-env:UserInstallation`` profile per call, so runs do not share
  state or block each other);
* ``scan/<stem>_<dpi>.pdf`` — image-only PDFs of those PDFs and of the
  corpus text PDFs, rendered with pypdfium2 at 200 and 300 dpi, optionally
  degraded (``--degrade``: a slight rotation, noise and blur, from a fixed
  seed per file);
* ``docx/<stem>.docx`` — corpus text documents (``.txt``/``.md``) with task
  tables written as Word files through python-docx from the reader's source
  model (:func:`text_to_docx`: paragraph blocks → paragraphs, one per logical
  line after hard wraps are joined and markdown markers dropped; table blocks
  → real Word tables with the cells' text, ragged rows padded, merges kept),
  so that the docx / PDF / scan variants exist for documents with task
  tables; they are printed and scanned like the corpus ``.docx``.  A document
  listed in :data:`CUTS` is cut to the named block ranges (its header,
  signature and task-table appendix) to keep OCR time down;
* ``legacy/<stem>_tcvn3.txt|.docx`` and ``_vni`` — a Unicode corpus document
  written in the legacy TCVN3 (ABC) and VNI encodings
  (:func:`extractor.readers.legacy.encode_legacy`), and the ``.docx`` printed
  to PDF as well;
* ``manifest.json`` — every file with its source, kind and settings.

Usage::

    python scripts/make_fixtures.py [OUT] [--only STEM ...] [--dpi 200 --dpi 300]
        [--degrade] [--seed 20260101] [--legacy-source corpus/documents/lamdong_tbkl_hn_cchc_22012026.docx]
        [--text-docx STEM ...] [--no-text-docx] [--no-corpus-docx] [--no-legacy]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402
from PIL import Image, ImageFilter  # noqa: E402

from extractor.readers import read_any  # noqa: E402
from extractor.readers.base import Block, Cell, SourceDoc  # noqa: E402
from extractor.readers.legacy import LegacyEncoding, encode_legacy  # noqa: E402
from extractor.text.normalize import Builder, normalize_lines  # noqa: E402

DOCS = ROOT / "corpus" / "documents"
LEGACY_FONTS: dict[LegacyEncoding, str] = {"tcvn3": ".VnTime", "vni": "VNI-Times"}
# Corpus text documents with task tables, written as .docx by default (smallest first).
TEXT_DOCX = ("hcm_qd2820_bhkh_2025", "002_cb22d10497566f9f", "bacninh_kh144_2025", "dongnai_kh179_2025")
# Documents cut to some block ranges: (first, last) regexes over a block's
# normalised text (a table matches on its first row), both ends included; an
# open end (None) runs to the end of the document.  dongnai_kh179 (≈ 45 pages)
# keeps its header (letterhead to the legal bases), its signature table and
# its appendix (the 128-row task table); the plan's body is left out.
CUTS: dict[str, tuple[tuple[str, str | None], ...]] = {
    "dongnai_kh179_2025": (
        (r"^ỦY BAN NHÂN DÂN", r"^Căn cứ|^Thực hiện"),
        (r"^Nơi nhận", None),
    ),
}


def soffice() -> str | None:
    """The LibreOffice binary, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(source: Path, out_dir: Path, timeout: float = 180.0) -> Path:
    """Print ``source`` to ``out_dir/<stem>.pdf`` with LibreOffice (own profile per call)."""
    binary = soffice()
    if binary is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="fixtures-lo-") as tmp:
        profile = Path(tmp) / "profile"
        cmd = [
            binary,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(source),
        ]
        done = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
    target = out_dir / f"{source.stem}.pdf"
    if done.returncode != 0 or not target.exists():
        raise RuntimeError(
            f"LibreOffice could not convert {source.name}: {done.stderr.decode(errors='replace')[-300:]}"
        )
    return target


def _seed(base: int, name: str) -> int:
    return base ^ int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big")


def degrade(image: Image.Image, rng: np.random.Generator) -> Image.Image:
    """A scanner's look: a slight rotation, speckle noise and a little blur."""
    angle = float(rng.uniform(-0.8, 0.8))
    image = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    arr = np.asarray(image, dtype=np.float32)
    arr = arr + rng.normal(0.0, 10.0, size=arr.shape).astype(np.float32)
    image = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), mode="L")
    return image.filter(ImageFilter.GaussianBlur(radius=0.6))


def image_pdf(source: Path, target: Path, dpi: int, *, degraded: bool = False, seed: int = 0) -> Path:
    """Render every page of ``source`` at ``dpi`` into an image-only PDF."""
    pdf = pdfium.PdfDocument(source)
    pages: list[Image.Image] = []
    try:
        rng = np.random.default_rng(_seed(seed, f"{source.name}:{dpi}"))
        for index in range(len(pdf)):
            page = pdf[index]
            image = page.render(scale=dpi / 72.0, grayscale=True).to_pil().convert("L")
            page.close()
            pages.append(degrade(image, rng) if degraded else image)
    finally:
        pdf.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    pages[0].save(target, "PDF", resolution=float(dpi), save_all=True, append_images=pages[1:])
    return target


def _legacy_blocks(blocks: list[Block], enc: LegacyEncoding, soft_hyphen: str = "\u00ad") -> list[Block]:
    def code(text: str) -> str:
        return encode_legacy(text, enc).replace("\u00ad", soft_hyphen)

    out = []
    for b in blocks:
        if b.kind == "para":
            out.append(Block(kind="para", text=code(b.text), page=b.page))
        else:
            rows = tuple(tuple(type(c)(code(c.text), c.merged_up, c.merged_left) for c in row) for row in b.rows)
            out.append(Block(kind="table", rows=rows, page=b.page))
    return out


def write_legacy_txt(blocks: list[Block], target: Path) -> Path:
    """Blocks as text: paragraphs separated by blank lines, tables as tab rows."""
    parts = []
    for b in blocks:
        if b.kind == "para":
            parts.append(b.text)
        else:
            parts.append("\n".join("\t".join(c.text.replace("\n", " ") for c in row) for row in b.rows))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    return target


def write_legacy_docx(blocks: list[Block], target: Path, font: str) -> Path:
    """Blocks as a Word document set in the legacy font's name."""
    import docx
    from docx.shared import Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = font
    style.font.size = Pt(13)
    for b in blocks:
        if b.kind == "para":
            for line in b.text.split("\n"):
                document.add_paragraph(line)
        elif b.rows:
            width = max(len(r) for r in b.rows)
            table = document.add_table(rows=len(b.rows), cols=width)
            table.style = "Table Grid"
            for r, row in enumerate(b.rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell.text
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(target))
    return target


# --- text → docx ---------------------------------------------------------------


def _logical_lines(raw: str) -> list[str]:
    """Lines of a raw block after hard wraps are joined and markdown markers dropped."""
    builder = Builder.new()
    spans = normalize_lines(raw, builder, 0)
    text = builder.text()
    return [text[a:b] for a, b in spans if text[a:b].strip()]


def _block_key(block: Block) -> str:
    if block.kind == "para":
        return " ".join(_logical_lines(block.text))
    return " | ".join(" ".join(_logical_lines(c.text)) for c in (block.rows[0] if block.rows else ()))


def cut_blocks(blocks: list[Block], ranges: tuple[tuple[str, str | None], ...]) -> list[Block]:
    """The blocks inside ``ranges`` (see :data:`CUTS`), in document order."""
    import regex

    keep = [False] * len(blocks)
    keys = [_block_key(b) for b in blocks]
    for first, last in ranges:
        start = next((i for i, k in enumerate(keys) if regex.search(first, k)), None)
        if start is None:
            raise ValueError(f"cut: no block matches {first!r}")
        end = len(blocks) - 1
        if last is not None:
            end = next((i for i in range(start + 1, len(keys)) if regex.search(last, keys[i])), len(blocks)) - 1
        for i in range(start, end + 1):
            keep[i] = True
    return [b for b, k in zip(blocks, keep, strict=True) if k]


def _is_layout_table(rows: tuple[tuple[Cell, ...], ...]) -> bool:
    """A letterhead or signature table (two columns, few rows): no borders, as in the originals."""
    import regex

    width = max((len(r) for r in rows), default=0)
    text = " ".join(c.text for r in rows for c in r)
    marker = regex.search(r"CỘNG HÒA|CỘNG HOÀ|Độc lập|Nơi nhận|(?:TM|KT|TL)\.", text)
    return width <= 2 and len(rows) <= 4 and marker is not None


def _column_widths(rows: list[list[str]], width: int, total_cm: float, pt: float = 11.0) -> list[float]:
    """Column widths in cm: by the square root of the columns' mean text length,
    and never narrower than the column's longest word (a word split inside a
    narrow column is an artefact of the fixture, not something to test)."""
    weights, floors = [], []
    for c in range(width):
        cells = [r[c] for r in rows if c < len(r) and r[c]]
        mean = sum(len(t) for t in cells) / len(cells) if cells else 1.0
        weights.append(max(1.0, mean) ** 0.5)
        longest = max((len(w) for t in cells for w in t.split()), default=1)
        floors.append(min(3.5, 0.6 + longest * pt * 0.0185))  # + the cell margins
    widths = [total_cm * w / sum(weights) for w in weights]
    for _ in range(5):
        pinned = [c for c in range(width) if widths[c] <= floors[c]]
        rest = total_cm - sum(floors[c] for c in pinned)
        free = [c for c in range(width) if c not in pinned]
        if not free or rest <= 0:
            break
        share = sum(weights[c] for c in free)
        widths = [floors[c] if c in pinned else rest * weights[c] / share for c in range(width)]
    return widths


def _set_borders(table: Any, shown: bool) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    value = "single" if shown else "nil"
    edges = "".join(
        f'<w:{e} w:val="{value}" w:sz="4" w:space="0" w:color="000000"/>'
        for e in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblBorders"):
        tbl_pr.remove(old)
    tbl_pr.append(parse_xml(f"<w:tblBorders {nsdecls('w')}>{edges}</w:tblBorders>"))


def _page_number_header(section: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    section.different_first_page_header_footer = True  # NĐ 30: page numbers from page 2, at the top
    para = section.header.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>2</w:t></w:r></w:fldSimple>'))


def _para_style(para: Any, line: str) -> None:
    import regex
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    letters = [c for c in line if c.isalpha()]
    upper = bool(letters) and all(c.isupper() for c in letters)
    if upper and len(line) < 160 and not regex.match(r"^(?:[IVXLC]+|\d+)[.)]\s", line):
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for run in para.runs:
            run.bold = True
    elif regex.match(r"^\((?:Kèm|Ban hành)", line):
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for run in para.runs:
            run.italic = True
    else:
        para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        para.paragraph_format.first_line_indent = Cm(1.0)


def text_to_docx(src: SourceDoc, target: Path, *, cut: tuple[tuple[str, str | None], ...] = ()) -> Path:
    """Write a document's source model as a Word file (A4, Times New Roman 13 pt, NĐ 30 margins).

    Paragraph blocks become one Word paragraph per logical line (hard wraps
    joined, markdown markers dropped: :func:`extractor.text.normalize.normalize_lines`);
    table blocks become Word tables holding the cells' lines as paragraphs,
    ragged rows padded to the widest row, merged cells merged.  Letterhead
    and signature tables have no borders; other tables are ruled.  Layout
    choices (centred bold capitals, justified body with a first-line indent,
    page numbers at the top from page 2) only make the printed page look like
    an administrative document; the text is the source model's.

    Args:
        src: The document as a reader returned it.
        target: The ``.docx`` to write.
        cut: Block ranges to keep (:func:`cut_blocks`); empty keeps all.
    """
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    blocks = cut_blocks(src.blocks, cut) if cut else list(src.blocks)
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.space_before = Pt(0)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3.0), Cm(2.0)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    _page_number_header(section)
    usable = 21.0 - 3.0 - 2.0
    for block in blocks:
        if block.kind == "para":
            for line in _logical_lines(block.text):
                para = document.add_paragraph(line)
                _para_style(para, line)
            continue
        if not block.rows:
            continue
        width = max(len(r) for r in block.rows)
        texts = [["\n".join(_logical_lines(c.text)) for c in r] for r in block.rows]
        layout = _is_layout_table(block.rows)
        table = document.add_table(rows=len(block.rows), cols=width)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        _set_borders(table, shown=not layout)
        widths = [usable / width] * width if layout else _column_widths(texts, width, usable, 11.0 if width >= 6 else 12.0)
        # LibreOffice lays a table out by its grid columns, Word by the cells' widths: set both.
        for grid_col, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
            grid_col.set(qn("w:w"), str(Cm(w).twips))
        for row in table.rows:
            for c, cell in enumerate(row.cells):
                cell.width = Cm(widths[c])
        # Merges first (python-docx joins the merged cells' text), text after.
        origin: dict[tuple[int, int], tuple[int, int]] = {}
        for r, row_cells in enumerate(block.rows):
            for c in range(width):
                cell = row_cells[c] if c < len(row_cells) else Cell("")
                if cell.merged_left and c > 0:
                    origin[(r, c)] = origin[(r, c - 1)]
                elif cell.merged_up and r > 0:
                    origin[(r, c)] = origin[(r - 1, c)]
                else:
                    origin[(r, c)] = (r, c)
        extent: dict[tuple[int, int], tuple[int, int]] = {}
        for (r, c), o in origin.items():
            er, ec = extent.get(o, o)
            extent[o] = (max(er, r), max(ec, c))
        for o, (er, ec) in extent.items():
            members = [origin.get((r, c)) for r in range(o[0], er + 1) for c in range(o[1], ec + 1)]
            if (er, ec) != o and all(m == o for m in members):
                table.cell(*o).merge(table.cell(er, ec))
        small = Pt(11) if width >= 6 else Pt(12)
        for (r, c), o in origin.items():
            if o != (r, c):
                continue
            lines = texts[r][c].split("\n") if c < len(texts[r]) and texts[r][c] else [""]
            cell = table.cell(r, c)
            cell.paragraphs[0].text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
            for para in cell.paragraphs:
                para.paragraph_format.space_after = Pt(0)
                if layout:
                    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                for run in para.runs:
                    run.font.size = Pt(13) if layout else small
                    if layout and r == 0:
                        run.bold = True
        document.add_paragraph("")
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(target))
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "build" / "fixtures")
    parser.add_argument("--only", action="append", default=[], help="corpus document stems to use (default: all)")
    parser.add_argument("--dpi", action="append", type=int, default=[], help="scan resolutions (default 200 and 300)")
    parser.add_argument("--degrade", action="store_true", help="rotate, speckle and blur the scans")
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--legacy-source", type=Path, default=DOCS / "lamdong_tbkl_hn_cchc_22012026.docx")
    parser.add_argument("--no-soffice", action="store_true", help="skip the LibreOffice steps")
    parser.add_argument(
        "--text-docx", action="append", default=[], help=f"text document stems to write as .docx (default: {TEXT_DOCX})"
    )
    parser.add_argument("--no-text-docx", action="store_true", help="skip the text → docx step")
    parser.add_argument("--no-corpus-docx", action="store_true", help="do not print the corpus .docx files")
    parser.add_argument("--no-corpus-pdf", action="store_true", help="do not scan the corpus text PDFs")
    parser.add_argument("--no-legacy", action="store_true", help="skip the legacy-encoding step")
    args = parser.parse_args(argv)
    out: Path = args.out
    dpis: list[int] = args.dpi or [200, 300]
    only = set(args.only)
    manifest: list[dict[str, Any]] = []

    def note(path: Path, kind: str, source: Path, **extra: Any) -> None:
        manifest.append({"file": path.relative_to(out).as_posix(), "kind": kind, "source": source.name, **extra})
        print(f"{kind:12} {path.relative_to(out)}", file=sys.stderr)

    use_soffice = not args.no_soffice and soffice() is not None
    text_pdfs = [] if args.no_corpus_pdf else [p for p in sorted(DOCS.glob("*.pdf")) if not only or p.stem in only]
    docx_sources = [] if args.no_corpus_docx else [p for p in sorted(DOCS.glob("*.docx")) if not only or p.stem in only]
    if not args.no_text_docx:
        for stem in args.text_docx or TEXT_DOCX:
            if only and stem not in only:
                continue
            source = next((p for p in sorted(DOCS.glob(f"{stem}.*")) if p.suffix in (".txt", ".md")), None)
            if source is None:
                raise SystemExit(f"make_fixtures: no corpus .txt/.md document named {stem}")
            target = text_to_docx(read_any(source), out / "docx" / f"{stem}.docx", cut=CUTS.get(stem, ()))
            note(target, "text-docx", source, cut=[list(r) for r in CUTS.get(stem, ())])
            docx_sources.append(target)
    if use_soffice:
        for docx_path in docx_sources:
            pdf_path = to_pdf(docx_path, out / "pdf")
            note(pdf_path, "docx-pdf", docx_path)
            text_pdfs.append(pdf_path)
    for pdf_path in text_pdfs:
        if "scan" in pdf_path.stem:
            continue  # already an image
        for dpi in dpis:
            target = out / "scan" / f"{pdf_path.stem}_{dpi}.pdf"
            image_pdf(pdf_path, target, dpi, degraded=args.degrade, seed=args.seed)
            note(target, "image-pdf", pdf_path, dpi=dpi, degraded=args.degrade, seed=args.seed)
    if not args.no_legacy:
        legacy_source: Path = args.legacy_source
        blocks = read_any(legacy_source).blocks
        for enc, font in LEGACY_FONTS.items():
            legacy = _legacy_blocks(blocks, enc)
            txt_target = write_legacy_txt(legacy, out / "legacy" / f"{legacy_source.stem}_{enc}.txt")
            note(txt_target, f"{enc}-txt", legacy_source)
            docx_target = write_legacy_docx(legacy, out / "legacy" / f"{legacy_source.stem}_{enc}.docx", font)
            note(docx_target, f"{enc}-docx", legacy_source, font=font)
            if use_soffice:
                # TCVN3 writes ư as 0xAD, the soft-hyphen code, which a word processor
                # hides; a PDF printed from a .VnTime font shows the glyph and its text
                # layer reads it as U+2212 (see viparse.normalize.tables).  Print a copy
                # with that substitution, as a real legacy PDF reads.
                with tempfile.TemporaryDirectory(prefix="fixtures-legacy-") as tmp:
                    shown = _legacy_blocks(blocks, enc, soft_hyphen="\u2212")
                    printable = write_legacy_docx(shown, Path(tmp) / docx_target.name, font)
                    note(to_pdf(printable, out / "legacy"), f"{enc}-pdf", legacy_source, font=font)
    out.mkdir(parents=True, exist_ok=True)
    # Merge with an earlier manifest: runs with --only add to the same folder.
    index = out / "manifest.json"
    written = {m["file"] for m in manifest}
    earlier: list[dict[str, Any]] = []
    if index.exists():
        try:
            earlier = [m for m in json.loads(index.read_text(encoding="utf-8")) if m.get("file") not in written]
        except (ValueError, TypeError):
            earlier = []
    merged = sorted(earlier + manifest, key=lambda m: str(m.get("file")))
    index.write_text(json.dumps(merged, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(manifest)} fixtures written in {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
