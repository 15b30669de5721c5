"""Tasks from prose, and the composition of prose and table tasks.

Prose shapes (``docs/ANNOTATION.md``, "Tasks"):

* a heading that names a body (``2. Sở Nội vụ``, ``a) Sở Tài chính:``,
  ``Giao Sở …``) followed by bullets or lettered points: each point is a task
  led by that body, unless the point names its own lead; a heading with no
  points gives one task per paragraph under it;
* a line that names its own bodies (``Giao Sở Nội vụ chủ trì, phối hợp với Sở
  Tài chính … trước ngày …``), in plans, decisions, notices and letters alike;
* structured blocks (``- Cơ quan chủ trì: …`` / ``- Cơ quan phối hợp: …`` /
  ``- Thời gian thực hiện: …`` under a numbered item): one task.

Purposes and requirements (MỤC ĐÍCH, YÊU CẦU …), ``Điều 3`` boilerplate and
"khó khăn, vướng mắc … phản ánh" closings are excluded (``patterns/task_cues.jsonl``).
"""

from __future__ import annotations

import regex

from ..rules import rule_pattern
from ..segment.sections import SectionNode, flatten, section_at
from ..text.document import Document, Line
from .agencies import find_agencies
from .deadlines import DeadlineContext
from .task_common import (
    AgencyRef,
    TaskCandidate,
    cell_agencies,
    cell_deadline,
    cues,
    exclude_line_rx,
    first_deadline,
    list_colons,
    sentence_agencies,
    task_pattern,
)

_MARKER = regex.compile(r"^(?:[-+•–*]\s+|[IVXLC]+[.)]\s+|\d+(?:\.\d+)*[.)]?\s+|[a-zđ]\)\s*|Điều\s+\d+[.:]?\s*)")
_FIELD = task_pattern("field-line")
_LISTED = rule_pattern("task_lists.jsonl", "listed-collective")
_LABEL_END = regex.compile(r":\s+(?=\S)")


_ACTION = regex.compile(
    r"(?<!\p{L})(?:" + "|".join(regex.escape(w) for w in cues()["lead_after"]) + r")(?!\p{L})", regex.IGNORECASE
)


def _strip_marker(text: str) -> tuple[str, int]:
    m = _MARKER.match(text)
    return (text[m.end():], m.end()) if m else (text, 0)


def _parents(roots: list[SectionNode]) -> dict[int, SectionNode | None]:
    out: dict[int, SectionNode | None] = {}

    def walk(nodes: list[SectionNode], parent: SectionNode | None) -> None:
        for n in nodes:
            out[id(n)] = parent
            walk(n.children, n)

    walk(roots, None)
    return out


def _excluded(node: SectionNode, parents: dict[int, SectionNode | None], doc: Document) -> bool:
    """True inside a section whose heading marks purposes, requirements, goals … (no assignments)."""
    words = cues()["exclude_section"]
    cur: SectionNode | None = node
    while cur is not None:
        if cur.kind not in ("article", "letter") and not cur.kind.startswith("bullet"):
            # The heading names the section's nature at its start ("I. MỤC ĐÍCH, YÊU CẦU", "2. Yêu cầu",
            # "IV. KINH PHÍ THỰC HIỆN"); "8. Tăng cường … hỗ trợ kinh phí" assigns work.
            head = regex.sub(r"^\W+", "", cur.title.upper())
            if any(head.startswith(w) for w in words) and not _agency_heading_refs(cur, doc):
                return True
        cur = parents.get(id(cur))
    return False


def _in_assignment_section(node: SectionNode, parents: dict[int, SectionNode | None]) -> bool:
    words = cues().get("assignment_section", ())
    cur = parents.get(id(node))
    while cur is not None:
        if any(w in cur.title.upper()[:60] for w in words):
            return True
        cur = parents.get(id(cur))
    return False


