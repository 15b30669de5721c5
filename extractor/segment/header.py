"""Header metadata per Nghị định 30/2020/NĐ-CP (the decree on document form).

A Vietnamese administrative document opens with a two-column header: the
issuing body (cơ quan ban hành, with its parent body above it) on the left,
the national motto on the right, then ``Số: …`` (number and symbol) and
``<place>, ngày … tháng … năm …``; then the document type (``KẾ HOẠCH``) and
its subject (trích yếu).  Crawls and plain-text copies flatten the two
columns into interleaved lines; this module strips the motto wherever it
lands and reads the rest.  It also reads the signature block (người ký with
``TM.``/``KT.``/``TL.`` authority lines) and the recipients (Nơi nhận).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache

import regex

from ..rules import load_jsonl, rule_pattern, rule_words
from ..text.document import Document, Line
from ..text.normalize import is_upper_line
from .casing import proper_name, sentence_title
from .names import fold_marks, repair_surname

MOTTO = regex.compile(
    r"C\s*Ộ\s*N\s*G\s+H\s*Ò\s*A\s+X\s*Ã\s+H\s*Ộ\s*I\s+C\s*H\s*Ủ\s+N\s*G\s*H\s*Ĩ\s*A\s+V\s*I\s*Ệ\s*T\s+N\s*A\s*M"
    r"|Độc\s+lập\s*[-–]\s*Tự\s+do\s*[-–]\s*Hạnh\s+phúc",
    regex.IGNORECASE,
)
NUMBER = regex.compile(r"\bSố\s*:?\s*(\d[\dA-Za-z.]*)?\s*/\s*([\p{L}\d][\p{L}\d&./\-\s]*?[\p{L}\d])\s*(?=$|\n|\||V/v|Về\s|\s{2})")
DATE_LINE = regex.compile(
    r"(?:^|\|\s*)([\p{L}][\p{L} .\-]{1,40}?)\s*,\s*ngày\s*(\d{1,2})?\s*(?:tháng|/)\s*(\d{1,2})?\s*(?:năm|/)\s*(\d{4})?"
)
AUTHORITY = regex.compile(r"^(TM|KT|TL|TUQ|Q)\s*\.?\s+(.+)$")
AUTHORITY_LINE = regex.compile(r"^(?:(?:TM|KT|TL|TUQ|Q)\.\s*\S|(?:TM|KT|TL|TUQ)\s+\p{Lu})")
PERSON = regex.compile(r"^(?:\p{Lu}[\p{Ll}]*\.?)(?:\s+\p{Lu}[\p{Ll}]*){1,4}$")
PAREN = regex.compile(r"^[\(\[].*[\)\]]$")
PART_LABEL = regex.compile(r"^(PHỤ LỤC|Phụ lục)(?:\s+(?:số\s*)?([IVXLC]+|\d+[a-z]?))?\b[.:]?\s*(.*)$")


@dataclass(frozen=True)
class HeaderVocab:
    """Header vocabulary from ``patterns/header.jsonl`` compiled once."""

    issuer_heads: regex.Pattern[str]
    incomplete_issuer: regex.Pattern[str]
    position_tail: regex.Pattern[str]
    position_word: regex.Pattern[str]
    authority_head: regex.Pattern[str]
    subject_stop: regex.Pattern[str]
    subject_weak_stop: regex.Pattern[str]


def _alt(words: list[str]) -> str:
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def vocab() -> HeaderVocab:
    e = {x["id"]: x for x in load_jsonl("header.jsonl")}
    positions = _alt(e["positions"]["words"])
    return HeaderVocab(
        issuer_heads=regex.compile(r"(?<![\p{L}])(?:" + _alt(e["issuer-heads"]["words"]) + r")(?![\p{L}])"),
        incomplete_issuer=regex.compile(_alt(e["issuer-incomplete"]["words"])),
        position_tail=regex.compile(r"\s((?:PHÓ\s+)?(?:" + positions + r")(?:\s+THƯỜNG TRỰC)?)$"),
        position_word=regex.compile(r"(?:" + positions + r"|TRƯỞNG|CHÁNH|PHÓ|KT\.|TM\.)"),
        authority_head=regex.compile(r"^(?:" + _alt(e["authority-heads"]["words"]) + r")\b"),
        subject_stop=regex.compile(r"^(?:" + "|".join(e["subject-stop"]["patterns"]) + r")"),
        subject_weak_stop=regex.compile(r"^(?:" + "|".join(e["subject-weak-stop"]["patterns"]) + r")"),
    )


@dataclass(frozen=True)
class DocTypeRule:
    id: str
    doc_type: str | None
    label: str
    symbols: tuple[str, ...]
    part: str


def doc_type_rules() -> list[DocTypeRule]:
    out = []
    for e in load_jsonl("doc_types.jsonl"):
        out.append(
            DocTypeRule(
                id=e["id"],
                doc_type=e.get("doc_type", e["id"]),
                label=e["label"],
                symbols=tuple(e.get("symbols", [])),
                part=e["part"],
            )
        )
    return out


@dataclass
class PartInfo:
    kind: str
    label: str
    title: str | None
    start: int
    end: int
    line_index: int


@dataclass
class HeaderInfo:
    doc_type: str | None = None
    doc_type_label: str | None = None
    reference_code: str | None = None
    number: str | None = None
    symbol: str | None = None
    issuer: str | None = None
    parent_issuer: str | None = None
    place: str | None = None
    issued_date: str | None = None
    subject: str | None = None
    signer_name: str | None = None
    signer_position: str | None = None
    signer_authority: str | None = None
    recipients: list[str] = field(default_factory=list)
    legal_bases: list[str] = field(default_factory=list)
    parts: list[PartInfo] = field(default_factory=list)
    body_start: int = 0  # index into doc.lines where the body begins


def _iso(day: str | None, month: str | None, year: str | None) -> str | None:
    if not (day and month and year):
        return None
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _label_rule(text: str, rules: list[DocTypeRule]) -> DocTypeRule | None:
    t = text.strip().rstrip(":").strip()
    for r in rules:
        if t.upper() == r.label and t.isupper():
            return r
    return None


def _symbol_doc_type(symbol: str, rules: list[DocTypeRule]) -> str | None:
    head = regex.split(r"[-/]", symbol)[0]
    for r in rules:
        if head in r.symbols and r.doc_type:
            return r.doc_type
    return None


def _split_issuer(lines: list[str]) -> tuple[str | None, str | None]:
    """Split the issuer column into (parent, issuer) using organisation head words."""
    text = " ".join(s.strip() for s in lines if s.strip())
    text = regex.sub(r"\s+", " ", text).strip(" -_")
    if not text:
        return None, None
    heads = [m.start() for m in vocab().issuer_heads.finditer(text)]
    # Heads inside a name ("BAN NHÂN DÂN" of "ỦY BAN NHÂN DÂN", "HỘI" of "HỘI ĐỒNG",
    # "MẶT TRẬN" of "ỦY BAN MẶT TRẬN") are not new bodies.
    starts: list[int] = []
    for h in heads:
        before = text[:h].rstrip()
        if before.endswith(("ỦY", "UỶ", "ỦY BAN", "UỶ BAN", "CHI", "TỔNG", "ĐẢNG", "ỦY BAN MTTQ")):
            continue
        if starts and h - starts[-1] < 12 and text[starts[-1]:h].strip() in ("ỦY", "UỶ", "HỘI", "BAN"):
            continue
        word_before = before.split(" ")[-1] if before else ""
        if word_before in ("VÀ", "CỦA", "NGHĨA", "QUỐC", "TỔ", "PHÒNG", "TƯỚNG"):
            continue
        starts.append(h)
    if len(starts) <= 1:
        return None, proper_name(text)
    parent = text[: starts[-1]].strip()
    issuer = text[starts[-1]:].strip()
    if vocab().incomplete_issuer.fullmatch(issuer):
        return proper_name(parent), proper_name(issuer + " " + parent)
    return proper_name(parent), proper_name(issuer)


@cache
def _name_prefixes() -> tuple[str, ...]:
    return tuple(sorted((fold_marks(w) for w in rule_words("header.jsonl", "name-prefixes")), key=len, reverse=True))


def _person(text: str) -> str | None:
    """The name of a signature's name line (a rank or title before it left out, matched without
    marks so that a scan's ``Thiêu tướng`` is ``Thiếu tướng``), or None."""
    folded = fold_marks(text)
    name = text
    for prefix in _name_prefixes():
        if folded.startswith(prefix) and len(folded) > len(prefix) and folded[len(prefix)] == " ":
            name = text[len(prefix) :].lstrip()
            break
    return name if PERSON.match(name) and len(name) <= 40 else None


