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
* ``legacy/<stem>_tcvn3.txt|.docx`` and ``_vni`` — a Unicode corpus document
  written in the legacy TCVN3 (ABC) and VNI encodings
  (:func:`extractor.readers.legacy.encode_legacy`), and the ``.docx`` printed
  to PDF as well;
* ``manifest.json`` — every file with its source, kind and settings.

Usage::

    python scripts/make_fixtures.py [OUT] [--only STEM ...] [--dpi 200 --dpi 300]
        [--degrade] [--seed 20260101] [--legacy-source corpus/documents/lamdong_tbkl_hn_cchc_22012026.docx]
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
from extractor.readers.base import Block  # noqa: E402
from extractor.readers.legacy import LegacyEncoding, encode_legacy  # noqa: E402

DOCS = ROOT / "corpus" / "documents"
LEGACY_FONTS: dict[LegacyEncoding, str] = {"tcvn3": ".VnTime", "vni": "VNI-Times"}


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "build" / "fixtures")
    parser.add_argument("--only", action="append", default=[], help="corpus document stems to use (default: all)")
    parser.add_argument("--dpi", action="append", type=int, default=[], help="scan resolutions (default 200 and 300)")
    parser.add_argument("--degrade", action="store_true", help="rotate, speckle and blur the scans")
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--legacy-source", type=Path, default=DOCS / "lamdong_tbkl_hn_cchc_22012026.docx")
    parser.add_argument("--no-soffice", action="store_true", help="skip the LibreOffice steps")
    args = parser.parse_args(argv)
    out: Path = args.out
    dpis: list[int] = args.dpi or [200, 300]
    only = set(args.only)
    manifest: list[dict[str, Any]] = []

    def note(path: Path, kind: str, source: Path, **extra: Any) -> None:
        manifest.append({"file": path.relative_to(out).as_posix(), "kind": kind, "source": source.name, **extra})
        print(f"{kind:12} {path.relative_to(out)}", file=sys.stderr)

    use_soffice = not args.no_soffice and soffice() is not None
    text_pdfs = [p for p in sorted(DOCS.glob("*.pdf")) if not only or p.stem in only]
    if use_soffice:
        for docx_path in sorted(DOCS.glob("*.docx")):
            if only and docx_path.stem not in only:
                continue
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
    source: Path = args.legacy_source
    blocks = read_any(source).blocks
    for enc, font in LEGACY_FONTS.items():
        legacy = _legacy_blocks(blocks, enc)
        note(write_legacy_txt(legacy, out / "legacy" / f"{source.stem}_{enc}.txt"), f"{enc}-txt", source)
        docx_target = write_legacy_docx(legacy, out / "legacy" / f"{source.stem}_{enc}.docx", font)
        note(docx_target, f"{enc}-docx", source, font=font)
        if use_soffice:
            # TCVN3 writes ư as 0xAD, the soft-hyphen code, which a word processor
            # hides; a PDF printed from a .VnTime font shows the glyph and its text
            # layer reads it as U+2212 (see viparse.normalize.tables).  Print a copy
            # with that substitution, as a real legacy PDF reads.
            with tempfile.TemporaryDirectory(prefix="fixtures-legacy-") as tmp:
                shown = _legacy_blocks(blocks, enc, soft_hyphen="\u2212")
                printable = write_legacy_docx(shown, Path(tmp) / docx_target.name, font)
                note(to_pdf(printable, out / "legacy"), f"{enc}-pdf", source, font=font)
    out.mkdir(parents=True, exist_ok=True)
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(manifest)} fixtures in {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