def _unknown_body_heading(node: SectionNode, doc: Document, parents: dict[int, SectionNode | None]) -> list[AgencyRef]:
    """Under TỔ CHỨC THỰC HIỆN, a short heading without an action names a body even when the
    gazetteer does not know it ("5. Các chủ đầu tư xây dựng và kinh doanh hạ tầng Khu công nghiệp")."""
    if node.kind not in ("arabic", "dotted", "letter") or not _in_assignment_section(node, parents):
        return []
    title = doc.text[node.title_start:node.end].split("\n", 1)[0].rstrip(" :.")
    # "Cán bộ phụ trách lĩnh vực …": "phụ trách" (in charge of) describes the body here.
    if not title or len(title) > 100 or _ACTION.search(title.replace("phụ trách", "")) or not title[:1].isupper():
        return []
    heads = cues().get("body_head", ())
    if not any(title.startswith(h + " ") for h in heads) or regex.search(r"(?i)nhiệm vụ|giải pháp|nội dung", title):
        return []
    return [AgencyRef(title, title, "agency", node.title_start, node.title_start + len(title), False)]


def _agency_heading_refs(node: SectionNode, doc: Document) -> list[AgencyRef]:
    """Bodies a heading names when its title is (essentially) just those bodies."""
    if node.kind.startswith("bullet"):
        return []
    title = doc.text[node.title_start:node.end].split("\n", 1)[0]
    prefix = regex.match(r"^(?:Giao|Đề nghị|Đối với|Yêu cầu|Trách nhiệm của)\s+", title)
    off = prefix.end() if prefix else 0
    # "Giao UBND các xã: Đức Trọng, Hiệp Thạnh:": the colon of a list under a plural head is no label's end
    colon = _label_colon(title, 200)
    head = title[:colon] if colon is not None else title
    # "Các cơ quan tham mưu quản lý ngành, lĩnh vực (gồm các Sở: Xây dựng, …)": the members listed name the bodies
    listed = _LISTED.match(head[off:])
    if listed and (pre := find_agencies(listed.group("collective"))) and pre[0].kind == "group" and pre[0].start <= 3:
        members = cell_agencies(listed.group("members"), node.title_start + off + listed.start("members"))
        if members:
            return members
    # "Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo": what follows the dash qualifies the body.
    dash = regex.search(r"\s[-–]\s", head[off:])
    if dash and cell_agencies(head[off:off + dash.start()], 0) and not any(
        a.start < dash.start() < a.end for a in cell_agencies(head[off:], 0)
    ):  # a dash inside a name ("Các tổ chức chính trị - xã hội xã") is part of it
        head = head[: off + dash.start()]
    lead = cell_agencies(head[off:], node.title_start + off)
    if not lead:
        return []
    rest = head[off:]
    for a in sorted(lead, key=lambda r: -r.start):
        s, e = a.start - node.title_start - off, a.end - node.title_start - off
        rest = rest[:s] + rest[e:]
    if len(regex.sub(r"[\s,;.:()\-]+|(?<!\p{L})(?:và|các|cùng)(?!\p{L})", "", rest)) > 12 and _ACTION.search(rest):
        return []
    if (lead[0].start if lead[0].head_start is None else lead[0].head_start) - node.title_start - off > 3:
        return []
    return lead


def _intro(node: SectionNode, doc: Document) -> tuple[list[AgencyRef], list[AgencyRef]]:
    """Lead and support of a heading sentence that introduces its points ("…:" or a short
    "8.1. Sở Tài chính chủ trì, phối hợp các sở, ban, ngành" over bullets): the points inherit them."""
    title = doc.text[node.title_start:node.end].split("\n", 1)[0].rstrip()
    if not (title.endswith(":") or (len(title) < 150 and any(c.kind.startswith("bullet") for c in node.children))):
        return [], []
    return sentence_agencies(title, node.title_start)


def _label_colon(text: str, limit: int) -> int | None:
    """The first colon (within ``limit`` characters) that ends a label, not one that opens a list under a plural
    head (``Các Bộ: Công Thương, Y tế …``, ``UBND các xã: Đức Trọng, Hiệp Thạnh: …``)."""
    colons = [m.start() for m in regex.finditer(":", text[:limit])]
    skip = list_colons(text) if colons else []
    return next((c for c in colons if c not in skip), None)