@cache
def _positions_folded() -> tuple[tuple[str, str], ...]:
    words = rule_words("header.jsonl", "positions")
    return tuple((fold_marks(w), w) for w in sorted(words, key=len, reverse=True))


def ocr_position(text: str) -> str:
    """A scan's position line put right from the vocabulary when only its marks differ
    (``“GIÁM ĐÓC`` → ``GIÁM ĐỐC``, ``PHÓ CHU TỊCH`` → ``PHÓ CHỦ TỊCH``)."""
    core = text.strip(" “”\"'.,:;")
    folded = fold_marks(core)
    for key, word in _positions_folded():
        if folded == key or folded == "PHO " + key:
            return ("PHÓ " if folded.startswith("PHO ") else "") + word
    return text


def _find_signature(doc: Document, lines: list[Line], start: int, stop: int) -> tuple[int, str, str, str | None] | None:
    """Find the first signature block in ``lines[start:stop]``: (name line index, name, position, authority)."""
    texts = [doc.line_text(ln).strip() for ln in lines]
    if doc.format == "pdf-ocr":
        texts = [ocr_position(t) if t.isupper() or not regex.search(r"\p{Ll}", t) else t for t in texts]
    for i in range(start, stop):
        person = _person(texts[i])
        if person is None:
            continue
        t = person
        # Walk up over "(Đã ký)" markers to the position line.
        j = i - 1
        while j >= start and (PAREN.match(texts[j]) or not texts[j]):
            j -= 1
        if j < start or not is_upper_line(texts[j]) or len(texts[j]) > 60:
            continue
        if AUTHORITY_LINE.match(texts[j]):
            tail = vocab().position_tail.search(texts[j])
            if tail and AUTHORITY_LINE.match(texts[j][: tail.start()].strip()):
                pos_text = tail.group(1)
                auth_lines = [texts[j][: tail.start()].strip()]
            else:
                position = AUTHORITY.match(texts[j])
                pos_text = position.group(2) if position else texts[j]
                auth_lines = [texts[j]]
            k = j - 1
        else:
            pos_text = texts[j]
            auth_lines = []
            k = j - 1
        pieces: list[str] = []
        while k >= start and k >= j - 6:
            tk = texts[k]
            if not is_upper_line(tk) or len(tk) > 60 or MOTTO.search(tk):
                break
            if AUTHORITY_LINE.match(tk):
                auth_lines.insert(0, " ".join([tk] + pieces))
                pieces = []
            elif auth_lines or pieces or k == j - 1:
                pieces.insert(0, tk)
                if not any(AUTHORITY_LINE.match(texts[m]) for m in range(max(start, k - 3), k)):
                    break
            k -= 1
        if not (auth_lines or _looks_like_position(pos_text)):
            continue
        authority = "; ".join(_authority_text(a) for a in auth_lines) or None
        return i, t, sentence_title(pos_text), authority
    return None


