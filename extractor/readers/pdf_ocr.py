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
better (``5.4`` for the Vietnamese model's ``S.4``).
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
from numpy.typing import NDArray
from PIL import Image
from rapidfuzz.distance import Levenshtein

from .base import ReaderError
from .ocr_repair import second_look
from .pdf_layout import BBox, Word

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
class Rule:
    """A ruling line in PDF points: horizontal (``y``, ``a``..``b`` in x) or vertical."""

    pos: float
    a: float
    b: float


@dataclass(frozen=True)
class Grid:
    """A ruled table: cell boxes (``None`` for merged continuations) and column spans."""

    cells: tuple[tuple[BBox | None, ...], ...]
    columns: tuple[tuple[float, float], ...]
    bbox: BBox


@dataclass(frozen=True)
class Rulings:
    """What the ruling lines of a page image show, in PDF points."""

    grids: tuple[Grid, ...] = ()
    boxes: tuple[BBox, ...] = ()  # single frames (stamps, boxed notes)
    h_rules: tuple[Rule, ...] = ()


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


def _runs(row: NDArray[np.bool_]) -> list[tuple[int, int]]:
    """Half-open index runs of True values."""
    padded = np.concatenate(([0], row.astype(np.int8), [0]))
    diff = np.diff(padded)
    starts = np.flatnonzero(diff == 1)
    ends = np.flatnonzero(diff == -1)
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def _long_windows(dark: NDArray[np.bool_], length: int) -> NDArray[np.bool_]:
    """``out[y, x]``: the ``length`` pixels from ``(y, x)`` rightwards are all dark."""
    h, w = dark.shape
    if w < length:
        return np.zeros((h, 0), dtype=bool)
    c = np.zeros((h, w + 1), dtype=np.int32)
    np.cumsum(dark, axis=1, out=c[:, 1:])
    out: NDArray[np.bool_] = (c[:, length:] - c[:, :-length]) == length
    return out


def _rules(dark: NDArray[np.bool_], length: int, scale: float) -> list[Rule]:
    """Ruling lines along the rows of ``dark`` (transpose for vertical ones).

    The pixels of the rules found are cleared in ``dark`` (so that the caller
    can wipe them off the image before OCR).
    """
    full = _long_windows(dark, length)
    ys = np.flatnonzero(full.any(axis=1))
    if len(ys) > 4000:
        return []  # a photo or a black area, not rulings
    lines: list[list[int]] = []  # [y_first, y_last, a, b]
    for y in ys.tolist():
        for a, b in _runs(full[y]):
            b += length - 1  # windows starting in [a, b) cover pixels up to b + length - 1
            for ln in reversed(lines[-30:]):
                if y - ln[1] <= 3 and a <= ln[3] + 10 and b >= ln[2] - 10:
                    ln[1] = y
                    ln[2] = min(ln[2], a)
                    ln[3] = max(ln[3], b)
                    break
            else:
                lines.append([y, y, a, b])
    kept = [ln for ln in lines if ln[1] - ln[0] < 12]
    for y0, y1, a, b in kept:
        dark[max(0, y0 - 1) : y1 + 2, a : b + 1] = False
    return [Rule((ln[0] + ln[1]) / 2 * scale, ln[2] * scale, ln[3] * scale) for ln in kept]


def _cluster(values: Sequence[float], tol: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def find_rulings(image: NDArray[np.uint8], dpi: int) -> tuple[Rulings, NDArray[np.uint8]]:
    """Ruled tables, frames and horizontal rules on a grayscale page image.

    Horizontal rules are runs of dark pixels at least 8 % of the page width,
    vertical rules at least 1.4 em long.  Rules that cross form a table; a
    table needs two horizontal rules and three vertical ones (two columns),
    two vertical ones make a frame.  A grid cell whose left (top) border is
    missing continues the cell to its left (above).

    Returns:
        The rulings and the image with the rules wiped out (Tesseract reads
        a ruled table much better without its lines).
    """
    scale = 72.0 / dpi
    dark = image < 160
    h_dark = dark.copy()
    v_dark = dark.copy()
    h_rules = _rules(h_dark, max(40, int(image.shape[1] * 0.08)), scale)
    v_rules = _rules(v_dark.T, max(25, int(14 * 1.4 / scale)), scale)
    cleaned = image.copy()
    cleaned[dark & ~(h_dark & v_dark)] = 255
    if len(h_rules) < 2 or len(v_rules) < 2:
        return Rulings(h_rules=tuple(h_rules)), cleaned
    tol = 3.0
    # Group rules into tables: connected through crossings.
    parent = list(range(len(h_rules) + len(v_rules)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, hr in enumerate(h_rules):
        for j, vr in enumerate(v_rules):
            if hr.a - tol <= vr.pos <= hr.b + tol and vr.a - tol <= hr.pos <= vr.b + tol:
                parent[find(i)] = find(len(h_rules) + j)
    groups: dict[int, tuple[list[Rule], list[Rule]]] = {}
    for i, hr in enumerate(h_rules):
        groups.setdefault(find(i), ([], []))[0].append(hr)
    for j, vr in enumerate(v_rules):
        groups.setdefault(find(len(h_rules) + j), ([], []))[1].append(vr)
    grids: list[Grid] = []
    boxes: list[BBox] = []
    for hs, vs in groups.values():
        if len(hs) < 2 or len(vs) < 2:
            continue
        grid = _grid(hs, vs, tol)
        if grid is None:
            continue
        if len(grid.columns) >= 2:
            grids.append(grid)
        else:
            boxes.append(grid.bbox)
    return Rulings(tuple(grids), tuple(boxes), tuple(h_rules)), cleaned


def _grid(hs: Sequence[Rule], vs: Sequence[Rule], tol: float) -> Grid | None:
    ys = _cluster([r.pos for r in hs], 4.0)
    xs = _cluster([r.pos for r in vs], 4.0)
    if len(ys) < 2 or len(xs) < 2:
        return None

    def h_border(y: float, xa: float, xb: float) -> bool:
        mid = (xa + xb) / 2
        return any(abs(r.pos - y) <= 4 and r.a - tol <= mid <= r.b + tol for r in hs)

    def v_border(x: float, ya: float, yb: float) -> bool:
        mid = (ya + yb) / 2
        return any(abs(r.pos - x) <= 4 and r.a - tol <= mid <= r.b + tol for r in vs)

    nr, nc = len(ys) - 1, len(xs) - 1
    owner = [[(r, c) for c in range(nc)] for r in range(nr)]
    for r in range(nr):
        for c in range(nc):
            if c > 0 and not v_border(xs[c], ys[r], ys[r + 1]):
                owner[r][c] = owner[r][c - 1]
            elif r > 0 and not h_border(ys[r], xs[c], xs[c + 1]):
                owner[r][c] = owner[r - 1][c]
    extent: dict[tuple[int, int], list[int]] = {}
    for r in range(nr):
        for c in range(nc):
            e = extent.setdefault(owner[r][c], [r, c, r, c])
            e[2], e[3] = max(e[2], r), max(e[3], c)
    cells: list[tuple[BBox | None, ...]] = []
    for r in range(nr):
        row: list[BBox | None] = []
        for c in range(nc):
            if owner[r][c] != (r, c):
                row.append(None)
                continue
            r0, c0, r1, c1 = extent[(r, c)]
            row.append((xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]))
        cells.append(tuple(row))
    columns = tuple((xs[c], xs[c + 1]) for c in range(nc))
    return Grid(tuple(cells), columns, (xs[0], ys[0], xs[-1], ys[-1]))


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


_CELL_PAD = 20  # white pixels around a cell image: Tesseract reads text touching the edge badly
_CELL_INSET = 2  # pixels of the cell box left out (remains of the wiped rules)


def cell_images(
    image: NDArray[np.uint8], grids: Sequence[Grid], dpi: int
) -> tuple[list[NDArray[np.uint8]], list[tuple[int, int]]]:
    """The non-blank cells of ``grids`` cut from ``image`` (rules wiped), padded white,
    with the pixel position of each padded image on the page."""
    scale = dpi / 72.0
    crops: list[NDArray[np.uint8]] = []
    origins: list[tuple[int, int]] = []
    h, w = image.shape
    for grid in grids:
        for row in grid.cells:
            for box in row:
                if box is None:
                    continue
                x0 = max(0, round(box[0] * scale) + _CELL_INSET)
                y0 = max(0, round(box[1] * scale) + _CELL_INSET)
                x1 = min(w, round(box[2] * scale) - _CELL_INSET)
                y1 = min(h, round(box[3] * scale) - _CELL_INSET)
                if x1 - x0 < 4 or y1 - y0 < 4:
                    continue
                crop = image[y0:y1, x0:x1]
                if int((crop < 160).sum()) < 12:
                    continue  # blank (or a speck)
                padded = np.full((y1 - y0 + 2 * _CELL_PAD, x1 - x0 + 2 * _CELL_PAD), 255, dtype=np.uint8)
                padded[_CELL_PAD:-_CELL_PAD, _CELL_PAD:-_CELL_PAD] = crop
                crops.append(padded)
                origins.append((x0 - _CELL_PAD, y0 - _CELL_PAD))
    return crops, origins


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
