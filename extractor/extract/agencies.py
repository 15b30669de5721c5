"""Agency gazetteer and matcher: who is named in a Vietnamese administrative text.

Finds bodies (``agency``), collectives (``group``: ``Các sở, ban, ngành``) and
offices (``role``: ``Giám đốc Sở Nội vụ``) with half-open spans into the searched
string and a canonical name: abbreviations expanded (``UBND tỉnh`` -> ``Ủy ban
nhân dân tỉnh``), listed typos fixed, NFC with new-style tone marks (``hoà`` ->
``hòa``), single spaces, first letter capitalised.  The text's own level and
place words stay (``Bảo hiểm xã hội Thành phố``); a body is never mapped to
another one (``Sở Kế hoạch và Đầu tư`` stays, whatever its ``merged_into``).

Language data is in ``patterns/agencies.jsonl`` and ``patterns/abbreviations.tsv``;
this module holds the mechanism only:

* the text is folded (NFC, tone placement) with offsets kept and cut into
  word tokens; an abbreviation token stands for each of its expansions;
* a word trie of all names and aliases (``,`` and ``-`` between words ignored)
  is walked from every token, case-insensitively except that an entry's
  capitalised first word must be capitalised in the text (``cơ sở Văn hóa`` is
  no department); the longest candidate wins, left to right, no overlaps;
* a match grows by a level of the entry's ``levels`` (``tỉnh``; ``các xã,
  phường`` or ``cấp xã`` make it a group) and a capitalised place name
  (``Lâm Đồng``); groups take modifiers (``có liên quan``);
* a ``head`` entry (``Sở``, ``Trung tâm``) followed by a capitalised name not
  in the gazetteer gives a body with ``known = False`` (unless it is a listed
  name misspelt, ``Sở Tài chánh``, fixed by fuzzy matching); a ``prefix`` entry
  (``Giám đốc``, ``Thường trực``) joins the body after it into a role/body;
* the ``grammar`` entry's determiners, collective nouns and modifiers read
  collectives such as ``các cơ quan, đơn vị, địa phương trên địa bàn tỉnh``;
  a plural head spreads over the names after its colon (:mod:`.agencies_lists`:
  ``Các Sở: Tư pháp, Nội vụ``, ``UBND các xã: Đức Trọng, Hiệp Thạnh``);
* lists of offices (:mod:`.agencies_roles`): a role before a kind of body
  without ``các`` (the grammar's ``role_nouns``: ``Thủ trưởng cơ quan ngang
  bộ``), a role over a list of kinds (``Thủ trưởng cơ quan ngang Bộ, cơ quan
  thuộc Chính phủ``: two offices), a ``list_head`` office alone when it opens a
  list of offices (``Bộ trưởng, Thủ trưởng …``).

Entry fields (``agencies.jsonl``; checked by ``tests/test_agencies.py``): ``id``,
``name``, ``kind``, ``aliases``, ``examples``, ``counter_examples``; optional
``typos`` (canonicalised to the name), ``levels``, ``place`` (true: a province
may follow; ``"any"``: any capitalised name), ``head``, ``bare`` (false: the
name alone is no mention), ``prefix`` (``role``/``agency``), ``continuation``
(``lower``: a head may go on in lower case up to a level), ``strict``,
``not_after``/``not_before`` (neighbouring words that veto), ``distributes``,
``list_head`` (the name alone is a mention when another office follows in a list),
``grammar`` (one entry), ``merged_into``/``note`` (documentation only).
"""

from __future__ import annotations

import itertools
import json
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import regex
from rapidfuzz import fuzz, process

PATTERNS_DIR = Path(__file__).resolve().parents[2] / "patterns"
KINDS = frozenset({"agency", "group", "role"})
FUZZY_CUTOFF = 85.0  # canonical_agency / split_agency_list on a phrase that should be one body
TYPO_CUTOFF = 90.0  # find_agencies: an unknown "Sở …" this close to a listed name is that name
_TRIE_GAPS = frozenset({" ", ",", "-"})
_GAP_TEXT = {" ": " ", ",": ", ", "-": " - ", "/": "/", ".": ". ", ":": ": "}
_TONE_RE = regex.compile(
    r"(?<![^\W\d_])([bcdđghklmnpqrstvxBCDĐGHKLMNPQRSTVX]*)([oOuU])"
    r"([àáảãạèéẻẽẹỳýỷỹỵÀÁẢÃẠÈÉẺẼẸỲÝỶỸỴ])(?![^\W\d_])"
)
_PAIRS = frozenset({("o", "a"), ("o", "e"), ("u", "y")})
_ROMAN = regex.compile(r"[IVXLC]+")
_WORD_RE = regex.compile(r"[^\W_]+|&")


@dataclass(frozen=True)
class AgencyMatch:
    """One mention of a body, collective or office.

    ``text == searched[start:end]`` as written (no trailing punctuation or
    space); ``name`` is canonical; ``known`` is False for a body that is only
    shaped like one (``Sở …``, ``Trung tâm …``) but not in the gazetteer;
    ``entry_id`` is the gazetteer id, ``+``-joined for composed mentions
    (``giam-doc+so-noi-vu``), None for unknown bodies; ``head_start`` is set
    on a name composed with a plural head written once before a colon
    (``Công Thương`` in ``Các Bộ: Công Thương, Y tế``): the offset of that
    head, which opens the list.
    """

    start: int
    end: int
    text: str
    name: str
    kind: str
    known: bool
    entry_id: str | None
    head_start: int | None = None  # a name under a plural head ("Các Bộ: Công Thương"): where the head starts


