"""Second looks at the OCR tokens Tesseract gets wrong on clean print.

Measured on the 300-dpi scan fixtures of ``scripts/check_formats.py``, word by
word against the text PDFs they were rendered from (``scripts/ocr_errors.py``),
four kinds of short token go wrong often enough to cost task deadlines and
leads, and each has a check that fixed every case it touched there:

* **A lone glyph on its own line** (the month of a ``Tháng`` / ``3`` cell, a
  row number): the LSTM reads single glyphs badly (``3`` → ``S``, ``6``;
  ``2`` → ``ả``, ``Z``).  The word is cut out and read again as one word
  (``--psm 8``); the second reading is taken when it is a one- or two-digit
  number and the first was a single character (or a letter with ``)``).
* **A list marker opening a line** (``5.`` → ``o.``, ``S.``): read again with
  the English model as one word, taken when it is a clean number marker.
* **A number slot left empty** (``Số:      /TTg-CĐS``): the number is often
  written by hand or stamped at registration, and the page read drops it.
  The line from ``Số:`` to the symbol is read again with the English model
  (``--psm 7``), which reads hand-written digits there (``464``).
* **Roman numerals of serif I's**: their serifs touch, so ``III`` reads as
  ``II``, ``HI``, ``TH`` and ``XII`` as ``XI``.  No model reads them well
  alone, so the stems are counted on the image: a row of pixels across the
  middle of the word crosses every ``I`` once, an ``X`` once, a ``V`` twice.
  Only in Roman-numeral places: a heading marker (``III.``), a token alone on
  its line, or after a word that takes a numeral (``Khu vực``, ``Quý``:
  ``patterns/ocr.jsonl``).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import regex
from numpy.typing import NDArray
from PIL import Image

from ..rules import rule_pattern
from .pdf_layout import BBox, Word

# Tesseract runs a list of images with one page-segmentation mode:
# ``run(list_file, lang, psm) -> tsv``.
Runner = Callable[[Path, str, str], str]

_CORE_STRIP = ".,:;)(“”\"'"
_DIGITS = regex.compile(r"\d{1,2}")
_MARKER = regex.compile(r"\d{1,2}[.)]")
_NUMERAL = regex.compile(r"(?P<head>[XV]?)(?P<stems>[IHỊlT|1]{1,4})(?P<tail>[.)]?|(?P<year>/\d{2,4}[.,;:]?))")
_PAD = 20  # white pixels around a re-read word
_MARGIN = 4  # pixels of the page kept around the word box


@dataclass(frozen=True)
class _Neighbours:
    left: bool
    right: bool
    left_text: str


def _rule(rule_id: str) -> regex.Pattern[str]:
    return rule_pattern("ocr.jsonl", rule_id)


def lone_suspect() -> regex.Pattern[str]:
    """A token alone on its line that may be a misread digit."""
    return _rule("lone-suspect")


def marker_suspect() -> regex.Pattern[str]:
    """A line-opening token that may be a misread number marker."""
    return _rule("marker-suspect")


def numeral_context() -> regex.Pattern[str]:
    """Words a Roman numeral follows (``Khu vực XII``, ``Quý III``)."""
    return _rule("numeral-context")


def regions(words: Sequence[Word], cells: Sequence[BBox]) -> list[int]:
    """The index of the table cell each word's centre lies in (-1 outside every cell)."""
    out = []
    for w in words:
        cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
        out.append(next((n for n, c in enumerate(cells) if c[0] <= cx <= c[2] and c[1] <= cy <= c[3]), -1))
    return out


