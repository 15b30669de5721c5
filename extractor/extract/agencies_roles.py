"""Lists of offices: how a role (``prefix: role`` entry) composes beyond ``role + body``.

The matcher of :mod:`extractor.extract.agencies` joins a role to the body after
it (``Giám đốc Sở Nội vụ``, ``Thủ trưởng các sở, ban, ngành``).  Government
texts also name offices in lists where the role has no body of its own or
governs several:

* a role before a kind of body named without ``các`` (the grammar's
  ``role_nouns``): ``Thủ trưởng cơ quan ngang bộ``;
* a role before a list of kinds that repeat their head noun, each with its own
  qualifier, is one office per kind: ``Thủ trưởng cơ quan ngang Bộ, cơ quan
  thuộc Chính phủ`` -> ``Thủ trưởng cơ quan ngang Bộ`` + ``Thủ trưởng cơ quan
  thuộc Chính phủ`` (an idiom list such as ``cơ quan, đơn vị`` or a list after
  ``các`` stays one collective);
* an office whose entry is a ``list_head`` (``Bộ trưởng``) is a mention on its
  own when it opens a list of offices: ``Bộ trưởng, Thủ trưởng cơ quan ngang
  bộ, Chủ tịch …``;
* a determiner before an office (``Các Bộ trưởng``, ``các Phó Chủ tịch UBND
  tỉnh``) belongs to the mention's text, not to its name (the plural of the
  office, as ``Các đồng chí`` is its honorific).

Whether such a mention leads a task (the subject of the sentence) or is only
reported to is decided by the task logic (``task_common.sentence_agencies``).
"""

from __future__ import annotations

from dataclasses import replace

from .agencies import _best_at, _Cand, _Doc, _Gaz, _joiner, _longest, _mods, _Node, _render, _upper, _walk


def role_noun(g: _Gaz, doc: _Doc, k: int) -> _Cand | None:
    """A kind of body a role governs without a determiner, at token k (``cơ quan ngang bộ``)."""
    hit = _longest(g.role_nouns, doc, k)
    if hit is None:
        return None
    upper = _upper(doc, k, hit[0])
    name = _render(doc, k, hit[0], hit[1].form, upper)
    return _mods(g, doc, _Cand(k, hit[0], name, "group", True, (g.grammar_id,), None, False), upper)


def opens_role_list(g: _Gaz, doc: _Doc, j: int) -> bool:
    """True when the office ending at token j is followed by a list joiner and another office."""
    nxt = _joiner(g, doc, j)
    if nxt is None:
        return False
    c = _best_at(g, doc, nxt[0])
    return c is not None and c.kind == "role"


def with_determiner(g: _Gaz, doc: _Doc, c: _Cand, floor: int) -> _Cand:
    """An office preceded by a determiner (``các``) at or after token ``floor``: the span takes it in."""
    if c.kind != "role" or c.i - 1 < floor:
        return c
    for s in (c.i - 1, c.i - 2):
        det = _longest(g.dets, doc, s) if s >= floor else None
        if det is not None and det[0] == c.i - 1 and doc.gaps[det[0]] == " ":
            return replace(c, i=s)
    return c


def _is_noun(g: _Gaz, words: list[str]) -> bool:
    node: _Node | None = g.nouns
    for w in words:
        node = node.kids.get(w) if node is not None else None
    return node is not None and node.form is not None


def distribute_role(g: _Gaz, doc: _Doc, c: _Cand) -> list[_Cand]:
    """``Thủ trưởng cơ quan ngang Bộ, cơ quan thuộc Chính phủ`` -> one office per kind of body.

    Only a role composed with a collective written without a determiner whose
    items are one noun repeated with its own qualifier; anything after the list
    (a modifier qualifying all items) keeps the office whole.
    """
    e = c.entry
    start = c.core + 1
    if e is None or e.prefix != "role" or c.explicit or c.kind != "role" or start > c.j:
        return []
    body = _best_at(g, doc, start)
    if body is not None and (body.entry is not None or body.ids != (g.grammar_id,)):
        return []  # a named body ("Giám đốc Sở Nội vụ"), not a collective
    if _longest(g.dets, doc, start) is not None:
        return []  # "Thủ trưởng các sở, ban, ngành": the collective as a whole
    items: list[tuple[int, int, _Node]] = []
    pos = start
    while True:
        hit = _longest(g.nouns, doc, pos)
        if hit is None or hit[0] > c.j:
            return []
        items.append((pos, hit[0], hit[1]))
        if hit[0] == c.j:
            break
        nxt = _joiner(g, doc, hit[0])
        if nxt is None:
            return []
        pos = nxt[0]
    keys = [node.key.split() for _, _, node in items]
    head: list[str] = []
    for words in zip(*keys, strict=False):
        if len(set(words)) != 1:
            break
        head.append(words[0])
    if len(items) < 2 or not head or any(len(k) == len(head) for k in keys) or not _is_noun(g, head):
        return []
    forms = [t.form for i, node, _ in _walk(g.root, doc, c.i) for t in node.terms if i == c.core and t.entry is e]
    if not forms:
        return []
    out: list[_Cand] = []
    for n, (a, b, node) in enumerate(items):
        name = forms[0] + " " + _render(doc, a, b, node.form, _upper(doc, a, b))
        out.append(replace(c, i=c.i if n == 0 else a, j=b, name=name))
    return out


__all__: list[str] = ["distribute_role", "opens_role_list", "role_noun", "with_determiner"]
