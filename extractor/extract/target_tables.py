"""Targets from target tables: ``STT | Chỉ tiêu | Chỉ tiêu phấn đấu năm 2025 | Đơn vị theo dõi | Đơn vị thực hiện``.

Columns are recognised by header synonyms (``patterns/target_columns.jsonl``),
two-row headers read together, the way :mod:`.task_tables` reads assignment
tables.  A row with an indicator and a value is a target; a row without a
value (``7 | Chính quyền điện tử, chính quyền số``) groups the rows below.
Rows without an index continue the last numbered row (``7.2``); a row whose
indicator is a bullet (``- Các sở, ngành …``) completes the label its parent
ends with (``Tỷ lệ lập hồ sơ công việc …:``).  Agency cells left empty
(vertically merged) or printed ``-`` (ditto) take the cell of the row above.
A value cell that states several values (``Công bố 100% … - Thực hiện đơn
giản hóa 20% …``) gives several targets.  A table without a value column
(``TT | Chỉ tiêu | Chủ trì``) states its values inside the indicator sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import regex

from ..text.document import Document, Table, TCell
from .columns import column_role as _column_role
from .quantities import Quantity, find_quantities, vocabulary
from .target_clauses import clause_targets, clean_indicator, split_clauses, year_in
from .task_common import AgencyRef, cell_agencies

__all__ = ["TargetCandidate", "agencies_of", "table_roles", "targets_from_tables"]

_GROUP_INDEX = regex.compile(r"^(?:[IVXLC]+|[A-ZĐ])\.?(?:\s+\S.*)?$")
_ROMAN_TITLE = regex.compile(r"^(?:[IVXLC]+|[A-ZĐ])\.\s+\S")
_DITTO = regex.compile(r"^[\s\-–—\"”]*$")
_LEVELS = regex.compile(r"cấp (?:tỉnh|huyện|xã)")
_LEVEL_HEAD = regex.compile(r"^(Ủy ban nhân dân|Hội đồng nhân dân)(?: (cấp (?:tỉnh|huyện|xã)))?$")


@dataclass
class TargetCandidate:
    """A target before it becomes a :class:`~extractor.model.Target`; offsets index the document text."""

    indicator: str
    value_text: str
    number: float | None
    unit: str | None
    comparator: str | None
    start: int
    end: int
    year: int | None = None
    monitor: list[AgencyRef] = field(default_factory=list)
    implementers: list[AgencyRef] = field(default_factory=list)
    table: str | None = None
    row: str | None = None
    source: str = ""  # the sentence or cell the target was read from (to spot a sentence printed twice)
    scope: int = -1  # start of the section it was read in (prose)
    cue: bool = False  # read outside a goals section, after a cue word


def column_role(header: str) -> str | None:
    """The role of a target-table column from its header (exact synonym, else leading synonym)."""
    return _column_role(header, "target_columns.jsonl")


@dataclass
class _Layout:
    header_rows: int
    roles: list[str | None]
    year: int | None


def table_roles(doc: Document, table: Table) -> _Layout | None:
    """Header rows and column roles of a target table; None when the table is not one."""
    for hi in range(min(3, len(table.rows))):
        cells = table.rows[hi].cells
        roles = [column_role(doc.cell_text(c)) for c in cells]
        if "indicator" not in roles:
            continue
        texts = [doc.cell_text(c) for c in cells]
        n = 1
        if hi + 1 < len(table.rows):
            nxt_cells = table.rows[hi + 1].cells
            nxt = [column_role(doc.cell_text(c)) for c in nxt_cells]
            if any(r is not None for r in nxt) and not regex.match(r"^\s*\d", doc.cell_text(nxt_cells[0])):
                n = 2
                nxt += [None] * (len(roles) - len(nxt))
                roles = [b if b is not None and a in (None, "other") else a for a, b in zip(roles, nxt, strict=False)]
                texts += [doc.cell_text(c) for c in nxt_cells]
        if "result" in roles or not ({"value", "implementers", "monitor"} & set(roles)):
            return None
        year = None
        for t, r in zip(texts, roles + [None] * len(texts), strict=False):
            if r == "value" and (m := regex.search(r"(?<!\d)(20\d\d)(?!\d)", t)):
                year = int(m.group(1))
        return _Layout(hi + n, roles, year)
    return None


def _distribute_levels(refs: list[AgencyRef], text: str, base: int) -> list[AgencyRef]:
    """``UBND, HĐND cấp huyện, cấp xã`` → each council at each level (the matcher reads the first only)."""
    out: list[AgencyRef] = []
    for seg in regex.finditer(r"[^;\n]+", text):
        s, e = base + seg.start(), base + seg.end()
        inside = [r for r in refs if s <= r.start < e]
        heads = [(r, _LEVEL_HEAD.match(r.name)) for r in inside]
        levels = [m.group(2) for _, m in heads if m and m.group(2)]
        for lm in _LEVELS.finditer(text, seg.start(), seg.end()):
            if not any(r.start <= base + lm.start() < r.end for r in inside):
                levels.append(lm.group(0))
        kinds = [m.group(1) for _, m in heads if m]
        if not levels or not kinds or (len(set(levels)) < 2 and all(m is None or m.group(2) for _, m in heads)):
            out += inside
            continue
        seen: set[str] = set()
        for r, m in heads:
            if m is None:
                out.append(r)
                continue
            for lv in dict.fromkeys(levels):
                name = f"{m.group(1)} {lv}"
                if name not in seen and m.group(1) in kinds:
                    seen.add(name)
                    out.append(AgencyRef(name, r.text, "group", r.start, r.end, r.known))
    return out


def agencies_of(text: str, base: int) -> list[AgencyRef]:
    """Bodies named in an agency cell, levels distributed over the councils they follow."""
    refs = cell_agencies(text, base)
    return _distribute_levels(refs, text, base) if refs else refs


def _table_name(table: Table, appendix_titles: list[tuple[int, str]]) -> str:
    name = f"Bảng {table.index + 1}"
    for start, title in appendix_titles:
        if start <= table.start:
            name = title
    return name


def _value_parts(text: str) -> list[tuple[int, int]]:
    """Pieces of a value cell that state separate values (``… - Thực hiện …``, ``;``)."""
    cuts = [m.span() for m in regex.finditer(r"(?:^|[.;]\s*|\n)\s*[-+•]\s+|;\s*|\n(?=\S)", text)]
    out, pos = [], 0
    for s, e in cuts:
        if s > pos:
            out.append((pos, s))
        pos = e
    out.append((pos, len(text)))
    return [(s, e) for s, e in out if text[s:e].strip(" .")]


def _cell_value(cell: str) -> str:
    """A value cell stating one value is kept whole (``Tối thiểu 30% số cơ quan …``)."""
    return regex.sub(r"\s+", " ", cell).strip().rstrip(".;").strip()


def _first(qs: list[Quantity]) -> Quantity | None:
    """The number of a cell, else its rank or completion phrase (``Thuộc nhóm Xuất sắc (trên 90 điểm) …``)."""
    nums = [q for q in qs if q.kind == "number"]
    return nums[0] if nums else (qs[0] if qs else None)


@cache
def _indicator_heads() -> regex.Pattern[str]:
    words = "|".join(regex.escape(w) for w in vocabulary().words.get("indicator_head", ()))
    return regex.compile(rf",\s*(?=(?:{words})(?!\p{{L}}))", regex.IGNORECASE)


@dataclass
class _Ctx:
    name: str
    year: int | None
    monitor: list[AgencyRef] = field(default_factory=list)
    implementers: list[AgencyRef] = field(default_factory=list)
    row: str | None = None
    label: str | None = None


def _agencies(doc: Document, cell: TCell | None, prev: list[AgencyRef]) -> list[AgencyRef]:
    if cell is None:
        return prev
    text = doc.cell_text(cell)
    if _DITTO.match(text):
        return prev  # empty (merged) or "-" (same as above)
    return agencies_of(text, cell.start)


def _row_targets(doc: Document, cells: tuple[TCell, ...], col: dict[str, int], ctx: _Ctx) -> list[TargetCandidate]:
    def get(role: str) -> TCell | None:
        i = col.get(role)
        return cells[i] if i is not None and i < len(cells) else None

    ind_cell, val_cell = get("indicator"), get("value")
    index = doc.cell_text(c).strip().rstrip(".") if (c := get("index")) else ""
    if ind_cell is None:
        return []
    raw = doc.cell_text(ind_cell)
    ind_text = regex.sub(r"\s+", " ", raw).strip()
    if not ind_text or _GROUP_INDEX.match(index) or (not index and _ROMAN_TITLE.match(ind_text)):
        return []
    value = doc.cell_text(val_cell) if val_cell is not None else ""
    ctx.monitor = _agencies(doc, get("monitor"), ctx.monitor)
    ctx.implementers = _agencies(doc, get("implementers"), ctx.implementers)
    bullet = regex.match(r"^\s*[-+•]\s*", raw)
    if index:
        ctx.row = index
        lab = regex.match(r"^(?P<label>[^\n]+?):\s*\n\s*[-+•]\s*(?P<rest>.+)$", raw, flags=regex.DOTALL)
        ctx.label = lab.group("label").strip() if lab else (ind_text[:-1] if ind_text.endswith(":") else None)
        if lab:
            rest = " ".join(lab.group("rest").split())
            ind_text = f"{ctx.label}: {rest}"
    elif bullet and ctx.label:
        ind_text = f"{ctx.label}: {ind_text[bullet.end():].strip()}"
    indicator = clean_indicator(ind_text)

    def make(ind: str, q: Quantity | None, end: int, year: int | None, text: str | None = None) -> TargetCandidate:
        return TargetCandidate(
            indicator=ind, value_text=text if text is not None else (q.text if q else ""),
            number=q.number if q else None, unit=q.unit if q else None, comparator=q.comparator if q else None,
            start=ind_cell.start, end=end, year=year, monitor=list(ctx.monitor),
            implementers=list(ctx.implementers), table=ctx.name, row=ctx.row,
            source=ind_text if val_cell is None else "",
        )

    if val_cell is None:
        # The value is stated inside the indicator sentence.
        return [make(ct.indicator, ct.quantity, ind_cell.end, ct.year or year_in(raw) or ctx.year)
                for s, e in split_clauses(raw) for ct in clause_targets(raw[s:e])]
    if not value.strip() or _DITTO.match(value):
        if index:
            ctx.label = ctx.label or ind_text
        return []  # a group row: its children carry the values
    end = max(ind_cell.end, val_cell.end)
    parts = _value_parts(value)
    numbers = [q for s, e in parts for q in find_quantities(value[s:e]) if q.kind == "number"]
    year = year_in(value) or ctx.year
    if len(numbers) < 2:
        return [make(indicator, _first(find_quantities(value)), end, year, _cell_value(value))]
    # "Giảm A, giảm B" | "Giảm 10% A và 10% B": one indicator per value, in order.
    pieces = [p.strip() for p in _indicator_heads().split(ind_text.rstrip("."))]
    if len(pieces) == len(numbers):
        return [make(clean_indicator(p), q, end, year) for p, q in zip(pieces, numbers, strict=True)]
    return [make(f"{indicator.rstrip('.')}: {ct.indicator[:1].lower()}{ct.indicator[1:]}", ct.quantity, end, year)
            for s, e in parts for cs, ce in split_clauses(value[s:e]) for ct in clause_targets(value[s + cs:s + ce])]


def targets_from_tables(doc: Document, appendices: list[tuple[int, str, str]],
                        default_year: int | None) -> list[TargetCandidate]:
    """Target candidates from every table whose header marks it as a target table.

    Args:
        doc: The normalised document.
        appendices: ``(start, label, title)`` of the appendices; a table takes the label of the one it is in
            and the year its title names (``… ĐẾN NĂM 2030``).
        default_year: The year when neither the value header nor the appendix title names one.

    Returns:
        The candidates in table order.
    """
    out: list[TargetCandidate] = []
    for table in doc.tables:
        layout = table_roles(doc, table)
        if layout is None:
            continue
        roles = layout.roles
        col = {r: i for i, r in reversed(list(enumerate(roles))) if r is not None}
        name = _table_name(table, [(s, label) for s, label, _ in appendices])
        title_year = next((year_in(t) for s, _, t in reversed(appendices) if s <= table.start), None)
        ctx = _Ctx(name=name, year=layout.year or title_year or default_year)
        for row in table.rows[layout.header_rows:]:
            cells = row.cells
            while len(cells) > len(roles) and not doc.cell_text(cells[0]).strip():
                cells = cells[1:]  # a crawl shifted the row right by an empty cell
            out += _row_targets(doc, cells, col, ctx)
    return out