def normalize_tones(s: str) -> str:
    """Move the tone mark of open ``oa``/``oe``/``uy`` syllables to the first vowel.

    ``hoà`` -> ``hòa``, ``thuỷ`` -> ``thủy``, ``UỶ`` -> ``ỦY`` (the "new" placement
    of the gold); ``quý`` keeps its mark (``qu`` is a consonant).

    Args:
        s: NFC text.

    Returns:
        The text with the same length, tone marks moved.
    """

    def fix(m: regex.Match[str]) -> str:
        lead, v1, v2 = m.group(1), m.group(2), m.group(3)
        decomposed = unicodedata.normalize("NFD", v2)
        base, mark = decomposed[0], decomposed[1:]
        if (v1.lower(), base.lower()) not in _PAIRS or (v1 in "uU" and lead[-1:].lower() == "q"):
            return m.group(0)
        return lead + unicodedata.normalize("NFC", v1 + mark) + base

    return _TONE_RE.sub(fix, s)


# ----------------------------------------------------------------- data model
@dataclass(frozen=True)
class _Entry:
    id: str
    name: str
    kind: str
    levels: frozenset[str] = frozenset()
    place: bool | str = False  # True: a province may follow; "any": any capitalised name
    head: bool = False
    bare: bool = True
    prefix: str | None = None
    strict: bool = False
    lower: bool = False
    not_after: frozenset[str] = frozenset()
    not_before: frozenset[str] = frozenset()
    distributes: str | None = None
    list_head: bool = False  # the name alone is a mention when it opens a list of offices


@dataclass(frozen=True)
class _Term:
    entry: _Entry
    form: str  # canonical rendering of the matched alternative
    caps: tuple[bool, ...]  # key words written with a capital in the data


@dataclass
class _Node:
    kids: dict[str, _Node] = field(default_factory=dict)
    terms: list[_Term] = field(default_factory=list)
    form: str | None = None  # word-list tries (levels, nouns …): the data text, expanded
    key: str = ""
    extra: bool = False

    def add(self, key: tuple[str, ...]) -> _Node:
        node = self
        for w in key:
            node = node.kids.setdefault(w, _Node())
        return node


class _Tok(NamedTuple):
    """What a token string is; shared by all its occurrences (spans live in ``_Doc``)."""

    text: str
    alts: tuple[tuple[str, ...], ...]  # folded word sequences the token can stand for
    forms: tuple[str, ...]  # cased rendering of each alt
    abbr: bool
    cap: bool
    upper: bool
    start_word: bool  # may begin a match: worth trying from here


@dataclass
class _Doc:
    toks: list[_Tok]
    starts: list[int]
    ends: list[int]
    gaps: list[str]  # gaps[k]: " ", ",", "-", "/", ".", ":" or "x" (break) after toks[k]
    tight: list[bool]
    memo: dict[int, _Cand | None] = field(default_factory=dict)


@dataclass(frozen=True)
class _Cand:
    i: int
    j: int
    name: str
    kind: str
    known: bool
    ids: tuple[str, ...]
    entry: _Entry | None = None
    explicit: bool = True
    core: int = 0  # tokens matched by the gazetteer itself (prefers the most specific entry)
    head: int | None = None  # a name under a plural head ("Các Bộ: Công Thương"): the head's first token


@dataclass
class _Gaz:
    abbr: dict[str, tuple[tuple[tuple[str, ...], str], ...]]
    compound_re: regex.Pattern[str]
    root: _Node = field(default_factory=_Node)
    levels: _Node = field(default_factory=_Node)
    all_levels: frozenset[str] = frozenset()
    dets: _Node = field(default_factory=_Node)
    nouns: _Node = field(default_factory=_Node)
    mods: _Node = field(default_factory=_Node)
    role_nouns: _Node = field(default_factory=_Node)  # bodies a role governs without "các"
    bare_heads: frozenset[str] = frozenset()
    ambiguous: frozenset[str] = frozenset()
    word_joiners: frozenset[str] = frozenset()
    gap_joiners: frozenset[str] = frozenset()
    markers: frozenset[str] = frozenset()
    noun_not_after: dict[str, frozenset[str]] = field(default_factory=dict)
    noun_not_before: dict[str, frozenset[str]] = field(default_factory=dict)  # "bộ" not in "Bộ trưởng"
    level_not_before: dict[str, frozenset[str]] = field(default_factory=dict)
    places: _Node = field(default_factory=_Node)
    province_levels: frozenset[str] = frozenset()
    numbered_levels: frozenset[str] = frozenset()
    stop_words: frozenset[str] = frozenset()
    entries: dict[str, _Entry] = field(default_factory=dict)
    grammar_id: str = ""
    dist_heads: frozenset[str] = frozenset()
    dist_nouns: dict[str, str] = field(default_factory=dict)  # collective noun -> the head it distributes
    piece_re: regex.Pattern[str] | None = None
    fuzzy_keys: list[str] = field(default_factory=list)
    fuzzy_terms: list[_Term] = field(default_factory=list)
    starts: frozenset[str] = frozenset()  # first words of anything the matcher can find
    info: dict[str, _Tok] = field(default_factory=dict)


# ----------------------------------------------------------------- loading
def _fold(text: str) -> tuple[str, list[int] | None]:
    """NFC + tone placement; the map (folded index -> original index) when lengths differ."""
    if unicodedata.is_normalized("NFC", text):
        return normalize_tones(text), None
    out: list[str] = []
    starts: list[int] = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        cluster = unicodedata.normalize("NFC", text[i:j])
        out.append(cluster)
        starts.extend([i] * len(cluster))
        i = j
    starts.append(len(text))
    return normalize_tones("".join(out)), starts