def _segments(body: str) -> list[tuple[str, int]]:
    """Clauses of a line that may each assign work: after a run-in title ("2. Đẩy mạnh …: Các bộ …"),
    at enumerators "(1)", "(2)", and at "; " when the next clause opens with a body of its own."""
    start = 0
    title = regex.match(r"^[^:;]{5,160}:\s+", body)
    if title and not find_agencies(body[: title.end()]):
        rest = body[title.end():]
        first = find_agencies(rest[:160])
        if rest.startswith("(1)") or (first and first[0].start == 0):
            start = title.end()
    cuts = [start]
    for m in regex.finditer(r"(?:^|[;:.]\s*)\((?:\d{1,2})\)\s*", body[start:]):
        cuts.append(start + m.end())
    for m in regex.finditer(r";\s+", body[start:]):
        pos = start + m.end()
        nxt = find_agencies(body[pos: pos + 120])
        if nxt and (nxt[0].start if nxt[0].head_start is None else nxt[0].head_start) == 0:
            cuts.append(pos)
    cuts = sorted(set(cuts))
    out = []
    for i, c in enumerate(cuts):
        end = cuts[i + 1] if i + 1 < len(cuts) else len(body)
        seg = body[c:end]
        seg = regex.sub(r"[\s;,]*(?:\(\d{1,2}\)\s*)?$", "", seg)
        if seg.strip():
            out.append((seg, c))
    return out


def _line_tasks(doc: Document, line: Line, ctx: DeadlineContext, default_lead: list[AgencyRef],
                require_own_lead: bool) -> list[TaskCandidate]:
    """Tasks of one line: the whole line, or its clauses when they name their own bodies."""
    raw = doc.line_text(line)
    body, moff = _strip_marker(raw)
    label = regex.match(r"^([^:;]{3,120}):\s+(?=\S)", body)
    head: tuple[str, int] | None = (label.group(1), label.end()) if label else None
    if label and label.end(1) in list_colons(body):
        # "Các Bộ: Công Thương, Y tế nghiên cứu …": the list under a plural head is the subject of the
        # sentence, not a label; "UBND các xã: Đức Trọng, Hiệp Thạnh: Phối hợp …" is labelled after the list.
        colon = _label_colon(body, 240)
        after = _LABEL_END.match(body, colon) if colon is not None else None
        head = (body[:colon], after.end()) if colon is not None and after and ";" not in body[:colon] else None
    if head:
        # "Bộ Xây dựng: Khẩn trương …", "Bộ Chỉ huy quân sự tỉnh chỉ đạo lực lượng …: Phối hợp …":
        # a label that opens with bodies names the lead of what follows the colon.
        named = cell_agencies(head[0], line.start + moff)
        # The label must end with its bodies ("… chỉ đạo lực lượng Bộ đội Biên phòng:"); a colon after
        # "… các nội dung tại Dự án 1:" introduces a name, not the clause of a labelled body.
        ends_with_body = bool(named) and line.start + moff + len(head[0].rstrip(" )")) - named[-1].end <= 2
        first = (named[0].start if named[0].head_start is None else named[0].head_start) if named else -1
        if named and first == line.start + moff and ends_with_body:
            lead_here, _ = sentence_agencies(head[0], line.start + moff)
            inherited = {a.name for a in default_lead if not line.start <= a.start < line.end}
            picked = lead_here or named
            default_lead = picked
            if not (len(inherited) > len(picked) and all(a.name in inherited for a in picked)):
                moff += head[1]
                body = body[head[1]:]
            # else "Trong đó: + Sở Xây dựng: hướng dẫn …" under the bodies of the item above: the label picks
            # one of them out for its share of the work, and the whole line is that task
    segs = _segments(body)
    if len(segs) > 1 or (segs and segs[0][1] > 0):
        found = []
        for i, (seg, off) in enumerate(segs):
            if i + 1 < len(segs) and seg.rstrip().endswith(":"):
                continue  # "Bộ Khoa học và Công nghệ:" labels the clauses that follow
            t = _task_from(seg, line.start + moff + off, ctx, default_lead, not default_lead)
            if t is not None:
                found.append(t)
        if found:
            return found
    t = _task_from(body, line.start + moff, ctx, default_lead, require_own_lead)
    return [t] if t is not None else []


