"""The section tree: ``I.`` → ``1.`` → ``a)`` → ``-`` bullets, ``Điều``, ``PHỤ LỤC``.

Only a line that *starts* with a marker opens a section (a numbered list
inside a paragraph is not a heading), and table cells never do.  Nesting is
learned from the order in which marker kinds appear, the way a reader does:
a kind already open on the stack closes everything below it and becomes a
sibling; a new kind nests under the current section.  Marker shapes live in
``patterns/sections.jsonl``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol, TypeVar

import regex

from ..rules import load_jsonl, rule_pattern
from ..text.document import Document


@dataclass
class SectionNode:
    id: str
    kind: str
    marker: str
    title: str
    level: int
    start: int
    end: int
    page: int | None
    title_start: int
    children: list[SectionNode] = field(default_factory=list)


@cache
def _marker_rules() -> tuple[tuple[str, regex.Pattern[str]], ...]:
    return tuple((e["kind"], regex.compile(e["pattern"])) for e in load_jsonl("sections.jsonl"))


def match_marker(text: str) -> tuple[str, regex.Match[str]] | None:
    """Return ``(kind, match)`` when ``text`` starts with a section marker."""
    for kind, pat in _marker_rules():
        m = pat.match(text)
        if m:
            if kind == "appendix" and not (text.isupper() or len(text) < 40 or text.startswith("PHỤ LỤC")):
                continue
            return kind, m
    return None


def _core(kind: str, m: regex.Match[str], parent: SectionNode | None, marker: str) -> str:
    num = m.groupdict().get("num")
    if kind == "article":
        return f"D{num}"
    if kind == "chapter":
        return f"C{num}"
    if kind == "dotted" and num:
        parts = num.split(".")
        if parent is not None and parent.kind in ("arabic", "dotted"):
            return parts[-1]
        return num
    if kind.startswith("bullet"):
        return "-"
    return num or marker


def build_sections(doc: Document, part_starts: list[int], body_start: int = 0) -> list[SectionNode]:
    """Build the section forest of ``doc``.

    Args:
        doc: the normalised document.
        part_starts: text offsets where a new document part (a plan promulgated by
            a decision …) begins; numbering restarts there.
        body_start: index of the first body line (the header is not sectioned).
    """
    roots: list[SectionNode] = []
    stack: list[SectionNode] = []
    appendix: SectionNode | None = None
    appendix_count = 0
    ids: dict[str, int] = {}
    bullet_counts: dict[str, int] = {}
    parts = sorted(part_starts)
    part_i = 0
    all_nodes: list[SectionNode] = []
    closed = False  # after "Nơi nhận:" until the next part or appendix
    for li, line in enumerate(doc.lines):
        if li < body_start or line.table is not None:
            continue
        while part_i < len(parts) and parts[part_i] <= line.start:
            stack = []
            appendix = None
            closed = False
            part_i += 1
        text = doc.line_text(line)
        if rule_pattern("header.jsonl", "recipients-label").match(text):  # its "- Như trên;" items are no sections
            closed = True
            continue
        found = match_marker(text)
        if found is None or (closed and found[0] != "appendix"):
            continue
        closed = False
        kind, m = found
        if kind == "bullet":
            kind = "bullet" + m.group("marker")
        marker = m.group("marker").strip()
        title = (m.groupdict().get("title") or "").strip()
        if kind == "appendix":
            stack = []
            appendix_count += 1
            num = m.group("num")
            sid = f"PL{num}" if num else ("PL" if appendix_count == 1 else f"PL{appendix_count}")
            node = SectionNode(sid, kind, marker, title, 1, line.start, line.end, line.page, line.start)
            roots.append(node)
            appendix = node
            stack = [node]
            all_nodes.append(node)
            continue
        kinds = [s.kind for s in stack]
        if kind in kinds:
            del stack[kinds.index(kind):]
        elif kind == "chapter":
            stack = [s for s in stack if s.kind == "appendix"]
        elif kind == "article":
            # Articles hang under their chapter (Chương I › Điều 1), else at the top.
            stack = [s for s in stack if s.kind in ("appendix", "chapter")]
        parent = stack[-1] if stack else None
        core = _core(kind, m, parent, marker)
        if kind.startswith("bullet"):
            key = parent.id if parent else ""
            bullet_counts[key] = bullet_counts.get(key, 0) + 1
            core = f"-{bullet_counts[key]}"
        # Articles are numbered through the whole text: "D4" names one without its chapter.
        sid = f"{parent.id}.{core}" if parent and not (kind == "article" and parent.kind == "chapter") else core
        if parent is None and appendix is not None:
            sid = f"{appendix.id}.{core}"
        if sid in ids:
            ids[sid] += 1
            sid = f"{sid}~{ids[sid]}"
        else:
            ids[sid] = 1
        level = len(stack) + 1
        title_start = line.start + m.start("title") if m.groupdict().get("title") is not None else line.start
        node = SectionNode(sid, kind, marker, title, level, line.start, line.end, line.page, title_start)
        if parent is None:
            roots.append(node)
        else:
            parent.children.append(node)
        stack.append(node)
        all_nodes.append(node)
    _close_spans(roots, len(doc.text.rstrip("\n")), parts, doc.text)
    return roots


def _close_spans(nodes: list[SectionNode], end: int, part_starts: list[int], text: str) -> None:
    """A section runs to the start of its next sibling (or its parent's end / the next part)."""
    for i, node in enumerate(nodes):
        nxt = nodes[i + 1].start if i + 1 < len(nodes) else end
        cut = [p for p in part_starts if node.start < p < nxt]
        node.end = min([nxt] + cut)
        while node.end > node.start and text[node.end - 1].isspace():
            node.end -= 1
        _close_spans(node.children, node.end, part_starts, text)


class _Tree(Protocol):
    @property
    def children(self) -> Sequence[Any]: ...


_N = TypeVar("_N", bound=_Tree)


def flatten(nodes: Sequence[_N]) -> list[_N]:
    """Sections in document order (section nodes or the record's ``Section`` models)."""
    out: list[_N] = []
    for n in nodes:
        out.append(n)
        out.extend(flatten(n.children))
    return out


def section_at(flat: list[SectionNode], offset: int, headings_only: bool = True) -> SectionNode | None:
    """The innermost section containing ``offset`` (bullets skipped when ``headings_only``)."""
    best: SectionNode | None = None
    for n in flat:
        if n.start <= offset < n.end and not (headings_only and n.kind.startswith("bullet")):
            if best is None or n.level >= best.level:
                best = n
    return best
