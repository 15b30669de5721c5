"""Characters → words the way pdfplumber does it, for the pdfium engine (:mod:`.pdf_pdfium`).

A character here is a plain tuple (:data:`Char`) rather than pdfplumber's
dict, and the functions are pdfplumber's algorithms over them, so that the
pdfium engine's words equal the pdfplumber engine's:

* :func:`clean_chars` — the reader's clean-up (``pdf_plumber._plumber_words``): glyphs
  drawn twice (fake bold) dropped as ``page.dedupe_chars(tolerance=1)`` does
  when they are over 2 % of the page, then footnote marks (small raised
  digits set against a body-size character) dropped;
* :func:`words_from_chars` — ``page.extract_words(x_tolerance=3,
  y_tolerance=3)``: runs of upright and of rotated characters; lines are
  clusters of character tops (x0 for rotated text) chained at most 3 pt
  apart, characters sorted along the line; a word ends at a blank, at a gap
  over 3 pt, at a step back or at a jump of over 3 pt across.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import regex

from .pdf_layout import Word

__all__ = ["Char", "clean_chars", "dedupe_chars", "words_from_chars"]

# A character: text, x0, top, x1, bottom, size, upright, font name.
Char = tuple[str, float, float, float, float, float, bool, str]

LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}
_MARK_CHAR = regex.compile(r"[\d*]")


def clean_chars(chars: list[Char]) -> list[Char]:
    """Fake-bold duplicates (when over 2 % of the characters) and footnote marks removed."""
    seen = {(c[0], round(c[1]), round(c[2])) for c in chars}
    if len(chars) - len(seen) > 0.02 * len(chars):
        chars = dedupe_chars(chars)
    marks = _superscript_chars(chars)
    if marks:
        chars = [c for c in chars if (c[0], round(c[1], 2), round(c[2], 2)) not in marks]
    return chars


def dedupe_chars(chars: list[Char], tolerance: float = 1) -> list[Char]:
    """pdfplumber's ``dedupe_chars``: of the glyphs with the same text, font and size within
    ``tolerance`` of each other, the first (top-most, then left-most) stays; order kept."""
    order = {id(c): k for k, c in enumerate(chars)}
    keep: list[Char] = []
    for _, group in itertools.groupby(sorted(chars, key=_dedupe_key), key=_dedupe_key):
        for row in _cluster(list(group), lambda c: c[2], tolerance):
            for cell in _cluster(row, lambda c: c[1], tolerance):
                keep.append(min(cell, key=lambda c: (c[2], c[1])))
    return sorted(keep, key=lambda c: order[id(c)])


def _dedupe_key(c: Char) -> tuple[bool, str, str, float]:
    return (c[6], c[0], c[7], c[5])


def _superscript_chars(chars: Sequence[Char]) -> set[tuple[str, float, float]]:
    """Footnote marks: small raised digits set right against a body-size character
    (``pdf_plumber._superscript_chars``), as (text, x0, top) rounded to 0.01."""
    marks: set[tuple[str, float, float]] = set()
    for k, c in enumerate(chars):
        if not _MARK_CHAR.fullmatch(c[0]):
            continue
        for n in (k - 1, k + 1):
            if not 0 <= n < len(chars):
                continue
            o = chars[n]
            o_size = o[5]
            near = abs(o[1] - c[3]) < o_size or abs(c[1] - o[3]) < o_size
            raised = c[4] < o[4] - 0.15 * o_size
            if near and raised and c[5] < 0.8 * o_size and o[0].strip():
                marks.add((c[0], round(c[1], 2), round(c[2], 2)))
                break
    return marks


def _cluster(items: list[Char], key: Callable[[Char], float], tolerance: float) -> list[list[Char]]:
    """pdfplumber's ``cluster_objects``: values chained at most ``tolerance`` apart, clusters in
    value order, items in their order inside a cluster."""
    values = sorted(set(map(key, items)))
    if not values:
        return []
    index: dict[float, int] = {}
    group = 0
    last = values[0]
    for v in values:
        if v > last + tolerance:
            group += 1
        index[v] = group
        last = v
    clusters: list[list[Char]] = [[] for _ in range(group + 1)]
    for item in items:
        clusters[index[key(item)]].append(item)
    return clusters


def words_from_chars(chars: list[Char], x_tolerance: float = 3, y_tolerance: float = 3) -> list[Word]:
    """pdfplumber's ``extract_words(x_tolerance, y_tolerance)`` on the characters, as
    :class:`Word`s (size: the largest character's)."""
    words: list[Word] = []
    for upright, group in itertools.groupby(chars, key=lambda c: c[6]):
        if upright:  # lines are clusters of tops, characters left to right
            lines = _cluster(list(group), lambda c: c[2], y_tolerance)
        else:  # rotated text: lines are clusters of x0, characters top to bottom
            lines = _cluster(list(group), lambda c: c[1], x_tolerance)
        for line in lines:
            if upright:
                line.sort(key=lambda c: c[1])
            else:
                line.sort(key=lambda c: (c[2], c[4]))
            current: list[Char] = []
            for c in line:
                if c[0].isspace():
                    if current:
                        words.append(_word(current))
                        current = []
                    continue
                if current:
                    p = current[-1]
                    if upright:
                        new = c[1] < p[1] or c[1] > p[3] + x_tolerance or abs(c[2] - p[2]) > y_tolerance
                    else:
                        new = c[2] < p[2] or c[2] > p[4] + y_tolerance or abs(c[1] - p[1]) > x_tolerance
                    if new:
                        words.append(_word(current))
                        current = []
                current.append(c)
            if current:
                words.append(_word(current))
    return words


def _word(chars: list[Char]) -> Word:
    text = "".join(LIGATURES.get(c[0], c[0]) for c in chars)
    return Word(
        min(c[1] for c in chars),
        min(c[2] for c in chars),
        max(c[3] for c in chars),
        max(c[4] for c in chars),
        text,
        max(c[5] for c in chars),
    )