def _closing(body: str) -> bool:
    """A closing paragraph: one that opens with closing wording, or asks for this document to be
    carried out and then closes ("… thực hiện Kế hoạch này. Trường hợp … vướng mắc, báo cáo …").
    A task that ends with such advice ("… trước ngày 20/5. Trường hợp phát sinh vướng mắc, kịp
    thời báo cáo …") is still a task."""
    m = regex.search(r"[.!?](?=\s+\p{Lu})", body)
    first = body[: m.end()] if m else body
    if exclude_line_rx().search(first):
        return True
    return bool(exclude_line_rx().search(body)) and _THIS_DOCUMENT.search(first) is not None


def _task_from(body: str, start: int, ctx: DeadlineContext, default_lead: list[AgencyRef],
               require_own_lead: bool) -> TaskCandidate | None:
    if not body.strip() or _closing(body) or _FIELD.match(body) or _PREAMBLE.search(body):
        return None
    if len(regex.findall(r"\p{L}", body)) < 8:
        return None  # a fragment ("Chương trình.", "-") is no task
    lead, support = sentence_agencies(body, start)
    if lead and not _ACTION.search(body, lead[-1].end - start):
        # Bodies without an action (a recipient line "- Sở Nội vụ;") are no task.
        lead = []
    if not lead:
        if require_own_lead or not default_lead:
            return None
        lead = default_lead
    deadline, dbase = first_deadline(body, start, ctx)
    stripped = body.rstrip()
    return TaskCandidate(text=stripped.strip(), start=start + (len(body) - len(body.lstrip())),
                         end=start + len(stripped), lead=lead, support=support,
                         deadline=deadline, deadline_base=dbase)


_HONORIFIC = task_pattern("honorific")
_THIS_DOCUMENT = task_pattern("this-document")
_PREAMBLE = task_pattern("preamble")
_ROLE_HEAD = task_pattern("role-head")


def _unlisted_bodies(value: str, start: int) -> list[AgencyRef]:
    """Bodies a ``Đơn vị chủ trì:`` field names that the gazetteer does not know (kept, marked unknown)."""
    out: list[AgencyRef] = []
    for m in regex.finditer(r"[^,;]+", value):
        chunk = m.group()
        lead_ws = len(chunk) - len(chunk.lstrip())
        hm = _HONORIFIC.match(chunk.lstrip())
        off = m.start() + lead_ws + (hm.end() if hm else 0)
        text = value[off:m.end()].rstrip(" .;")
        if not text or len(text) > 80 or not text[:1].isupper() and not hm:
            continue
        name = text[:1].upper() + text[1:]
        name = regex.sub(r"(?<=Phó )chỉ tịch|(?<=Phó )chủ tịch", "Chủ tịch", name)
        kind = "role" if _ROLE_HEAD.match(name) else "agency"
        out.append(AgencyRef(name, text, kind, start + off, start + off + len(text), False))
    return out


def _field(doc: Document, ln: Line) -> regex.Match[str] | None:
    return _FIELD.match(_strip_marker(doc.line_text(ln))[0])


def _block_owner(node: SectionNode | None, doc: Document, parents: dict[int, SectionNode | None],
                 line: Line) -> SectionNode | None:
    """The item a field line belongs to: walk up over bullets and field-titled points
    ("b) Cơ quan thực hiện:", "c) Thời gian thực hiện: …")."""
    cur = node
    if cur is None:
        return None
    if cur.start == line.start:
        cur = parents.get(id(cur))
    while cur is not None and (cur.kind.startswith("bullet") or _FIELD.match(cur.title)
                               or regex.match(r"(?i)^(?:Cơ quan|Đơn vị)[^:]{0,30}:?$", cur.title.strip())):
        cur = parents.get(id(cur))
    return cur


