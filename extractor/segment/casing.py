"""Write capitalised header and signature phrases as names.

``ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM`` → ``Ủy ban nhân dân tỉnh Quảng Nam``;
``PHÓ CHỦ TỊCH`` → ``Phó Chủ tịch``.  Known phrases come from
``patterns/casing.tsv``; words after an administrative level word (tỉnh,
thành phố …) are a place name and are title-cased; anything else keeps a
capital on its first word only.
"""

from __future__ import annotations

import unicodedata
from functools import cache

import regex

from ..rules import load_tsv
from ..text.normalize import is_upper_line


@cache
def _table() -> tuple[tuple[list[str], str, str], ...]:
    rows = [(r[0].split(), r[1], r[2]) for r in load_tsv("casing.tsv") if len(r) >= 3]
    rows.sort(key=lambda r: -len(r[0]))
    return tuple(rows)


@cache
def _known_acronyms() -> frozenset[str]:
    return frozenset(r[0] for r in load_tsv("abbreviations.tsv") if r and r[0].isupper())


def _is_acronym(word: str) -> bool:
    """MTTQ, VNPT, UBND stay capitalised; a plain syllable such as KHOA or PHAN does not."""
    w = word.strip(".,;:")
    if w in _known_acronyms():
        return True
    base = unicodedata.normalize("NFD", w)  # Á, Ơ … → A, O + marks: vowels whatever their tone
    return bool(regex.fullmatch(r"[\p{Lu}\p{M}\d&\-.]{2,}", base)) and not regex.search(r"[AEIOUY]", base)


def _title(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def proper_name(text: str) -> str:
    """Return a capitalised name written as a name; mixed-case text is returned as is."""
    text = regex.sub(r"\s+", " ", text).strip()
    if not is_upper_line(text):
        return text
    words = text.split(" ")
    out: list[str] = []
    i = 0
    place = False
    while i < len(words):
        for up, proper, kind in _table():
            if words[i : i + len(up)] == up:
                piece = proper
                if out and kind != "level" and not place:
                    pass
                out.append(piece)
                place = kind == "level"
                i += len(up)
                break
        else:
            w = words[i]
            if place or (out and out[-1] in ("Việt", "Nam")):
                out.append(_title(w))
            elif not out:
                out.append(_title(w))
            elif _is_acronym(w):
                out.append(w)  # acronyms such as MTTQ, VNPT
            else:
                out.append(w.lower())
            i += 1
    result = " ".join(out)
    return result[:1].upper() + result[1:]


def sentence_title(text: str) -> str:
    """``PHÓ CHỦ TỊCH`` → ``Phó Chủ tịch``; mixed-case text is returned as is."""
    return proper_name(text)