def neighbours(words: Sequence[Word], region: Sequence[int] | None = None) -> list[_Neighbours]:
    """For each word: is there a word just left / right of it on the same line (within three
    heights, and in the same table cell when ``region`` gives the cells)?"""
    order = sorted(range(len(words)), key=lambda k: words[k].top)
    out = [_Neighbours(False, False, "") for _ in words]
    for pos, k in enumerate(order):
        w = words[k]
        reach = 3 * w.height
        left_gap, left_text, right = float("inf"), "", False
        for j in order[max(0, pos - 60) : pos + 60]:
            if j == k or (region is not None and region[j] != region[k]):
                continue
            o = words[j]
            if min(o.bottom, w.bottom) - max(o.top, w.top) <= 0.4 * min(w.height, o.height):
                continue
            if o.x1 <= w.x0 + 1 and w.x0 - o.x1 < reach:
                if w.x0 - o.x1 < left_gap:
                    left_gap, left_text = w.x0 - o.x1, o.text
            elif o.x0 >= w.x1 - 1 and o.x0 - w.x1 < reach:
                right = True
        out[k] = _Neighbours(left_gap < reach, right, left_text)
    return out


def _crop(image: NDArray[np.uint8], word: Word, dpi: int, margin: int = _MARGIN) -> NDArray[np.uint8]:
    scale = dpi / 72.0
    h, w = image.shape
    y0, y1 = max(0, round(word.top * scale) - margin), min(h, round(word.bottom * scale) + margin)
    x0, x1 = max(0, round(word.x0 * scale) - margin), min(w, round(word.x1 * scale) + margin)
    return image[y0:y1, x0:x1]


def _padded(crop: NDArray[np.uint8]) -> NDArray[np.uint8]:
    out = np.full((crop.shape[0] + 2 * _PAD, crop.shape[1] + 2 * _PAD), 255, dtype=np.uint8)
    out[_PAD : _PAD + crop.shape[0], _PAD : _PAD + crop.shape[1]] = crop
    return out


def stroke_runs(crop: NDArray[np.uint8]) -> list[list[bool]] | None:
    """The strokes rows across the middle of ``crop`` meet, left to right: True for a stem.

    Three rows, at 45, 50 and 55 % of the height.  A stroke is a stem when
    some column of it is dark over 80 % of the height between the serifs: an
    ``I`` or a ``1``, not the diagonals of ``X``, ``V`` or ``/``, nor the bowls
    of digits.
    """
    h, width = crop.shape
    if h < 10 or width < 3:
        return None
    dark: NDArray[np.bool_] = np.asarray(crop < 128)
    inner = dark[round(0.12 * h) : h - round(0.12 * h)]
    tall = [bool(v) for v in inner.mean(axis=0) >= 0.8]
    found: list[list[bool]] = []
    for frac in (0.45, 0.5, 0.55):
        y = round(frac * (h - 1))
        band: NDArray[np.bool_] = np.asarray(dark[max(0, y - 1) : y + 2].any(axis=0))
        row = [bool(v) for v in band]
        runs: list[bool] = []
        x = 0
        while x < width:
            if not row[x]:
                x += 1
                continue
            end = x
            while end < width and row[end]:
                end += 1
            runs.append(any(tall[x:end]))
            x = end
        found.append(runs)
    return found


def roman_from_strokes(token: str, rows: Sequence[Sequence[bool]]) -> str | None:
    """``token`` rewritten with the number of ``I`` its strokes show, or None when they do not fit.

    In every row the head letter takes its strokes first (``X`` one, ``V``
    two); the ``I`` are the stems that follow, up to the first stroke that is
    no stem (the ``/`` of ``II/2030``); a bare numeral must have no stroke
    left over.  All rows must agree.  A lone ``I`` is never written over a
    ``l``, ``|`` or ``1``: they are as likely an Arabic one.
    """
    m = _NUMERAL.fullmatch(token)
    if m is None or not rows:
        return None
    head = m.group("head")
    counts = set()
    for strokes in rows:
        rest = list(strokes[{"": 0, "X": 1, "V": 2}[head] :])
        count = 0
        while count < len(rest) and rest[count]:
            count += 1
        if not m.group("year") and count != len(rest):
            return None
        counts.add(count)
    if len(counts) != 1:
        return None
    count = counts.pop()
    if not 1 <= count <= 3 or (count == 1 and not head):
        return None
    return head + "I" * count + (m.group("tail") or m.group("year") or "")


