"""OCR for PDF pages without a usable text layer.

Pages are rendered with pypdfium2 (annotations left out: signature stamps are
not page content; the red channel kept, so that red seals fade) and read by the ``tesseract`` command line (``-l vie``, TSV
output, ``OMP_THREAD_LIMIT=1`` so that parallel pages do not oversubscribe
the cores).  Rendering stays in the calling thread (PDFium is not thread
safe); the Tesseract processes run in a thread pool of ``workers``.  Ruled
tables are found on the rendered image from long runs of dark pixels; their
cells are cut out and read one by one (a single Tesseract run over a list of
cell images, ``--psm 6``), and left out of the page image read with
automatic layout: read with the page, text of neighbouring narrow cells runs
together and lone short cells (row numbers) vanish.  Cells that read as a
lone row number are read again with the English model, which reads digits
better (``5.4`` for the Vietnamese model's ``S.4``).  Ruling lines are found by
:mod:`.ocr_rulings`; misread numerals, lone glyphs, markers and number slots
get a second look in :mod:`.ocr_repair`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import regex
from PIL import Image
from rapidfuzz.distance import Levenshtein

from .base import ReaderError
from .ocr_repair import second_look
from .ocr_rulings import Rulings, cell_images, find_rulings
from .pdf_layout import Word

_INSTALL = "install tesseract-ocr tesseract-ocr-vie (Debian/Ubuntu: apt-get install tesseract-ocr tesseract-ocr-vie)"
# A token of symbols only, with at least one that is not ordinary punctuation, is
# OCR noise from stamps, signatures and specks ("@†", "ˆ").
_COMMON_PUNCT = set("-–—.,;:!?()[]{}\"'“”‘’/%*+…•=<>&_|§#°")
_ALNUM = regex.compile(r"[\p{Lu}\p{Ll}\p{Lt}\p{Lo}\p{N}]")  # modifier letters (ˆ) are noise too
LOW_CONFIDENCE = 70.0
# Letters the Vietnamese model puts out for their Vietnamese look-alikes: the
# Icelandic eth (Ð ð) for đ/Đ ("QĐÐ-UBND").
_LOOKALIKES = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})
# ... and it reads one Đ twice, once as Đ and once as Ð ("QĐÐ-UBND", "CTHĐÐ").
_DOUBLE_D = regex.compile("\u0110\u00d0|\u00d0\u0110|\u0111\u00f0|\u00f0\u0111")


@dataclass(frozen=True)
class OcrPage:
    """OCR result of one page, in PDF points."""

    page: int
    words: tuple[Word, ...]
    rulings: Rulings
    mean_conf: float | None


@cache
def tesseract_path() -> str:
    """The ``tesseract`` executable, checked to have the Vietnamese model.

    Raises:
        ReaderError: ``TESSERACT_MISSING`` when the program or ``vie`` is missing.
    """
    exe = shutil.which("tesseract")
    if exe is None:
        raise ReaderError("TESSERACT_MISSING", f"OCR needs the tesseract program: {_INSTALL}")
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ReaderError("TESSERACT_MISSING", f"tesseract does not run ({exc}): {_INSTALL}") from exc
    if "vie" not in (out.stdout + out.stderr).split():
        raise ReaderError("TESSERACT_MISSING", f"tesseract has no Vietnamese model (vie): {_INSTALL}")
    return exe


@cache
def _languages(exe: str) -> frozenset[str]:
    """The models ``exe`` has (empty when it does not run)."""
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset((out.stdout + out.stderr).split())


def parse_tsv(
    tsv: str, dpi: int, origins: Sequence[tuple[int, int]] | None = None
) -> tuple[list[Word], float | None]:
    """Words (in PDF points) and the mean word confidence of Tesseract TSV output.

    Words of symbols only (stamp and signature specks) are dropped, and so are
    words Tesseract gives no confidence at all.  The font size of every word is
    the median line height, so that ragged OCR boxes do not split paragraphs.

    Args:
        tsv: Tesseract's TSV output.
        dpi: The resolution the image was rendered at.
        origins: For the output of a list of cell images (one TSV "page" per
            cell), the pixel position of each image on the page; a cell that
            reads as one Roman-numeral-like token gets the usual confusions
            repaired (:func:`repair_numeral`).
    """
    scale = 72.0 / dpi
    rows = [r.split("\t") for r in tsv.splitlines()[1:]]
    line_heights = [int(r[9]) for r in rows if len(r) >= 12 and r[0] == "4"]
    size = (float(np.median(line_heights)) * scale * 0.85) if line_heights else 12.0
    words: list[Word] = []
    cell_of: list[int] = []
    for r in rows:
        if len(r) < 12 or r[0] != "5":
            continue
        text = _DOUBLE_D.sub(lambda m: m.group(0)[0], r[11].strip()).translate(_LOOKALIKES)
        conf = float(r[10])
        if not text or conf < 0:
            continue
        # A page's unsure words are specks of stamps and signatures; inside a
        # ruled cell an unsure word is still text ("2026" above "2030", 0.5 %).
        unsure = conf <= 5 and (origins is None or not _ALNUM.search(text))
        if unsure or (not _ALNUM.search(text) and any(c not in _COMMON_PUNCT for c in text)):
            continue
        left, top, width, height = (int(v) for v in r[6:10])
        cell = int(r[1]) - 1
        if origins is not None:
            if not 0 <= cell < len(origins):
                continue
            left, top = left + origins[cell][0], top + origins[cell][1]
        words.append(Word(left * scale, top * scale, (left + width) * scale, (top + height) * scale, text, size, conf))
        cell_of.append(cell)
    if origins is not None:
        alone = [k for k, c in enumerate(cell_of) if cell_of.count(c) == 1]
        for k in alone:
            fixed = repair_numeral(words[k].text)
            if fixed != words[k].text:
                w = words[k]
                words[k] = Word(w.x0, w.top, w.x1, w.bottom, fixed, w.size, w.conf)
    words = _dedupe(words)
    confs = [w.conf for w in words if w.conf is not None]
    return words, (sum(confs) / len(confs) if confs else None)


_ROMAN = regex.compile(r"(?=[IVXL])L?X{0,3}(?:IX|IV|V?I{0,3})")
_NUMERAL_LIKE = regex.compile(r"([IVXLHỊÌÍl|]{1,6})([.)]?)")


def repair_numeral(token: str) -> str:
    """A cell's lone token read from a Roman numeral, with the usual confusions undone.

    Serif capitals touch at 300 dpi: ``II`` reads as ``H``, ``III`` as ``IH``,
    ``VIII`` as ``VIH``; a speck adds a dot (``VỊ``).  The token is repaired
    only when the result is a Roman numeral; anything else is left alone.
    """
    m = _NUMERAL_LIKE.fullmatch(token)
    if m is None:
        return token
    core = m.group(1).replace("H", "II").translate(str.maketrans("ỊÌÍl|", "IIIII"))
    if core == m.group(1) or _ROMAN.fullmatch(core) is None:
        return token
    return core + m.group(2)


def _same_reading(a: str, b: str) -> bool:
    fa, fb = a.casefold(), b.casefold()
    return fa in fb or fb in fa or Levenshtein.normalized_similarity(fa, fb) >= 0.5


def _dedupe(words: list[Word]) -> list[Word]:
    """Drop words Tesseract read twice: overlapping boxes with similar text, the less confident one goes.

    The texts must agree: Tesseract sometimes draws a box far too wide
    (``Sở`` over the next two words of ``Sở Y tế``), which is no double read.
    """
    kept: list[Word] = []
    for w in sorted(words, key=lambda w: (-(w.conf or 0.0), -len(w.text))):
        clash = False
        for k in kept:
            dx = min(w.x1, k.x1) - max(w.x0, k.x0)
            dy = min(w.bottom, k.bottom) - max(w.top, k.top)
            overlap = dx > 0.4 * min(w.x1 - w.x0, k.x1 - k.x0) and dy > 0.5 * min(w.height, k.height)
            if overlap and _same_reading(w.text, k.text):
                clash = True
                break
        if not clash:
            kept.append(w)
    order = {id(w): i for i, w in enumerate(words)}
    return sorted(kept, key=lambda w: order[id(w)])


def _tesseract(exe: str, image: Path, dpi: int) -> str:
    """Tesseract's TSV for a page image, or for a list file (``.txt``) of cell images.

    A page is segmented automatically (``--psm 3``); each cell image of a
    list is read as one block of text (``--psm 6``): short tokens alone in
    a narrow cell (``II``, ``5.2``) are read much better that way.
    """
    return _tesseract_lang(exe, image, dpi, "vie")


def _tesseract_lang(exe: str, image: Path, dpi: int, lang: str, psm: str | None = None) -> str:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    psm = psm or ("6" if image.suffix == ".txt" else "3")
    cmd = [exe, str(image), "stdout", "-l", lang, "--dpi", str(dpi), "--psm", psm, "tsv"]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ReaderError("OCR_FAILED", f"tesseract timed out on {image.name}") from exc
    if done.returncode != 0:
        raise ReaderError("OCR_FAILED", f"tesseract failed: {done.stderr.strip()[:200]}")
    return done.stdout


# A cell read as a short run of digits, Roman numerals and their look-alikes
# is a row number; the Vietnamese model confuses digits there ("5.4" → "S.4",
# "7.1" → "Z1"), the English one reads them well.
_MARKER_LIKE = regex.compile(r"[0-9IVXLHSZOoỊl|.,:;/!)\-]{1,8}")
_CLEAN_MARKER = regex.compile(r"\d{1,3}(?:\.\d{1,3}){0,3}\.?|[IVXL]{1,6}\.?")


def _cell_texts(tsv: str) -> dict[int, list[list[str]]]:
    """TSV rows of word level grouped by cell (TSV page), for re-reading some cells."""
    out: dict[int, list[list[str]]] = {}
    for line in tsv.splitlines()[1:]:
        r = line.split("\t")
        if len(r) >= 12 and r[0] == "5" and r[11].strip() and float(r[10]) >= 0:
            out.setdefault(int(r[1]) - 1, []).append(r)
    return out


def _markers_to_reread(tsv: str) -> list[int]:
    """Cells (0-based) whose only word looks like a row number."""
    return [c for c, rows in _cell_texts(tsv).items() if len(rows) == 1 and _MARKER_LIKE.fullmatch(rows[0][11].strip())]


def _merge_reread(tsv: str, reread: str, cells: Sequence[int]) -> str:
    """``tsv`` with the words of ``cells`` replaced by their English reading where it is a clean number."""
    first = _cell_texts(tsv)
    better = {
        cells[c]: rows
        for c, rows in _cell_texts(reread).items()
        if c < len(cells)
        and len(rows) == 1
        and _CLEAN_MARKER.fullmatch(rows[0][11].strip())
        # digits only: the English model reads serif "III" as "I"
        and any(ch.isdigit() for ch in rows[0][11])
        and any(ch.isdigit() for r in first.get(cells[c], []) for ch in r[11])
    }
    if not better:
        return tsv
    lines = tsv.splitlines()
    kept = [lines[0]] + [
        ln for ln in lines[1:] if not (ln.split("\t")[:1] == ["5"] and int(ln.split("\t")[1]) - 1 in better)
    ]
    for cell, rows in better.items():
        kept += ["\t".join([r[0], str(cell + 1), *r[2:]]) for r in rows]
    return "\n".join(kept) + "\n"


def ocr_pages(
    pdf: pdfium.PdfDocument,
    pages: Sequence[int],
    *,
    dpi: int = 300,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
) -> dict[int, OcrPage]:
    """OCR ``pages`` (0-based indexes) of an open document.

    Args:
        pdf: The document (used from this thread only).
        pages: Page indexes to read.
        dpi: Rendering resolution.
        workers: Tesseract processes run at once.
        progress: Called with each page index as it is rendered.

    Returns:
        OCR results keyed by page index.

    Raises:
        ReaderError: ``TESSERACT_MISSING`` or ``OCR_FAILED``.
    """
    exe = tesseract_path()
    results: dict[int, OcrPage] = {}
    scale = dpi / 72.0
    with tempfile.TemporaryDirectory(prefix="pdf-ocr-") as tmp, ThreadPoolExecutor(max(1, workers)) as pool:
        pending: list[tuple[int, Rulings, Future[str], Future[str] | None, list[tuple[int, int]]]] = []
        images: dict[int, Path] = {}
        for index in pages:
            page = pdf[index]
            try:
                bitmap = page.render(scale=scale, draw_annots=False, may_draw_forms=False)
                # The red channel: black print stays black while red seals, which
                # cover signature titles, fade out.
                image = bitmap.to_pil().convert("RGB").getchannel("R")
            finally:
                page.close()
            rulings, cleaned = find_rulings(np.asarray(image), dpi)
            del image
            full_path = Path(tmp) / f"page-{index + 1}-full.png"
            if rulings.grids:  # the page image below loses its tables; second looks need them
                Image.fromarray(cleaned).save(full_path, compress_level=1)
            # Ruled tables are read cell by cell (one Tesseract run over a list of
            # cell images) and left out of the page image: read with the page,
            # text of neighbouring cells runs together and lone short cells vanish.
            crops, origins = cell_images(cleaned, rulings.grids, dpi)
            cells_future: Future[str] | None = None
            if crops:
                listing = []
                for k, crop in enumerate(crops):
                    cell_path = Path(tmp) / f"page-{index + 1}-cell-{k}.png"
                    Image.fromarray(crop).save(cell_path, compress_level=1)
                    listing.append(str(cell_path))
                list_path = Path(tmp) / f"page-{index + 1}-cells.txt"
                list_path.write_text("\n".join(listing) + "\n", encoding="utf-8")
                cells_future = pool.submit(_tesseract, exe, list_path, dpi)
                cleaned = cleaned.copy()
                for grid in rulings.grids:
                    x0, y0, x1, y1 = (round(v * scale) for v in grid.bbox)
                    cleaned[max(0, y0 - 2) : y1 + 3, max(0, x0 - 2) : x1 + 3] = 255
            path = Path(tmp) / f"page-{index + 1}.png"
            Image.fromarray(cleaned).save(path, compress_level=1)
            images[index] = full_path if rulings.grids else path
            del cleaned
            pending.append((index, rulings, pool.submit(_tesseract, exe, path, dpi), cells_future, origins))
            if progress is not None:
                progress(index)
        reread: dict[int, tuple[str, list[int], Future[str]]] = {}
        english = "eng" in _languages(exe)
        for index, _, _, cells_future, _ in pending:
            if cells_future is None or not english:
                continue
            first = cells_future.result()
            retry = _markers_to_reread(first)
            if retry:
                list_path = Path(tmp) / f"page-{index + 1}-markers.txt"
                listing = [str(Path(tmp) / f"page-{index + 1}-cell-{k}.png") for k in retry]
                list_path.write_text("\n".join(listing) + "\n", encoding="utf-8")
                reread[index] = (first, retry, pool.submit(_tesseract_lang, exe, list_path, dpi, "eng"))
        read: dict[int, list[Word]] = {}
        for index, _, future, cells_future, origins in pending:
            words, _ = parse_tsv(future.result(), dpi)
            if cells_future is not None:
                cells_tsv = cells_future.result()
                if index in reread:
                    first, retry, again = reread[index]
                    cells_tsv = _merge_reread(first, again.result(), retry)
                words += parse_tsv(cells_tsv, dpi, origins)[0]
            read[index] = words

        def run(listing: Path, lang: str, psm: str) -> str:
            return _tesseract_lang(exe, listing, dpi, lang, psm)

        cells = {
            index: [box for grid in rulings.grids for row in grid.cells for box in row if box is not None]
            for index, rulings, *_ in pending
        }
        read = second_look(read, images, cells, dpi, run, pool, english=english)
        for index, rulings, *_ in pending:
            words = read[index]
            confs = [w.conf for w in words if w.conf is not None]
            results[index] = OcrPage(index + 1, tuple(words), rulings, sum(confs) / len(confs) if confs else None)
    return results