_ONE_LINE_SIGNATURE = regex.compile(
    r"(?:^|\|\s*)((?:TM|KT|TL|TUQ)\.\s[^|\p{Ll}]*?)\s+(\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+){1,4})\s*(?:\||$)"
)


def _one_line_signature(texts: list[str]) -> tuple[int, str, str, str | None] | None:
    """A signature block a Word cell holds on one line: "TM. BAN CHỈ ĐẠO PHÓ TRƯỞNG BAN … Nguyễn Ngọc Phúc"."""
    for i, t in enumerate(texts):
        m = _ONE_LINE_SIGNATURE.search(t)
        if not m:
            continue
        head = m.group(1).strip()
        # The position is the last title of the capitalised run; what precedes it is the authority.
        titles = list(vocab().position_word.finditer(head))
        pos_start = next((x.start() for x in titles if x.start() > 4 and head[x.start() - 1] == " "
                          and not AUTHORITY_LINE.match(head[x.start():])), None)
        if pos_start is None:
            continue
        authority = head[:pos_start].strip()
        position = head[pos_start:].strip()
        return i, m.group(2), sentence_title(position), _authority_text(authority)
    return None


def _looks_like_position(text: str) -> bool:
    return bool(vocab().position_word.search(text))


def _authority_text(line: str) -> str:
    m = AUTHORITY.match(line)
    if not m:
        return sentence_title(line)
    return f"{m.group(1)}. {sentence_title(m.group(2))}"


