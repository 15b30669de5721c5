"""Write capitalised header and signature phrases as names.

``ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM`` → ``Ủy ban nhân dân tỉnh Quảng Nam``;
``PHÓ CHỦ TỊCH`` → ``Phó Chủ tịch``.  Known phrases come from
``patterns/casing.tsv``; words after an administrative level word (tỉnh,
thành phố …) are a place name and are title-cased; anything else keeps a
capital on its first word only.
"""

from __future__ import annotations

from functools import cache

import regex

from ..rules import load_tsv
from ..text.normalize import is_upper_line


@cache
def _table() -> tuple[tuple[list[str], str, str], ...]:
    rows = [(r[0].split(), r[1], r[2]) for r in load_tsv("casing.tsv") if len(r) >= 3]
    rows.sort(key=lambda r: -len(r[0]))
    return tuple(rows)


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
            elif regex.fullmatch(r"[\p{Lu}\d&\-.]{2,}", w) and len(w) <= 5 and not regex.search(r"[À-ỹ]", w.lower()):
                out.append(w)  # acronyms such as MTTQ, VNPT
            else:
                out.append(w.lower())
            i += 1
    result = " ".join(out)
    return result[:1].upper() + result[1:]


def sentence_title(text: str) -> str:
    """``PHÓ CHỦ TỊCH`` → ``Phó Chủ tịch``; mixed-case text is returned as is."""
    return proper_name(text)
