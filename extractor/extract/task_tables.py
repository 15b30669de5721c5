"""Tasks from assignment tables, whatever their header wording.

Columns are recognised by header synonyms (``patterns/task_columns.jsonl``):
``Nhiệm vụ | Hoạt động/sản phẩm | Cơ quan chủ trì | Cơ quan phối hợp | Thời
gian thực hiện`` and its many variants; two-row headers are read together.
Group rows (``I | CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH``, no body) name the group of
the rows below and are not tasks; sub-rows (``1.1``) and rows whose cells the
crawl dropped (vertically merged cells) inherit the body and deadline cells of
the row above.  A monitoring column (``Theo dõi``) is neither lead nor support.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from ..text.document import Document, Table, TCell
from .columns import column_role as _column_role
from .deadlines import DeadlineContext
from .task_common import AgencyRef, TaskCandidate, cell_agencies, cell_deadline, sentence_agencies

ROLES = ("index", "task", "deliverable", "lead", "support", "deadline", "monitor", "target", "other")
_GROUP_INDEX = regex.compile(r"^(?:[IVXLC]+|[A-ZĐ])\.?$")
_SUB_INDEX = regex.compile(r"^(\d+(?:\.\d+)+)\.?$")


def column_role(header: str, exact: bool = False) -> str | None:
    """The role of a task-table column from its header text (see :mod:`.columns`)."""
    return _column_role(header, "task_columns.jsonl", exact=exact, fuzzy=True)


@dataclass
class Layout:
    header_rows: int
    roles: list[str | None]


def table_layout(doc: Document, table: Table) -> Layout | None:
    """Find the header row(s) and the role of each column; None when not a task table."""
    for hi in range(min(3, len(table.rows))):
        row = table.rows[hi]
        roles = [column_role(doc.cell_text(c)) for c in row.cells]
        if "task" not in roles and "deliverable" not in roles:
            if "target" in roles and "lead" in roles:
                # "Phân công thực hiện các chỉ tiêu": each indicator row is assigned to a body.
                roles = ["task" if r == "target" else r for r in roles]
            else:
                continue
        header_rows = 1
        # Two-row headers: the second row fills the columns the first left blank or split.
        if hi + 1 < len(table.rows):
            nxt = [column_role(doc.cell_text(c)) for c in table.rows[hi + 1].cells]
            if sum(r is not None for r in nxt) >= 1 and not any(
                regex.match(r"^\d", doc.cell_text(c).strip()) for c in table.rows[hi + 1].cells[:1]
            ):
                header_rows = 2
                roles = [n if n is not None and (r is None or r in ("other",)) else r
                         for r, n in zip(roles, nxt + [None] * (len(roles) - len(nxt)), strict=False)]
        if "lead" not in roles and "deadline" not in roles:
            return None
        return Layout(hi + header_rows, roles)
    return None


def _table_name(doc: Document, table: Table, appendix_titles: list[tuple[int, str]]) -> str:
    name = f"Bảng {table.index + 1}"
    for start, title in appendix_titles:
        if start <= table.start:
            name = title
    return name


def _only_bodies(text: str) -> bool:
    found = cell_agencies(text, 0)
    rest = text
    for a in sorted(found, key=lambda a: -a.start):
        rest = rest[: a.start] + rest[a.end:]
    return bool(found) and not regex.sub(r"[\W\d_]|(?<!\p{L})(?:và|các)(?!\p{L})", "", rest)


def _cell(doc: Document, cells: tuple[TCell, ...], col: dict[str, int], prev_cells: dict[str, tuple[str, int]],
          role: str) -> tuple[str, int] | None:
    """Text and start of the cell playing ``role``; a cell the crawl dropped continues from above."""
    i = col.get(role)
    if i is None:
        return None
    if i >= len(cells):
        return prev_cells.get(role)
    c = cells[i]
    return doc.cell_text(c), c.start


def tasks_from_tables(
    doc: Document, ctx: DeadlineContext, appendix_titles: list[tuple[int, str]]
) -> list[TaskCandidate]:
    """Task candidates from every table whose header marks it as an assignment table."""
    out: list[TaskCandidate] = []
    for table in doc.tables:
        layout = table_layout(doc, table)
        if layout is None:
            continue
        name = _table_name(doc, table, appendix_titles)
        roles = layout.roles
        col = {r: i for i, r in reversed(list(enumerate(roles))) if r is not None}
        group: str | None = None
        parents: dict[str, tuple[list[AgencyRef], list[AgencyRef], tuple[str, int]]] = {}
        prev_cells: dict[str, tuple[str, int]] = {}
        for row in table.rows[layout.header_rows:]:
            cells = row.cells

            def cell(role: str, cells: tuple[TCell, ...] = cells, col: dict[str, int] = col,
                     prev_cells: dict[str, tuple[str, int]] = prev_cells) -> tuple[str, int] | None:
                return _cell(doc, cells, col, prev_cells, role)

            index = (cell("index") or ("", 0))[0].strip()
            task_cell = cell("task") or cell("deliverable")
            if task_cell is None:
                continue
            task_text = task_cell[0].strip()
            lead_cell = cell("lead")
            sup_cell = cell("support")
            dl_cell = cell("deadline")
            if not task_text:
                continue
            if len(regex.findall(r"\p{L}", task_text)) < 4 or _only_bodies(task_text):
                continue  # a misaligned crawl row: the task cell holds a number or a body's name
            if column_role(task_text, exact=True) is not None:
                continue  # a header row repeated inside the table ("Nội dung | Đơn vị thực hiện")
            # A row shorter than the header lost its empty trailing cells in the crawl: for telling
            # group rows apart, those cells are empty (not continued from above).
            short = len(cells) <= col.get("task", col.get("deliverable", 0)) + 1 and len(cells) < len(roles)
            if short:
                lead_cell = None if col.get("lead", 0) >= len(cells) else lead_cell
                dl_cell = None if col.get("deadline", 0) >= len(cells) else dl_cell
            lead_empty = lead_cell is None or not lead_cell[0].strip()
            if _GROUP_INDEX.match(index) and lead_empty and (dl_cell is None or not dl_cell[0].strip()):
                group = task_text
                continue
            if not index and lead_empty and (dl_cell is None or not dl_cell[0].strip()) and task_text.isupper():
                group = task_text
                continue
            parent_key = None
            sm = _SUB_INDEX.match(index)
            if sm:
                parent_key = sm.group(1).rsplit(".", 1)[0]
            lead = cell_agencies(*lead_cell) if lead_cell else []
            support = cell_agencies(*sup_cell) if sup_cell else []
            deadline, dbase = cell_deadline(*dl_cell, ctx) if dl_cell else (None, 0)
            if parent_key and parent_key in parents:
                p_lead, p_sup, p_dl = parents[parent_key]
                if not lead:
                    lead = p_lead
                if not support and (sup_cell is None or not sup_cell[0].strip()):
                    support = p_sup
                if deadline is None and p_dl[0].strip():
                    deadline, dbase = cell_deadline(*p_dl, ctx)
            if not lead and lead_cell is not None and not lead_cell[0].strip():
                # A row whose own words open with a body ("Thủ tướng Chính phủ phát biểu chỉ đạo") is led by
                # it; otherwise an empty merged body cell continues the body of the row above.
                own, _ = sentence_agencies(task_text, task_cell[1])
                if own:
                    lead = own
                elif "lead" in prev_cells:
                    lead = cell_agencies(*prev_cells["lead"])
            if deadline is None and dl_cell is not None and not dl_cell[0].strip() and "deadline" in prev_cells:
                deadline, dbase = cell_deadline(*prev_cells["deadline"], ctx)
            deliverable = None
            if "deliverable" in col and "task" in col:
                dc = cell("deliverable")
                deliverable = dc[0].strip() if dc and dc[0].strip() else None
            for role in ("lead", "support", "deadline"):
                c = cell(role)
                if c is not None and c[0].strip():
                    prev_cells[role] = c
            if index:
                parents[index.rstrip(".")] = (lead, support, dl_cell or ("", 0))
            out.append(
                TaskCandidate(
                    text=regex.sub(r"\s+", " ", task_text),
                    start=task_cell[1],
                    end=task_cell[1] + len(task_cell[0].rstrip()),
                    lead=lead,
                    support=support,
                    deadline=deadline,
                    deadline_base=dbase,
                    deliverable=regex.sub(r"\s+", " ", deliverable) if deliverable else None,
                    group=regex.sub(r"\s+", " ", group) if group else None,
                    table=name,
                    row=index.rstrip(".") or None,
                )
            )
    return out