def parse_header(doc: Document) -> HeaderInfo:
    """Read the header, subject, legal bases, signature, recipients and parts."""
    info = HeaderInfo()
    rules = doc_type_rules()
    lines = doc.lines
    texts = [doc.line_text(ln) for ln in lines]
    n = len(lines)
    limit = min(n, 60)

    # Number and symbol.
    num_idx: int | None = None
    for i in range(limit):
        m = NUMBER.search(texts[i])
        if m and texts[i].lstrip().startswith(("Số", "SỐ")) or (m and lines[i].table is not None and "Số" in texts[i][:5]):
            number = m.group(1)
            symbol = regex.sub(r"\s+", "", m.group(2))
            info.number = number or None
            info.symbol = symbol
            info.reference_code = f"{number or ''}/{symbol}"
            num_idx = i
            break

    # Place and date.
    date_idx: int | None = None
    for i in range(limit):
        m = None
        for piece in MOTTO.sub("\n", texts[i]).split("\n"):
            m = DATE_LINE.search(piece.strip())
            if m:
                break
        if m and not texts[i].startswith(("Căn cứ", "Thực hiện")) and "của" not in texts[i][: m.start() + 1]:
            place = m.group(1).strip()
            place = regex.sub(r"^(?:Số\s*:?.*?\|\s*)", "", place)
            if len(place.split()) <= 6:
                info.place = place
                info.issued_date = _iso(m.group(2), m.group(3), m.group(4))
                date_idx = i
                break

    # Document type label (first capitalised label line in the head zone).
    label_idx: int | None = None
    for i in range(limit):
        if lines[i].table is not None and lines[i].col not in (None, 0) and not texts[i].strip().isupper():
            continue
        r = _label_rule(texts[i], rules)
        if r is not None and r.doc_type is None and i < 3:
            # A stand-alone appendix file opens with its PHỤ LỤC title.
            r = DocTypeRule(r.id, "OTHER", r.label, r.symbols, r.part)
        if r is not None and r.doc_type is not None:
            info.doc_type = r.doc_type
            info.doc_type_label = texts[i].strip().rstrip(":").strip()
            label_idx = i
            break
    if info.doc_type is None and info.symbol:
        info.doc_type = _symbol_doc_type(info.symbol, rules) or "CONG_VAN"

    # Issuer: capitalised lines before Số / date / label, motto removed.
    head_end = min(x for x in (num_idx, date_idx, label_idx, limit) if x is not None)
    issuer_lines: list[str] = []
    # In a header table the issuer is the leftmost non-empty column (some files leave column 0 empty).
    first_col: dict[tuple[int, int | None], int] = {}
    for i in range(head_end):
        ln = lines[i]
        if ln.table is not None and ln.col is not None and texts[i].strip():
            key = (ln.table, ln.row)
            first_col[key] = min(first_col.get(key, ln.col), ln.col)
    for i in range(head_end):
        ln = lines[i]
        if ln.table is not None and ln.col is not None and ln.col != first_col.get((ln.table, ln.row), 0):
            continue
        t = MOTTO.sub("\n", texts[i])
        for piece in t.split("\n"):
            p = piece.strip(" -_|")
            if p and is_upper_line(p) and not NUMBER.search(p):
                issuer_lines.append(p)
    # Without a number line, a place-and-date line or the national motto there is no NĐ 30 header:
    # capitalised words at the top of a regulation or a table are no issuer.
    anchored = num_idx is not None or date_idx is not None or any(MOTTO.search(texts[i]) for i in range(limit))
    if issuer_lines and anchored:
        joined = MOTTO.sub("", " ".join(issuer_lines))
        info.parent_issuer, info.issuer = _split_issuer([joined])

    # Subject: lines after the label (or V/v for a công văn).
    body_start = max(x for x in (num_idx, date_idx, label_idx, -1) if x is not None) + 1
    if label_idx is not None:
        subj: list[str] = []
        upper = None
        for i in range(label_idx + 1, min(n, label_idx + 8)):
            t = texts[i].strip()
            if lines[i].table is not None and lines[label_idx].table is None:
                break
            if not t or vocab().subject_stop.match(t) or NUMBER.match(t) or DATE_LINE.match(t):
                break
            if subj and vocab().subject_weak_stop.match(t):
                break
            if upper is None:
                upper = is_upper_line(t)
            elif upper and (not is_upper_line(t) or vocab().authority_head.match(t)):
                break
            elif not upper and (is_upper_line(t) or len(t) > 250 or subj[-1].endswith(".")):
                break
            subj.append(t)
            body_start = i + 1
        info.subject = " ".join(subj) or None
    for i in range(limit):
        m = regex.match(r"^(?:V/v|Về việc)\s*:?\s*(.+)$|^(Về\s.+)$", texts[i].strip())
        if m and (not texts[i].strip().startswith("Về ") or (num_idx is not None and 0 < i - num_idx <= 2)):
            vv = [m.group(1) or m.group(2)]
            for j in range(i + 1, min(n, i + 4)):
                t = texts[j].strip()
                if not t or lines[j].block != lines[i].block or lines[j].col != lines[i].col:
                    break
                if regex.match(r"^(?:Kính gửi|Số|\p{Lu}[\p{L} ]+, ngày)", t):
                    break
                vv.append(t)
            if info.subject is None:
                info.subject = " ".join(vv)
            if info.doc_type is None or label_idx is None:
                info.doc_type = info.doc_type if label_idx is not None else "CONG_VAN"
            body_start = max(body_start, i + 1)
            break
    info.body_start = _after_salutation(texts, body_start)
    body_start = info.body_start

    # Parts: the main document, later document titles, appendices.
    info.parts = _find_parts(doc, rules, label_idx, info)

    # Legal bases ("Căn cứ …") before the first body heading of the first part.
    first_part_end = info.parts[1].line_index if len(info.parts) > 1 else n
    for i in range(body_start, first_part_end):
        t = texts[i].strip()
        if lines[i].table is None and t.startswith("Căn cứ"):
            info.legal_bases.append(t)
        elif info.legal_bases and regex.match(r"^(?:[IVX]+\.|Điều \d|QUYẾT ĐỊNH|1\.)", t):
            break

    # Signature: the first block after the body start (the decision's, when a
    # decision promulgates a plan).
    sig = _find_signature(doc, lines, body_start, n) or _one_line_signature(texts[body_start:])
    if sig is not None:
        _, info.signer_name, info.signer_position, info.signer_authority = sig
        if info.signer_name and doc.format == "pdf-ocr":
            info.signer_name = repair_surname(info.signer_name)

    # Recipients (Nơi nhận).
    for i in range(body_start, n):
        if regex.match(r"^Nơi nhận\s*:?", texts[i].strip()):
            rest = regex.sub(r"^Nơi nhận\s*:?\s*", "", texts[i].strip())
            items = [rest] if rest else []
            for j in range(i + 1, min(n, i + 60)):
                t = texts[j].strip()
                if lines[j].table != lines[i].table or lines[j].col != lines[i].col:
                    break
                if not regex.match(r"^[-+•]", t) and items and not t[:1].islower():
                    break
                items.append(t)
            info.recipients = [x for x in (regex.sub(r"^[-+•]\s*|[;,.]+$", "", it).strip() for it in items) if x]
            break
    return info


