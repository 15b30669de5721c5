"""People's names read by OCR: the family name's tone mark put right.

OCR confuses Vietnamese tone marks more than letters (``Lâm`` read ``Lầm``).
A family name comes from a short closed list (``patterns/surnames.tsv``), so
a first syllable that is on no list but differs from exactly one entry only
in its tone mark is that entry.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from ..rules import load_tsv
from ..text.normalize import strip_tones


def fold_marks(text: str) -> str:
    """``text`` without any diacritic (``Đ`` kept apart from ``D``): ``GIÁM ĐÓC`` → ``GIAM ĐOC``."""
    return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)))


def toneless(syllable: str) -> str:
    """``syllable`` without its tone mark (vowel marks kept: ``Lầm`` → ``Lâm``)."""
    return strip_tones(syllable)


@cache
def _surnames() -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    names = frozenset(unicodedata.normalize("NFC", r[0]) for r in load_tsv("surnames.tsv") if r and r[0])
    by_base: dict[str, list[str]] = {}
    for name in names:
        by_base.setdefault(toneless(name), []).append(name)
    return names, {k: tuple(v) for k, v in by_base.items()}


def repair_surname(name: str) -> str:
    """``name`` with its first syllable replaced by the one family name it can only be a misread tone of."""
    first, sep, rest = name.partition(" ")
    if not sep or not first:
        return name
    names, by_base = _surnames()
    if first in names:
        return name
    candidates = by_base.get(toneless(first), ())
    return f"{candidates[0]} {rest}" if len(candidates) == 1 else name