def _is_numeral_place(word: Word, near: _Neighbours) -> bool:
    m = _NUMERAL.fullmatch(word.text)
    if m is None or not regex.search(r"[IHỊl|1]", m.group("stems")):
        return False  # "T", "TT" (thứ tự) and "VT" (văn thư) are words
    if m.group("stems").isdigit() or m.group("year"):  # "Quý 1/2030": only after a numeral word
        return bool(near.left and numeral_context().fullmatch(near.left_text.strip(_CORE_STRIP)))
    if not near.left:
        return True  # a heading marker ("III."), a row number, a numeral opening a table row
    return bool(near.left and numeral_context().fullmatch(near.left_text.strip(_CORE_STRIP)))


def repair_numerals(
    words: Sequence[Word], image: NDArray[np.uint8], dpi: int, cells: Sequence[BBox] = ()
) -> list[Word]:
    """Roman numerals in numeral places re-counted from their stems (``cells``: the page's table cells)."""
    near = neighbours(words, regions(words, cells))
    out = list(words)
    for k, w in enumerate(words):
        if not _is_numeral_place(w, near[k]):
            continue
        strokes = stroke_runs(_crop(image, w, dpi, margin=0))
        fixed = roman_from_strokes(w.text, strokes) if strokes is not None else None
        if fixed is not None and fixed != w.text:
            out[k] = replace(w, text=fixed)
    return out


def accept_lone(original: str, reread: str) -> str | None:
    """The re-read of a lone glyph, when it is a number and the first reading was one character."""
    core = original.strip(_CORE_STRIP)
    number = reread.strip(_CORE_STRIP + "_")
    if not _DIGITS.fullmatch(number) or not lone_suspect().fullmatch(original) or core in ("I", "V", "X", "L"):
        return None
    if core.isdigit():
        tail = original[len(original.rstrip(".)")) :]
        return number + tail if number != core else None
    return number


def accept_marker(original: str, reread: str) -> str | None:
    """The English re-read of a line-opening marker, when it is a clean number marker."""
    if not marker_suspect().fullmatch(original) or _MARKER.fullmatch(original):
        return None
    return reread if _MARKER.fullmatch(reread) and reread != original else None




def empty_number_slots(words: Sequence[Word]) -> list[tuple[int, int]]:
    """``(label, symbol)`` word indexes of a ``Số: ____ /KH-UBND`` line whose number OCR left
    out: the slot is blank, or holds a hand-written or stamped number the page read dropped."""
    out = []
    for k, w in enumerate(words):
        if not _rule("number-label").fullmatch(w.text):
            continue
        same_line = [
            j
            for j, o in enumerate(words)
            if j != k and o.x0 >= w.x1 - 1 and min(o.bottom, w.bottom) - max(o.top, w.top) > 0.4 * w.height
        ]
        if not same_line:
            continue
        nxt = min(same_line, key=lambda j: words[j].x0)
        o = words[nxt]
        if o.text.startswith("/") and o.x0 - w.x1 >= w.height:
            out.append((k, nxt))
    return out


def accept_number(reading: str) -> str | None:
    """The number of an English reading of a ``Số: 464 /TTg-CĐS`` line (``Sé: 464 /TTg-CDS``)."""
    m = _rule("number-reading").match(reading.strip())
    return m.group(1) if m else None


@dataclass
class _Job:
    page: int
    index: int
    kind: str  # "lone" | "marker" | "number"
    slot: tuple[float, float] = (0.0, 0.0)  # for "number": the blank between label and symbol


def _parse_list_tsv(tsv: str) -> dict[int, tuple[str, float]]:
    """Text and mean confidence per image of a list run."""
    texts: dict[int, list[tuple[str, float]]] = {}
    for line in tsv.splitlines()[1:]:
        r = line.split("\t")
        if len(r) >= 12 and r[0] == "5" and r[11].strip():
            texts.setdefault(int(r[1]) - 1, []).append((r[11].strip(), float(r[10])))
    return {k: (" ".join(t for t, _ in v), sum(c for _, c in v) / len(v)) for k, v in texts.items()}


