"""Documents cited by number anywhere in the text (references).

``Quyết định số 1397/QĐ-UBND ngày 22 tháng 4 năm 2024 của Ủy ban nhân dân
tỉnh``, ``Kế hoạch 153/KH-UBND ngày 07/9/2023``, ``41/2023/NQ-HĐND``,
``09-CTr/TU`` (party documents write number-symbol/body).  The type word
before the number (from ``patterns/references.jsonl``) gives the document
type, else the symbol does.  Codes are kept as printed without inner spaces
(``71/NQ -CP`` → ``71/NQ-CP``); the document's own number is not a reference.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import regex

from ..rules import load_jsonl
from ..text.document import Document


@dataclass(frozen=True)
class RefMatch:
    doc_type: str
    reference_code: str
    date: str | None
    issuer: str | None
    start: int
    end: int


_CODE = (
    r"(?P<code>\d{1,5}(?:\.\d{1,3})?[a-z]?(?:/\d{4})?\s?/\s?[\p{Lu}Đđ][\p{L}\d&]*(?:\s?-\s?[\p{Lu}Đđ\d][\p{L}\d&]*){0,4}"
    r"|\d{1,4}-[\p{Lu}][\p{L}]*/[\p{Lu}][\p{L}\d]*)"
)
_DATE = (
    r"(?:\s*,?\s*ngày\s*(?P<d>\d{1,2})\s*(?:tháng\s*|/|-|\.)\s*(?P<m>\d{1,2})\s*(?:năm\s*|/|-|\.)\s*(?P<y>\d{4}))?"
)
_ISSUER = r"(?:\s+của\s+(?P<issuer>(?:Ủy ban nhân dân|Hội đồng nhân dân|Chính phủ|Thủ tướng Chính phủ|Bộ|Ban|Văn phòng|Tỉnh ủy|Thành ủy|Quốc hội|Sở|Chủ tịch)[\p{L} ]{0,40}?)(?=[,;.)]|\s+(?:về|ban hành|phê duyệt|quy định|hướng dẫn|thực hiện|triển khai|và)\b|$))?"


@cache
def _type_words() -> tuple[list[tuple[str, str]], dict[str, str]]:
    words: list[tuple[str, str]] = []
    symbols: dict[str, str] = {}
    for e in load_jsonl("references.jsonl"):
        if "word" in e:
            words.append((e["word"], e["doc_type"]))
        for w in e.get("words", []):
            words.append((w, e["doc_type"]))
        symbols.update(e.get("symbols", {}))
    words.sort(key=lambda w: -len(w[0]))
    return words, symbols


@cache
def _pattern() -> regex.Pattern[str]:
    words, _ = _type_words()
    alt = "|".join(regex.escape(w) for w, _ in words)
    return regex.compile(
        rf"(?:(?P<word>{alt}|{alt.lower()})\s+(?:số\s*:?\s*)?)?(?<![\p{{L}}\d/.-]){_CODE}(?![\p{{L}}\d/]){_DATE}{_ISSUER}",
        regex.IGNORECASE if False else 0,
    )


def _symbol_type(code: str, symbols: dict[str, str]) -> str:
    tail = code.split("/")[-1] if "-" not in code.split("/")[0] else code.split("/")[0].split("-", 1)[1]
    head = tail.split("-")[0]
    return symbols.get(head, "OTHER")


def find_references(doc: Document, own_code: str | None) -> list[RefMatch]:
    """Every cited document, first mention kept, own number excluded."""
    words, symbols = _type_words()
    word_type = {w.casefold(): t for w, t in words}
    seen: dict[str, RefMatch] = {}
    own = regex.sub(r"\s+", "", own_code or "")
    for m in _pattern().finditer(doc.text):
        code = regex.sub(r"\s+", "", m.group("code"))
        if "/" not in code or code == own or regex.fullmatch(r"\d+/\d+(?:/\d+)?", code):
            continue
        if own and own.startswith("/") and code.endswith(own) and not m.group("word"):
            continue
        if regex.search(r"(?i)(?:mẫu|biểu)(?:\s+số)?\s*:?[\d\s,/]*(?:và|,)?\s*$", doc.text[max(0, m.start("code") - 24):m.start("code")]):
            continue  # form numbers (Mẫu số 02/HNMT) are not documents
        word = m.group("word")
        doc_type = word_type.get(word.casefold(), "OTHER") if word else _symbol_type(code, symbols)
        if word and doc_type == "OTHER" and _symbol_type(code, symbols) != "OTHER" and word.casefold() in ("văn bản",):
            doc_type = _symbol_type(code, symbols)
        date = None
        if m.group("y"):
            try:
                date = dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d"))).isoformat()
            except ValueError:
                date = None
        issuer = m.group("issuer").strip() if m.group("issuer") else None
        start = m.start()
        end = m.end()
        while end > start and doc.text[end - 1] in " ,;.":
            end -= 1
        ref = RefMatch(doc_type, code, date, issuer, start, end)
        key = code.casefold()
        prev = seen.get(key)
        if prev is None:
            seen[key] = ref
        elif prev.date is None and date is not None:
            seen[key] = RefMatch(prev.doc_type if prev.doc_type != "OTHER" else doc_type, code, date,
                                  prev.issuer or issuer, start, end)
    return sorted(seen.values(), key=lambda r: r.start)