def _structured_blocks(doc: Document, flat: list[SectionNode], parents: dict[int, SectionNode | None],
                       body_lines: list[Line], ctx: DeadlineContext,
                       own_only: set[int]) -> tuple[list[TaskCandidate], set[int]]:
    """Items whose points are fields (``Đơn vị chủ trì: …``, ``Thời gian thực hiện: …``): one task per item,
    or one per bullet of its ``Nhiệm vụ:`` field, all sharing the item's bodies and deadline."""
    node_at_line = {n.start: n for n in flat}
    groups: dict[int, tuple[SectionNode, list[Line]]] = {}
    for ln in body_lines:
        m = _field(doc, ln)
        if not m:
            continue
        node = node_at_line.get(ln.start)
        if node is None:
            continue
        owner = _block_owner(node, doc, parents, ln)
        if owner is not None:
            groups.setdefault(id(owner), (owner, []))[1].append(ln)
    out: list[TaskCandidate] = []
    done: set[int] = set()
    for owner, lines in groups.values():
        if not any((fm := _field(doc, ln)) is not None and fm.group("role") for ln in lines):
            continue
        if _excluded(owner, parents, doc):
            continue
        lead: list[AgencyRef] = []
        support: list[AgencyRef] = []
        deadline = None
        dbase = 0
        content: list[tuple[str, int]] = []
        deliverable: str | None = None
        for ln in lines:
            body, moff = _strip_marker(doc.line_text(ln))
            m = _FIELD.match(body)
            assert m is not None
            vstart = ln.start + moff + m.start("value")
            value = m.group("value")
            role = (m.group("role") or "").casefold()
            if m.group("time"):
                deadline, dbase = cell_deadline(value, vstart, ctx)
            elif m.group("product"):
                deliverable = value.strip(" .;") or None
            elif m.group("content"):
                if value.strip():
                    content.append((value, vstart))
                else:
                    node = node_at_line.get(ln.start)
                    for child in node.children if node is not None else []:
                        ctext = doc.text[child.title_start:child.end].split("\n", 1)[0]
                        content.append((ctext, child.title_start))
            elif "phối hợp" in role:
                support = cell_agencies(value, vstart) or _unlisted_bodies(value, vstart)
            else:
                own_lead, own_sup = sentence_agencies(value, vstart)
                lead = own_lead or cell_agencies(value, vstart) or _unlisted_bodies(value, vstart)[:1]
                support = support or own_sup
        if not lead:
            continue
        if not content:
            title = doc.text[owner.title_start:owner.end].split("\n", 1)[0]
            content = [(title, owner.title_start)]
        for text, start in content:
            text = text.rstrip()
            lead_ws = len(text) - len(text.lstrip())
            out.append(TaskCandidate(text=text.strip(), start=start + lead_ws, end=start + len(text), lead=lead,
                                     support=support, deadline=deadline, deadline_base=dbase,
                                     deliverable=deliverable))
        done.add(owner.start)
        done.update(ln.start for ln in lines)
        for ln in lines:
            node = node_at_line.get(ln.start)
            fm = _field(doc, ln)
            if node is not None and fm is not None and fm.group("content"):
                done.update(c.start for c in node.children)
        # Other lines of the item are tasks only when they name their own lead.
        own_only.update(ln.start for ln in body_lines if owner.start < ln.start < owner.end and ln.start not in done)
    return out, done


def _recipient_zones(doc: Document, part_starts: list[int]) -> list[tuple[int, int]]:
    """From each "Nơi nhận" (recipients) line to the next document part: never tasks."""
    zones = []
    for ln in doc.lines:
        if doc.line_text(ln).lstrip().startswith("Nơi nhận"):
            end = min([p for p in part_starts if p > ln.start] or [len(doc.text)])
            zones.append((ln.start, end))
    return zones


def _dated_by_trailing(doc: Document, out: list[TaskCandidate]) -> list[TaskCandidate]:
    """The tasks a trailing "Thời gian thực hiện: …" line dates: the last one; and when that one closes the
    sub-points of a point that introduces them ("- Phối hợp …. Trong đó:" / "+ Sở Xây dựng: …" / "+ …"),
    the point and all its sub-points without a deadline of their own."""
    k = len(out) - 1
    while k > 0 and out[k - 1].deadline is None and regex.fullmatch(r"\s*(?:[-+•–*]\s*)?",
                                                                      doc.text[out[k - 1].end:out[k].start]):
        k -= 1
        if out[k].text.endswith(":"):
            return out[k:]
    return out[-1:]


