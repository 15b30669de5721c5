"""Lists under a plural head: a head noun written once distributes over the names after a colon.

Government texts name several bodies of one kind by writing the kind once, in
the plural, and listing the names after a colon:

* ``Các Bộ: Công Thương, Khoa học và Công nghệ, Y tế`` -> ``Bộ Công Thương``,
  ``Bộ Khoa học và Công nghệ``, ``Bộ Y tế`` (the head of an entry's
  ``distributes`` field, or of a one-noun collective whose noun the grammar's
  ``distributes`` table maps to a head: ``các Ban: …`` -> ``Ban …``);
* ``UBND các xã: Đức Trọng, Hiệp Thạnh`` -> ``Ủy ban nhân dân xã Đức Trọng``, …;
  ``Ủy ban nhân dân các thành phố: Hà Nội, Cần Thơ``; ``Chủ tịch UBND các xã:
  …`` (a body or office over ``các`` + one level: the head is the same name in
  the singular).

Each name is composed with the head (``Bộ`` + ``Công Thương``) and read by the
matcher itself, so a name the gazetteer lists resolves to its entry (known), a
name it does not list is kept only when the head is a shape head (``Bộ
Ngoại thương``: known = False), and the name ends where the composed body ends
(``Bộ Y tế`` in ``Y tế nghiên cứu …``).  The mention's span is the name as
written; the head's start is kept (``head``) so that the task logic sees the
list as the subject of its sentence.  Lists of places or things (``các xã:
Đức Trọng, …`` with no body, ``các nội dung: …``) are not bodies and do not
distribute.
"""

from __future__ import annotations

from dataclasses import replace

import regex

from .agencies import _GAP_TEXT, _best_at, _Cand, _Doc, _Gaz, _joiner, _longest, _prepare

_MAX_TOKENS = 40  # how far one composed name may be read after its start


def _level_head(g: _Gaz, doc: _Doc, c: _Cand) -> str | None:
    """``Ủy ban nhân dân các xã`` -> ``Ủy ban nhân dân xã``: a name over a determiner and one level."""
    for m in range(c.i + 1, c.j):
        word = doc.toks[m].alts[0][0]
        det = _longest(g.dets, doc, m)
        if word not in g.markers or det is None or det[0] != m or doc.gaps[m] != " ":
            continue
        level = _longest(g.levels, doc, m + 1)
        if level is None or level[0] != c.j or level[1].key not in g.all_levels:
            return None  # "UBND các xã, phường": which level each name has is not said
        head, n = regex.subn(rf"(?i)(?<=\S)\s+{regex.escape(doc.toks[m].text)}\s+(?=\S)", " ", c.name, count=1)
        return head if n else None
    return None


def _head(g: _Gaz, doc: _Doc, c: _Cand) -> str | None:
    """The singular head a plural mention distributes, or None."""
    if c.entry is not None and c.entry.distributes:
        return c.entry.distributes
    if c.entry is None and c.ids == (g.grammar_id,) and c.kind == "group":
        det = _longest(g.dets, doc, c.i)
        noun = _longest(g.nouns, doc, det[0] + 1) if det is not None and det[0] + 1 <= c.j else None
        if noun is not None and noun[0] == c.j:  # one noun, no modifier: "các Ban"
            return g.dist_nouns.get(noun[1].key)
    if c.kind in ("group", "role"):
        return _level_head(g, doc, c)
    return None


def _rest(doc: _Doc, k: int) -> str:
    """Tokens from k as one string (the folded words, single spaces) up to a break or a colon."""
    out, x = doc.toks[k].text, k
    while x + 1 < len(doc.toks) and x - k < _MAX_TOKENS and doc.gaps[x] not in "x:":
        out += _GAP_TEXT.get(doc.gaps[x], " ") + doc.toks[x + 1].text
        x += 1
    return out


def _compose(g: _Gaz, head: str, head_len: int, doc: _Doc, k: int) -> _Cand | None:
    """The body ``head`` + the name at token k, read by the matcher; its span is the name's tokens."""
    cdoc, _ = _prepare(g, head + " " + _rest(doc, k))
    c = _best_at(g, cdoc, 0)
    if c is None or c.j < head_len or c.kind == "group":
        return None
    return replace(c, i=k, j=k + c.j - head_len, explicit=True)


def distribute(g: _Gaz, doc: _Doc, c: _Cand) -> list[_Cand]:
    """``Các Bộ: Công Thương, Y tế`` -> one mention per name (the head's token kept in ``head``)."""
    n = len(doc.toks)
    if c.j + 1 >= n or doc.gaps[c.j] != ":":
        return []
    head = _head(g, doc, c)
    if head is None:
        return []
    head_len = len(_prepare(g, head)[0].toks)
    out: list[_Cand] = []
    pos: int | None = c.j + 1
    while pos is not None and (doc.toks[pos].cap or doc.toks[pos].abbr):
        item = _compose(g, head, head_len, doc, pos)
        if item is None:
            break
        out.append(replace(item, head=c.i))
        nxt = _joiner(g, doc, item.j)
        pos = nxt[0] if nxt else None
    return out


__all__: list[str] = ["distribute"]