def second_look(
    pages: dict[int, list[Word]],
    images: dict[int, Path],
    cells: dict[int, list[BBox]],
    dpi: int,
    run: Runner,
    pool: Executor,
    *,
    english: bool = True,
) -> dict[int, list[Word]]:
    """``pages`` (words per page index) with numerals re-counted and suspect short tokens read again.

    Args:
        pages: OCR words per page index.
        images: The page image (rulings wiped, tables not) each page was read from.
        cells: The boxes of the ruled table cells of each page.
        dpi: Its resolution.
        run: Runs Tesseract over a list file of images.
        pool: Where the Tesseract runs go (two at most per document).
        english: Whether the English model is installed (for markers).
    """
    out = {i: list(ws) for i, ws in pages.items()}
    jobs: dict[str, list[_Job]] = {"lone": [], "marker": [], "number": []}
    with tempfile.TemporaryDirectory(prefix="ocr-repair-") as tmp:
        for i, words in out.items():
            path = images.get(i)
            if path is None or not words:
                continue
            with Image.open(path) as im:
                image = np.asarray(im.convert("L"))
            boxes = cells.get(i, [])
            words[:] = repair_numerals(words, image, dpi, boxes)
            near = neighbours(words, regions(words, boxes))
            for k, w in enumerate(words):
                if not near[k].left and not near[k].right and lone_suspect().fullmatch(w.text):
                    kind = "lone"
                elif not near[k].left and english and marker_suspect().fullmatch(w.text):
                    kind = "marker"
                else:
                    continue
                if _MARKER.fullmatch(w.text) or (kind == "lone" and w.text.isdigit() and (w.conf or 0) >= 90):
                    continue
                crop_path = Path(tmp) / f"{kind}-{len(jobs[kind])}.png"
                Image.fromarray(_padded(_crop(image, w, dpi))).save(crop_path, compress_level=1)
                jobs[kind].append(_Job(i, k, kind))
            for label, symbol in empty_number_slots(words) if english else []:
                a, b = words[label], words[symbol]
                line = Word(a.x0, min(a.top, b.top), b.x1, max(a.bottom, b.bottom), "", a.size)
                crop_path = Path(tmp) / f"number-{len(jobs['number'])}.png"
                Image.fromarray(_padded(_crop(image, line, dpi, margin=round(3 * dpi / 72)))).save(crop_path)
                jobs["number"].append(_Job(i, label, "number", (a.x1, b.x0)))
            del image
        futures: dict[str, Future[str]] = {}
        for kind, lang, psm in (("lone", "vie", "8"), ("marker", "eng", "8"), ("number", "eng", "7")):
            if not jobs[kind]:
                continue
            listing = Path(tmp) / f"{kind}.txt"
            listing.write_text(
                "".join(f"{Path(tmp) / f'{kind}-{n}.png'}{os.linesep}" for n in range(len(jobs[kind]))),
                encoding="utf-8",
            )
            futures[kind] = pool.submit(run, listing, lang, psm)
        added: dict[int, list[Word]] = {}
        for kind, future in futures.items():
            reads = _parse_list_tsv(future.result())
            for n, job in enumerate(jobs[kind]):
                if n not in reads:
                    continue
                text, conf = reads[n]
                w = out[job.page][job.index]
                if kind == "number":
                    number = accept_number(text)
                    if number is not None:
                        x0, x1 = job.slot
                        pad = 0.25 * w.height
                        added.setdefault(job.page, []).append(
                            Word(x0 + pad, w.top, x1 - pad, w.bottom, number, w.size, conf)
                        )
                    continue
                fixed = (accept_lone if kind == "lone" else accept_marker)(w.text, text)
                if fixed is not None:
                    out[job.page][job.index] = replace(w, text=fixed, conf=conf)
        for page, extra in added.items():
            out[page].extend(extra)
    return out