def _gap(s: str) -> str:
    if s == " ":
        return " "
    core = s.strip()
    if s.count("\n") > 1 or len(core) > 1:
        return "x"
    if not core:
        return " "
    if core not in ",-–—/.:" or ("\n" in s and s.index("\n") < s.index(core)):
        return "x"  # other punctuation, or a bullet at the start of a line
    return "-" if core in "-–—" else core


def _tokens(g: _Gaz, folded: str) -> _Doc:
    # abbreviations with inner punctuation (KH&ĐT, LĐ-TB&XH) first, then plain words
    spans = [(m.start(), m.end()) for m in g.compound_re.finditer(folded)] if "&" in folded or "-" in folded else []
    toks: list[_Tok] = []
    starts: list[int] = []
    ends: list[int] = []
    skip_to, nxt, info = -1, 0, g.info
    for m in _WORD_RE.finditer(folded):
        a, b = m.span()
        if a < skip_to:
            continue
        while nxt < len(spans) and spans[nxt][1] <= a:
            nxt += 1
        if nxt < len(spans) and spans[nxt][0] == a:
            b = skip_to = spans[nxt][1]
        s = folded[a:b]
        tok = info.get(s)
        if tok is None:
            if len(info) > 100_000:  # numbers and codes are unbounded: keep the cache small
                info.clear()
            tok = info[s] = _tok_info(g, s)
        toks.append(tok)
        starts.append(a)
        ends.append(b)
    seps = [folded[b:a] for b, a in zip(ends, starts[1:], strict=False)]
    return _Doc(toks, starts, ends, [_gap(s) for s in seps], [not any(c.isspace() for c in s) for s in seps])


def _tok_info(g: _Gaz, s: str) -> _Tok:
    reads = g.abbr.get(s, ()) if s[0].isupper() or s == "&" else ()
    alts = ((s.lower(),), *(r[0] for r in reads))
    start = any(a[0] in g.starts for a in alts)
    return _Tok(s, alts, (s, *(r[1] for r in reads)), bool(reads), s[0].isupper(), s.upper() == s, start)


def _data_keys(g: _Gaz, s: str) -> list[tuple[tuple[str, ...], tuple[bool, ...], str]]:
    """Every (key words, capitalised flags, cased rendering) a data string can be read as."""
    doc = _tokens(g, normalize_tones(unicodedata.normalize("NFC", s)))
    if not doc.toks:
        return []
    options: list[list[tuple[tuple[str, ...], tuple[bool, ...], str]]] = []
    for t in doc.toks:
        pairs = list(zip(t.alts, t.forms, strict=True))[1:] if t.abbr else [(t.alts[0], t.text)]
        options.append([(a, tuple(w[:1].isupper() for w in _flat(f).split()), f) for a, f in pairs])
    out = []
    for combo in itertools.product(*options):
        key = tuple(w for c in combo for w in c[0])
        caps = tuple(b for c in combo for b in c[1])
        form = combo[0][2] + "".join(_GAP_TEXT.get(gp, " ") + c[2] for gp, c in zip(doc.gaps, combo[1:], strict=True))
        out.append((key, caps, form))
    return out


def _flat(s: str) -> str:
    """Drop the punctuation the trie ignores (``Văn hóa, Thể thao``, ``Lao động - Thương binh``)."""
    return s.replace(",", " ").replace(" - ", " ")


def _fold_word(s: str) -> str:
    return normalize_tones(unicodedata.normalize("NFC", s)).lower()


def _word_trie(g: _Gaz, words: list[str], extra: bool = False, node: _Node | None = None) -> _Node:
    root = node or _Node()
    for w in words:
        for key, _caps, form in _data_keys(g, w):
            leaf = root.add(key)
            if leaf.form is None:
                leaf.form, leaf.key, leaf.extra = form, " ".join(key), extra
    return root


def _load_abbr(path: Path) -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
    table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 2:
            raise ValueError(f"[AGY001] {path.name}:{n}: expected 'abbreviation<TAB>expansion'")
        exp = normalize_tones(unicodedata.normalize("NFC", cols[1].strip()))
        table.setdefault(cols[0].strip(), []).append((tuple(_flat(exp).lower().split()), exp))
    return {k: tuple(v) for k, v in table.items()}