def tasks_from_prose(doc: Document, roots: list[SectionNode], body_start: int, end_offset: int,
                     ctx: DeadlineContext, part_starts: list[int]) -> list[TaskCandidate]:
    """Task candidates from running text (see the module docstring)."""
    zones = _recipient_zones(doc, part_starts)
    flat = flatten(roots)
    parents = _parents(roots)
    node_at_line: dict[int, SectionNode] = {n.start: n for n in flat}
    out: list[TaskCandidate] = []
    body_lines = [
        ln for i, ln in enumerate(doc.lines)
        if i >= body_start and ln.table is None and ln.start < end_offset
        and not any(zs <= ln.start < ze for zs, ze in zones)
    ]
    own_only: set[int] = set()
    structured, done = _structured_blocks(doc, flat, parents, body_lines, ctx, own_only)
    out.extend(structured)
    intro: tuple[list[AgencyRef], list[AgencyRef], int] | None = None
    for ln in body_lines:
        if ln.start in done:
            continue
        line_node: SectionNode | None = node_at_line.get(ln.start)
        trailing = _field(doc, ln) if line_node is None else None
        if trailing is not None and trailing.group("time"):
            # "Thời gian thực hiện: …" on its own line dates the point just above it.
            if out and out[-1].deadline is None and 0 <= ln.start - out[-1].end <= 2:
                body, moff = _strip_marker(doc.line_text(ln))
                vstart = ln.start + moff + trailing.start("value")
                for t in _dated_by_trailing(doc, out):
                    t.deadline, t.deadline_base = cell_deadline(trailing.group("value"), vstart, ctx)
            continue
        node = line_node
        if intro is not None and (node is None or node.level <= intro[2]):
            intro = None
        if node is None and doc.line_text(ln).rstrip().endswith(":"):
            # "Giao Sở Tư pháp chủ trì, phối hợp với …:" introduces points that inherit its bodies.
            inner = section_at(flat, ln.start, headings_only=False)
            lead, support = sentence_agencies(doc.line_text(ln), ln.start)
            if lead and inner is not None and not _excluded(inner, parents, doc):
                intro = (lead, support, inner.level)
                continue
        if node is not None and intro is not None and not _agency_heading_refs(node, doc):
            for t in _line_tasks(doc, ln, ctx, intro[0], False):
                if t.lead is intro[0] and not t.support:
                    t.support = intro[1]
                out.append(t)
            continue
        container = node if node is not None else None
        if container is None:
            # A paragraph line: its section is the innermost node containing it.
            container = section_at(flat, ln.start, headings_only=False)
        if container is not None and _excluded(container, parents, doc):
            continue
        if container is not None and container.kind == "article" and "giao" not in doc.line_text(ln).casefold():
            continue
        # The nearest ancestor heading that names a body gives the default lead.
        default: list[AgencyRef] = []
        default_support: list[AgencyRef] = []
        cur = parents.get(id(node)) if node is not None else container
        while cur is not None:
            refs_ = _agency_heading_refs(cur, doc) or _unknown_body_heading(cur, doc, parents)
            if not refs_:
                # "8.1. Sở Tài chính chủ trì, phối hợp các sở, ban, ngành": points inherit both.
                refs_, default_support = _intro(cur, doc)
            if refs_:
                default = refs_
                break
            cur = parents.get(id(cur))
        if node is not None and not node.kind.startswith("bullet") and node.children and _intro(node, doc)[0] \
                and not _agency_heading_refs(node, doc):
            continue  # an introducing heading: its points are the tasks
        if node is not None and (_agency_heading_refs(node, doc) or _unknown_body_heading(node, doc, parents)):
            # The heading itself: a task only when it carries its own work after the bodies.
            title = doc.text[node.title_start:node.end].split("\n", 1)[0]
            has_children = bool(node.children) or any(node.start < x.start < node.end for x in body_lines)
            colon = _label_colon(title, len(title))
            if colon is not None and len(title[colon + 1:].strip()) > 15 or not has_children and len(title) > 60:
                heading_lead = _agency_heading_refs(node, doc) or _unknown_body_heading(node, doc, parents)
                out.extend(_line_tasks(doc, ln, ctx, heading_lead, False))
            continue
        if ln.start in own_only:
            default = []
        for t in _line_tasks(doc, ln, ctx, default, require_own_lead=not default):
            if default and t.lead is default and not t.support:
                t.support = default_support
            out.append(t)
    return out