_ADDRESSEE = regex.compile(r"^[-–+•]\s*\S")


def _after_salutation(texts: list[str], start: int) -> int:
    """The first line after a "Kính gửi:" line and its dash list of addressees (when one opens the body)."""
    i = start
    while i < len(texts) and not regex.search(r"\p{L}", texts[i]):
        i += 1
    if i >= len(texts) or not rule_pattern("header.jsonl", "salutation").match(texts[i].strip()):
        return start
    i += 1
    while i < len(texts):
        t = texts[i].strip()
        if _ADDRESSEE.match(t) or not regex.search(r"[\p{L}\d]", t):
            i += 1
            continue
        break
    return i


def _find_parts(doc: Document, rules: list[DocTypeRule], label_idx: int | None, info: HeaderInfo) -> list[PartInfo]:
    lines = doc.lines
    texts = [doc.line_text(ln).strip() for ln in lines]
    parts: list[PartInfo] = []
    by_type = {r.doc_type: r for r in rules if r.doc_type}
    if info.doc_type is not None:
        rule = by_type.get(info.doc_type)
        kind = rule.part if rule else "letter"
        if info.doc_type == "OTHER" and info.doc_type_label:
            lr = _label_rule(info.doc_type_label, rules)
            kind = lr.part if lr else "other"
        start_line = label_idx if label_idx is not None else 0
        parts.append(
            PartInfo(kind, info.doc_type_label or "", info.subject, lines[start_line].start if lines else 0, 0, start_line)
        )
    for i in range(len(lines)):
        if label_idx is not None and i <= label_idx + 1:
            continue
        ln = lines[i]
        if ln.table is not None:
            continue
        t = texts[i]
        m = PART_LABEL.match(t)
        if m and (t.isupper() or m.group(1) == "PHỤ LỤC" or len(t) < 20):
            title = m.group(3).strip(" -:.") or _next_title(texts, lines, i)
            parts.append(PartInfo("appendix", t, title or None, ln.start, 0, i))
            continue
        r = _label_rule(t, rules)
        if r is not None and r.doc_type and not t.endswith(":"):
            if i + 1 < len(lines) and regex.match(r"^(?:Căn cứ|Điều)", texts[i + 1]):
                continue
            parts.append(PartInfo(r.part, t, _next_title(texts, lines, i), ln.start, 0, i))
    for k, p in enumerate(parts):
        p.end = parts[k + 1].start if k + 1 < len(parts) else len(doc.text)
        while p.end > p.start and doc.text[p.end - 1].isspace():
            p.end -= 1
    return parts


def _next_title(texts: list[str], lines: list[Line], i: int) -> str | None:
    out: list[str] = []
    for j in range(i + 1, min(len(texts), i + 5)):
        t = texts[j]
        if not t or lines[j].table is not None or t.startswith("(") or vocab().subject_stop.match(t):
            break
        if out and (is_upper_line(t) != is_upper_line(out[0])):
            break
        out.append(t)
    return " ".join(out) or None