@lru_cache(maxsize=1)
def _gazetteer() -> _Gaz:
    abbr = _load_abbr(PATTERNS_DIR / "abbreviations.tsv")
    compound = sorted((a for a in abbr if not _WORD_RE.fullmatch(a)), key=len, reverse=True)
    alt = "|".join(map(regex.escape, compound))
    g = _Gaz(abbr, regex.compile(rf"(?<![^\W_])(?=\p{{Lu}})(?:{alt})(?![^\W_])"))
    levels: set[str] = set()
    for n, line in enumerate((PATTERNS_DIR / "agencies.jsonl").read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        d = json.loads(line)
        if d.get("kind") not in KINDS or not d.get("id") or not d.get("name") or d["id"] in g.entries:
            raise ValueError(f"[AGY002] agencies.jsonl:{n}: bad or duplicate entry {d.get('id')!r}")
        e = _Entry(d["id"], normalize_tones(unicodedata.normalize("NFC", d["name"])), d["kind"],
                   frozenset(" ".join(k[0]) for lv in d.get("levels", []) for k in _data_keys(g, lv)),
                   d.get("place", False), d.get("head", False), d.get("bare", True), d.get("prefix"),
                   d.get("strict", False), d.get("continuation") == "lower",
                   frozenset(map(_fold_word, d.get("not_after", []))),
                   frozenset(map(_fold_word, d.get("not_before", []))),
                   d.get("distributes"), d.get("list_head", False))
        g.entries[e.id] = e
        _word_trie(g, d.get("levels", []), node=g.levels)
        levels |= e.levels
        name_keys = {k[0] for k in _data_keys(g, e.name)}
        strings = [(e.name, False)] + [(a, False) for a in d.get("aliases", [])] + [(t, True) for t in d.get("typos", [])]
        for s, typo in strings:
            for key, caps, form in _data_keys(g, s):
                leaf = g.root.add(key)
                if any(t.entry is e for t in leaf.terms):
                    continue
                acronym = len(key) == 1 and s.isupper() and not typo  # BNV, VPCP: no expansion in the table
                term = _Term(e, e.name if typo or acronym or key in name_keys else form, caps)
                leaf.terms.append(term)
                if e.prefix is None:
                    g.fuzzy_keys.append(" ".join(key))
                    g.fuzzy_terms.append(term)
        if "grammar" in d:
            g.grammar_id = e.id
            _load_grammar(g, d["grammar"])
    g.all_levels = frozenset(levels)
    g.starts = frozenset(g.root.kids) | frozenset(g.dets.kids) | frozenset(g.nouns.kids)
    g.info.clear()  # tokens read while loading did not know the start words yet
    g.dist_heads = frozenset(_fold_word(e.distributes) for e in g.entries.values() if e.distributes)
    joiners = "|".join(map(regex.escape, sorted(g.word_joiners)))
    g.piece_re = regex.compile(rf"(?:(?!\s(?:{joiners})\s)[^\n;,/():|])+")
    return g


def _load_grammar(g: _Gaz, gr: dict[str, object]) -> None:
    def words(k: str) -> list[str]:
        v = gr.get(k, [])
        return [str(x) for x in v] if isinstance(v, list) else []

    _word_trie(g, words("determiners"), node=g.dets)
    _word_trie(g, words("nouns"), node=g.nouns)
    _word_trie(g, words("extra_nouns"), extra=True, node=g.nouns)
    _word_trie(g, words("modifiers"), node=g.mods)
    _word_trie(g, words("role_nouns"), node=g.role_nouns)
    g.bare_heads = frozenset(map(_fold_word, words("bare_heads")))
    _word_trie(g, words("provinces"), node=g.places)
    g.province_levels = frozenset(map(_fold_word, words("province_levels")))
    g.numbered_levels = frozenset(map(_fold_word, words("numbered_levels")))
    g.stop_words = frozenset(map(_fold_word, words("not_in_names")))
    heads = gr.get("distributes", {})
    if isinstance(heads, dict):
        g.dist_nouns = {" ".join(_flat(_fold_word(k)).split()): str(v) for k, v in heads.items()}
    g.ambiguous = frozenset(map(_fold_word, words("ambiguous")))
    g.markers = frozenset(map(_fold_word, words("level_markers")))
    g.word_joiners = frozenset(_fold_word(w) for w in words("joiners") if w[:1].isalpha())
    g.gap_joiners = frozenset(w for w in words("joiners") if not w[:1].isalpha())
    for name, target in (("not_after", g.noun_not_after), ("not_before", g.noun_not_before),
                         ("level_not_before", g.level_not_before)):
        table = gr.get(name, {})
        if isinstance(table, dict):
            target.update({_fold_word(k): frozenset(map(_fold_word, v)) for k, v in table.items()})


# ----------------------------------------------------------------- matching
_SPACE = frozenset({" "})
_Walk = list[tuple[int, _Node, tuple[int, ...]]]


def _walk(root: _Node, doc: _Doc, k: int, gaps: frozenset[str] = _TRIE_GAPS) -> _Walk:
    """Trie nodes reachable from token k: (last token, node, token of each key word)."""
    out: _Walk = []

    def rec(node: _Node, i: int, path: tuple[int, ...]) -> None:
        tok = doc.toks[i]
        for alt in tok.alts:
            cur: _Node | None = node
            for w in alt:
                cur = cur.kids.get(w) if cur is not None else None
            if cur is None:
                continue
            p = path + (i,) * len(alt)
            if cur.terms or cur.form is not None:
                out.append((i, cur, p))
            gap = doc.gaps[i] if i + 1 < len(doc.toks) else "x"
            if cur.kids and (gap in gaps or (gap == "." and tok.abbr)):
                rec(cur, i + 1, p)

    rec(root, k, ())
    return out


def _longest(root: _Node, doc: _Doc, k: int) -> tuple[int, _Node] | None:
    if k >= len(doc.toks):
        return None
    hits = [(i, n) for i, n, _ in _walk(root, doc, k, _SPACE) if n.form is not None]
    return max(hits, key=lambda h: h[0]) if hits else None


def _render(doc: _Doc, i: int, j: int, form: str | None, upper: bool) -> str:
    """Tokens i..j as written; the data form when abbreviated or in capitals."""
    upper = upper or _upper(doc, i, j)
    if form is not None and (upper or any(t.abbr for t in doc.toks[i:j + 1])):
        return form
    s = doc.toks[i].text + "".join(_GAP_TEXT.get(doc.gaps[x], " ") + doc.toks[x + 1].text for x in range(i, j))
    return s.lower() if upper else s


def _upper(doc: _Doc, i: int, j: int) -> bool:
    ts = doc.toks[i:j + 1]
    return all(t.upper for t in ts) and any(not t.abbr and any(c.isalpha() for c in t.text) for t in ts)


def _joiner(g: _Gaz, doc: _Doc, e: int, levels_only: bool = False) -> tuple[int, str] | None:
    """Where a list goes on after token e (``,`` ``/`` ``và`` ``hoặc``), with its rendering."""
    n = len(doc.toks)
    if e + 1 >= n:
        return None
    gap = doc.gaps[e]
    if gap in g.gap_joiners:
        return e + 1, _GAP_TEXT[gap]
    if gap == " " and levels_only and _is_level(g, doc, e + 1):
        return e + 1, " "  # "UBND các phường xã"
    if gap == " " and doc.toks[e + 1].alts[0][0] in g.word_joiners and e + 2 < n and doc.gaps[e + 1] == " ":
        return e + 2, " " + doc.toks[e + 1].text + " "
    return None


def _is_level(g: _Gaz, doc: _Doc, k: int, allowed: frozenset[str] | None = None) -> bool:
    hit = _longest(g.levels, doc, k)
    return hit is not None and hit[1].key in (allowed or g.all_levels) and not (
        hit[0] + 1 < len(doc.toks) and doc.gaps[hit[0]] == " "
        and doc.toks[hit[0] + 1].alts[0][0] in g.level_not_before.get(hit[1].key, ()))


def _level(g: _Gaz, doc: _Doc, j: int, allowed: frozenset[str], upper: bool) -> tuple[int, str, bool, str] | None:
    """A level after token j: ``tỉnh`` (agency) or ``các xã, phường`` / ``cấp xã`` (group)."""
    n = len(doc.toks)
    if j + 1 >= n or doc.gaps[j] != " ":
        return None
    k, head, group = j + 1, "", False
    # "các xã", "cấp xã", "06 thành phố": a marker (or a count) makes the level a group
    if (doc.toks[k].alts[0][0] in g.markers or doc.toks[k].text.isdigit()) and k + 1 < n and doc.gaps[k] == " ":
        head, group, allowed, k = " " + _render(doc, k, k, None, upper), True, allowed | g.markers, k + 1
    last, parts, sep, count, key = -1, "", " ", 0, ""
    while k < n:
        hit = _longest(g.levels, doc, k)
        if hit is None or not _is_level(g, doc, k, allowed) or (count and _best_at(g, doc, k) is not None):
            break  # "tỉnh, Tỉnh đoàn": the next item is a body of its own
        parts += sep + _render(doc, k, hit[0], hit[1].form, upper)
        last, count, key = hit[0], count + 1, hit[1].key
        nxt = _joiner(g, doc, last, bool(head))  # a bare space only in "các phường xã"
        if nxt is None or not _is_level(g, doc, nxt[0]):
            break
        k, sep = nxt
    return None if last < 0 else (last, head + parts, group or count > 1, key)


def _place(
    g: _Gaz, doc: _Doc, j: int, upper: bool, level: str | None, e_place: bool | str = True
) -> tuple[int, str] | None:
    """A place name after token j (after ``level``, or right after the body when None).

    A province (``Lâm Đồng``) anywhere; after lower levels (``xã``, ``thành phố``)
    also other capitalised words (``Lương Minh``), and a number after numbered
    levels (``phường 2``, ``khu vực XVI``).
    """
    toks, n = doc.toks, len(doc.toks)
    if j + 1 >= n or not (doc.gaps[j] == " " or (doc.gaps[j] == "." and toks[j].abbr)):
        return None
    hit = _longest(g.places, doc, j + 1)
    if hit is not None:
        return hit[0], " " + _render(doc, j + 1, hit[0], hit[1].form, upper)
    if level in g.province_levels or (level is None and e_place != "any"):
        return None
    k, out, counted, words = j, "", False, 0
    while k + 1 < n and words < 4:
        gap, t = doc.gaps[k], toks[k + 1]
        if not (gap == " " or (gap == "." and not out and toks[k].abbr) or (gap == "-" and out)):
            break
        number = not counted and (t.text.isdigit() or _ROMAN.fullmatch(t.text) is not None) and (
            level in g.numbered_levels or level is None or bool(out) and len(t.text) <= 2)  # xã Bảo Lâm 2
        word = t.text.isalpha() and (t.upper if upper else t.cap and (not t.upper or len(t.text) == 1))
        if not number and (not word or _best_at(g, doc, k + 1) is not None):
            break
        text = t.forms[1] if t.abbr else t.text
        out += (" - " if gap == "-" else " ") + (text[:1] + text[1:].lower() if upper and not number else text)
        counted, k, words = counted or number, k + 1, words + 1
    if not out:
        return None
    if upper and k + 1 < n and doc.gaps[k] in " -" and _best_at(g, doc, k + 1) is None:
        return None  # a capitalised title goes on: not a place name
    return k, out


def _own_level(g: _Gaz, doc: _Doc, c: _Cand) -> str | None:
    """The level a name ends with (``Ủy ban nhân dân xã``), which decides what place may follow."""
    for k in (c.j, c.j - 1):
        hit = _longest(g.levels, doc, k) if k > c.i else None
        if hit is not None and hit[0] == c.j and hit[1].key in g.all_levels:
            return hit[1].key
    return None


def _mods(g: _Gaz, doc: _Doc, c: _Cand, upper: bool) -> _Cand:
    j, s = c.j, c.name
    while j + 1 < len(doc.toks) and doc.gaps[j] == " ":
        hit = _longest(g.mods, doc, j + 1)
        if hit is None or _best_at(g, doc, j + 1) is not None:
            break  # "… ngành Tỉnh đoàn": not the modifier "tỉnh"
        s, j = s + " " + _render(doc, j + 1, hit[0], hit[1].form, upper), hit[0]
    return replace(c, j=j, name=s)


def _grow(g: _Gaz, doc: _Doc, base: _Cand, e: _Entry, upper: bool) -> list[_Cand]:
    """The base match with the level, place and modifiers that follow it."""
    out = [base] if e.bare else []
    lv = _level(g, doc, base.j, e.levels, upper) if e.levels else None
    if lv is not None:
        cur = replace(base, j=lv[0], name=base.name + lv[1], kind="group" if lv[2] else base.kind)
        out.append(cur)
        pl = None if lv[2] else _place(g, doc, cur.j, _upper(doc, base.i, cur.j), lv[3])
        if pl is not None:
            out.append(replace(cur, j=pl[0], name=cur.name + pl[1]))
    elif e.place and (pl := _place(g, doc, base.j, upper, _own_level(g, doc, base), e.place)) is not None:
        out.append(replace(base, j=pl[0], name=base.name + pl[1]))
    return [_mods(g, doc, c, upper) if c.kind == "group" else c for c in out]


def _continue(g: _Gaz, doc: _Doc, j: int, e: _Entry) -> tuple[int, str] | None:
    """The capitalised name after a head (``Sở`` ``Hạ tầng Số``); lower-case runs only up to a level."""
    toks, n = doc.toks, len(doc.toks)
    k, end, out, pending, after_cap = j, j, "", "", False  # after_cap: one lower-case syllable may follow
    while k + 1 < n and len((out + pending).split()) < 10:
        gap, t = doc.gaps[k], toks[k + 1]
        if gap not in " -" or (gap == "-" and (pending or not out or not t.cap)) or (t.text.isdigit() and not out):
            break
        if _is_level(g, doc, k + 1, e.levels or g.all_levels):
            if pending:
                out, end, pending = out + pending, k, ""
            break
        word = (" - " if gap == "-" else " ") + (t.forms[1] if t.abbr else t.text)
        if out and t.cap and gap == " " and _longest(g.places, doc, k + 1) is not None:
            # "… ứng dụng công nghệ cao Phú Yên": the name ends, the place follows
            out, end = out + pending, k if pending else end
            break
        if t.cap or t.text.isdigit():
            # "Trung tâm Huấn luyện và Thi đấu" goes on; "Ban Chỉ đạo hoặc Tổ", "… trì Kế hoạch" do not
            # a lower-case stretch inside a "continuation: lower" name: "Ban Quản lý Khu Nông nghiệp ứng dụng
            # Công nghệ cao"
            words = pending.split()
            joined = not pending or (bool(out) and len(words) == 1 and words[0] in g.word_joiners) or (
                e.lower and bool(out) and len(words) <= 2 and not any(w in g.word_joiners for w in words))
            if not joined or t.alts[0][0] in g.stop_words or _best_at(g, doc, k + 1) is not None:
                break
            out, end, pending, after_cap = out + pending + word, k + 1, "", t.text.isalpha() and not t.upper
        elif t.alts[0][0] in g.stop_words:  # "… Cam Ranh khi", "… Số phối hợp": the name is over
            break
        elif after_cap:  # one syllable completes the word: "Dịch vụ", "Y tế"
            out, end, after_cap = out + word, k + 1, False
        elif out or e.lower:
            pending += word
        else:
            break
        k += 1
    return (end, out) if out else None


def _case_ok(term: _Term, doc: _Doc, path: tuple[int, ...]) -> bool:
    """A word capitalised in the data must be capitalised in the text (first word; all if strict)."""
    group = term.entry.kind == "group"
    if group and not term.entry.strict:
        return True
    for pos, flag in enumerate(term.caps):
        if group and pos == 0:
            continue  # "các Hội": the determiner may be lower case
        t = doc.toks[path[pos]]
        if flag and not (t.cap or t.abbr):
            return False
        if not term.entry.strict:
            break
    return True


def _context_ok(e: _Entry, doc: _Doc, i: int, j: int) -> bool:
    toks = doc.toks
    if e.not_after and i > 0 and doc.gaps[i - 1] == " " and toks[i - 1].alts[0][0] in e.not_after:
        return False
    return not (e.not_before and j + 1 < len(toks) and doc.gaps[j] == " " and toks[j + 1].alts[0][0] in e.not_before)


def _collective(g: _Gaz, doc: _Doc, k: int) -> _Cand | None:
    """Determiner + collective nouns + modifiers: ``các sở, ban, ngành, địa phương có liên quan``."""
    toks, n = doc.toks, len(doc.toks)
    det, start = _longest(g.dets, doc, k), k
    if det is not None:
        if det[0] + 1 >= n or doc.gaps[det[0]] != " ":
            return None
        start = det[0] + 1
    items: list[tuple[str, int, int, _Node]] = []
    pos, sep = start, ""
    while pos < n:
        hit = _longest(g.nouns, doc, pos)
        if hit is None or (not items and hit[1].extra) or _compound(g, doc, pos, hit[0], hit[1].key):
            break
        items.append((sep, pos, hit[0], hit[1]))
        nxt = _joiner(g, doc, hit[0])
        if nxt is None:
            break
        pos, sep = nxt
    if not items:
        return None
    first = items[0][3].key
    if det is None:  # "Sở, ban, ngành", "cơ quan, đơn vị": a list of two real nouns, not "cơ sở, ngành"
        head_ok = any(first == h or first.startswith(h + " ") for h in g.bare_heads)
        after = toks[start - 1].alts[0][0] if start > 0 and doc.gaps[start - 1] == " " else ""
        if sum(not it[3].extra for it in items) < 2 or not head_ok or after in g.noun_not_after.get(first, ()):
            return None
    j = items[-1][2]
    upper = _upper(doc, k, j)
    name = (_render(doc, k, det[0], det[1].form, upper) + " ") if det else ""
    name += "".join(sp + _render(doc, a, b, node.form, upper) for sp, a, b, node in items)
    return _mods(g, doc, _Cand(k, j, name, "group", True, (g.grammar_id,), None, False), upper)


def _compound(g: _Gaz, doc: _Doc, i: int, j: int, key: str) -> bool:
    """``bộ phận``, ``hội viên``: an ambiguous lower-case noun that is the first half of a compound;
    ``Bộ trưởng``: a noun before a word the grammar's ``not_before`` lists, whatever its case."""
    toks = doc.toks
    if j + 1 < len(toks) and doc.gaps[j] == " " and toks[j + 1].alts[0][0] in g.noun_not_before.get(key, ()):
        return True
    if key not in g.ambiguous or toks[i].cap or j + 1 >= len(toks) or doc.gaps[j] != " ":
        return False
    nxt = toks[j + 1]
    return not nxt.cap and nxt.alts[0][0] not in g.word_joiners and _longest(g.mods, doc, j + 1) is None


def _cands_at(g: _Gaz, doc: _Doc, k: int) -> list[_Cand]:
    toks = doc.toks
    if not toks[k].start_word:
        return []
    if k > 0 and doc.tight[k - 1] and doc.gaps[k - 1] in "-/" and toks[k].upper and toks[k - 1].upper:
        return []  # inside a document code such as 690/KH-UBND or 6676/BYT-CDS
    out: list[_Cand] = []
    hits = [(j, t) for j, node, path in _walk(g.root, doc, k) for t in node.terms
            if _case_ok(t, doc, path) and _context_ok(t.entry, doc, k, j)]
    longest_known = max((j for j, t in hits if not t.entry.head), default=-1)
    for j, term in hits:
        e = term.entry
        upper = _upper(doc, k, j)
        if (body := _prefix_body(g, doc, e, j)) is not None:
            kind = "role" if e.prefix == "role" else ("group" if body.kind == "group" else "agency")
            bname = body.name if toks[body.i].cap else body.name[:1].lower() + body.name[1:]
            ids = (e.id, *body.ids) if body.known else ()
            out.append(_Cand(k, body.j, term.form + " " + bname, kind, body.known, ids, e, False, j))
        elif e.list_head and _roles.opens_role_list(g, doc, j):  # "Bộ trưởng, Thủ trưởng cơ quan ngang bộ"
            out.append(_Cand(k, j, term.form, e.kind, True, (e.id,), e, True, j))
        out.extend(_grow(g, doc, _Cand(k, j, term.form, e.kind, True, (e.id,), e, True, j), e, upper))
        if e.head and not upper and j >= longest_known and (cont := _continue(g, doc, j, e)) is not None:
            shape = replace(e, bare=True, place=True, levels=e.levels or g.all_levels)
            unknown = _Cand(k, cont[0], term.form + cont[1], e.kind, False, (), None, False)
            out.extend(_grow(g, doc, _typo(g, doc, unknown), shape, False))
    col = _collective(g, doc, k)
    return out if col is None else [*out, col]


def _prefix_body(g: _Gaz, doc: _Doc, e: _Entry, j: int) -> _Cand | None:
    """The body a ``prefix`` entry ending at token j joins (``Giám đốc`` ``Sở Nội vụ``), if any."""
    if not e.prefix or j + 1 >= len(doc.toks) or doc.gaps[j] != " ":
        return None
    body = _best_at(g, doc, j + 1)
    if body is None and e.prefix == "role":
        body = _roles.role_noun(g, doc, j + 1)  # "Thủ trưởng cơ quan ngang bộ"
    return body


def _typo(g: _Gaz, doc: _Doc, c: _Cand) -> _Cand:
    """An unknown-shaped body that is a listed one misspelt (``Sở Nông nghiệp và Mội trường``)."""
    query = " ".join(w for t in doc.toks[c.i:c.j + 1] for w in t.alts[1 if t.abbr else 0])
    hit = process.extractOne(query, g.fuzzy_keys, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF)
    term = g.fuzzy_terms[hit[2]] if hit is not None else None
    if term is None or term.entry.head or not term.entry.bare:
        return c
    return replace(c, name=term.form, kind=term.entry.kind, known=True, ids=(term.entry.id,), entry=term.entry)


def _best_at(g: _Gaz, doc: _Doc, k: int) -> _Cand | None:
    if k not in doc.memo:
        doc.memo[k] = None  # guards the recursion through prefixes and place names
        cands = _cands_at(g, doc, k)
        doc.memo[k] = max(cands, key=lambda c: (c.j, c.known, c.explicit, c.core)) if cands else None
    return doc.memo[k]


def _to_match(text: str, doc: _Doc, cmap: list[int] | None, c: _Cand, offset: int = 0) -> AgencyMatch:
    s, e = doc.starts[c.i], doc.ends[c.j]
    if cmap is not None:
        s, e = cmap[s], cmap[e]
    name = " ".join(c.name.split())
    head = None
    if c.head is not None:
        head = doc.starts[c.head] if cmap is None else cmap[doc.starts[c.head]]
    return AgencyMatch(s + offset, e + offset, text[s:e], name[:1].upper() + name[1:], c.kind, c.known,
                       "+".join(c.ids) or None, None if head is None else head + offset)


def _prepare(g: _Gaz, text: str) -> tuple[_Doc, list[int] | None]:
    folded, cmap = _fold(text)
    return _tokens(g, folded), cmap


# ----------------------------------------------------------------- public API
def find_agencies(text: str) -> list[AgencyMatch]:
    """All agency mentions, longest-match, non-overlapping, in order.

    Args:
        text: Any text (a whole document, a paragraph, a table cell).

    Returns:
        The mentions left to right; ``text[m.start:m.end] == m.text``.
    """
    g = _gazetteer()
    doc, cmap = _prepare(g, text)
    out: list[_Cand] = []
    k = 0
    while k < len(doc.toks):
        c = _best_at(g, doc, k) if doc.toks[k].start_word else None
        if c is None:
            k += 1
            continue
        items = _lists.distribute(g, doc, c) or _roles.distribute_role(g, doc, c) or [c]
        items[0] = _roles.with_determiner(g, doc, items[0], out[-1].j + 1 if out else 0)
        out.extend(items)
        k = items[-1].j + 1
    return [_to_match(text, doc, cmap, c) for c in out]


def _fuzzy(g: _Gaz, text: str, ps: int, pe: int) -> AgencyMatch | None:
    """Resolve ``text[ps:pe]`` by fuzzy matching its first words against the gazetteer."""
    piece = text[ps:pe]
    doc, cmap = _prepare(g, piece)
    for kk in range(min(len(doc.toks), 8), 0, -1):
        query = " ".join(w for t in doc.toks[:kk] for w in t.alts[1 if t.abbr else 0])
        if len(query) < 4:
            break
        hit = process.extractOne(query, g.fuzzy_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if hit is None:
            continue
        term = g.fuzzy_terms[hit[2]]
        base = _Cand(0, kk - 1, term.form, term.entry.kind, True, (term.entry.id,), term.entry)
        cands = _grow(g, doc, base, term.entry, _upper(doc, 0, kk - 1))
        if cands:
            return _to_match(piece, doc, cmap, max(cands, key=lambda c: c.j), ps)
    return None


def _bounds(text: str, start: int, end: int) -> tuple[int, int] | None:
    chars = [i for i in range(start, end) if text[i].isalnum()]
    return (chars[0], chars[-1] + 1) if chars else None


def canonical_agency(text: str) -> AgencyMatch | None:
    """Resolve one cell or phrase that names a single body.

    Exact gazetteer matching first (the first mention if there are several;
    use :func:`split_agency_list` for lists), then a fuzzy match of the
    phrase's first words against names and aliases (``Bru điện tỉnh`` ->
    ``Bưu điện tỉnh``), the evidence text kept as written.

    Args:
        text: The phrase, e.g. a table cell.

    Returns:
        The match (offsets into ``text``), or None when nothing resolves.
    """
    found = find_agencies(text)
    if found and found[0].known:
        return found[0]
    b = _bounds(text, 0, len(text))
    fuzzy = _fuzzy(_gazetteer(), text, *b) if b else None
    return fuzzy or (found[0] if found else None)


def _bare(g: _Gaz, text: str, ps: int, pe: int, prev: AgencyMatch | None) -> AgencyMatch | None:
    """``Sở Tư pháp, Tài chính``: a bare department name after a ``Sở …`` mention."""
    head = _fold_word(prev.name.split()[0]) if prev else ""
    root = g.root.kids.get(head) if head in g.dist_heads else None
    if root is None:
        return None
    doc, cmap = _prepare(g, text[ps:pe])
    for i, node, _ in sorted(_walk(root, doc, 0), key=lambda h: -h[0]) if doc.toks else []:
        terms = [t for t in node.terms if t.entry.kind == "agency"]
        if i == len(doc.toks) - 1 and terms:
            c = _Cand(0, i, terms[0].form, "agency", True, (terms[0].entry.id,), terms[0].entry)
            return _to_match(text[ps:pe], doc, cmap, c, ps)
    return None


def split_agency_list(text: str) -> list[AgencyMatch]:
    """One match per body named in a cell or list phrase.

    ``Sở Tư pháp, Sở Tài chính và các cơ quan liên quan`` and ``- Sở A\\n- Sở B``
    give one match per body; collectives stay whole (``Các sở, ban, ngành``);
    bare names after a department (``Sở Tư pháp, Tài chính``) are completed and
    leftover pieces are resolved fuzzily (``Bru điện tỉnh``).

    Args:
        text: The cell or phrase.

    Returns:
        The matches in text order, offsets into ``text``.
    """
    g = _gazetteer()
    found = find_agencies(text)
    out = list(found)
    pos, prev = 0, None
    for m in [*found, None]:
        # the plural head of a list ("Các Sở: Tư pháp, Nội vụ") is no body of its own
        end = len(text) if m is None else m.start if m.head_start is None else max(pos, m.head_start)
        assert g.piece_re is not None
        for piece in g.piece_re.finditer(text, pos, end):
            b = _bounds(text, piece.start(), piece.end())
            if b is None or b[1] - b[0] < 2:
                continue
            got = _bare(g, text, *b, prev) or _fuzzy(g, text, *b)
            if got is not None:
                out.append(got)
                prev = got
        if m is not None:
            pos, prev = m.end, m
    return sorted(out, key=lambda x: x.start)


# Role lists (bare offices opening a list, a role over a body kind or a list of kinds) and lists under a plural
# head ("Các Bộ: Công Thương, Y tế") live in their own modules; they use the matcher above, so they are imported
# once the matcher is defined.
from . import agencies_lists as _lists  # noqa: E402
from . import agencies_roles as _roles  # noqa: E402

__all__: list[str] = ["AgencyMatch", "canonical_agency", "find_agencies", "normalize_tones", "split_agency_list"]
