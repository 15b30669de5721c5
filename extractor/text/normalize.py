"""String normalisation with an offset map.

Everything downstream indexes one normalised text, so every rewrite here is
done by :class:`Builder`, which records for each output character the offset
of the raw character it came from (the offset map).  Rewrites:

* Unicode NFC and one tone-mark convention (the "new" placement: ``hoà`` →
  ``hòa``, ``thuỷ`` → ``thủy``) so that spellings of one name compare equal;
* markdown markers of the crawls (``**``, ``*``) removed;
* runs of spaces, tabs and no-break spaces collapsed to one space;
* hard-wrapped lines joined (:func:`should_join` decides, from the shape of
  the two lines, whether a line break is a wrap or a real break);
* decoration lines (``-------``) dropped.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import regex

# Old-style tone placement puts the mark on the second vowel of the open
# syllables oa/oe/uy (hoà, khoẻ, thuỷ); the new style, used by the contract's
# names (Văn hóa, Thủy), puts it on the first.  "qu" is a consonant cluster, so
# "quý" is the same in both styles and is left alone.
TONE_MARKS = frozenset("\u0300\u0301\u0309\u0303\u0323")  # combining grave, acute, hook, tilde, dot below
_OLD_STYLE = regex.compile(r"(?<![qQ])([oOuU])([aAeEyY])([\u0300\u0301\u0309\u0303\u0323])(?!\p{L}|\p{M})")
_DECORATION = regex.compile(r"^[\s\-_=*.…•·~]{3,}$")
_SPACES = regex.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_MARKER_START = regex.compile(
    r"^(?:[-+•–—*]\s|[IVXLC]+[.)]\s|\d+(?:\.\d+)*[.)]\s|[a-zđ][)]\s|Điều\s+\d|Chương\s|PHỤ LỤC|Phụ lục\s|"
    r"Nơi nhận|Số:|Số\s*\d|(?:TM|KT|TL|TUQ|Q)\.\s|Căn cứ\s|Kính gửi|V/v\s|Về\s)"
)
_MARKER_ONLY = regex.compile(r"^(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)]$|^Điều\s+\d+[.:]?$")
_AUTHORITY = regex.compile(r"^(?:TM|KT|TL|TUQ|Q)\.\s")
_SENT_END = regex.compile(r"[.;:!?]\s*$|\./\.$")


def strip_tones(text: str) -> str:
    """``text`` in NFC without its tone marks, vowel marks kept (``Lầm`` → ``Lâm``, ``ử`` → ``ư``)."""
    return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", text) if c not in TONE_MARKS))


def fix_tones(text: str) -> str:
    """Return ``text`` in NFC with new-style tone placement (``hoà`` → ``hòa``)."""
    decomposed = unicodedata.normalize("NFD", text)
    if regex.search(_OLD_STYLE, decomposed) is None:
        return unicodedata.normalize("NFC", text)
    return unicodedata.normalize("NFC", _move_tones(decomposed))


def _move_tones(decomposed: str) -> str:
    # In NFD, "oà" is o + a + U+0300; the new style wants o + U+0300 + a.
    # Vowels carrying a circumflex/breve/horn are not oa/oe/uy, so they never match.
    return _OLD_STYLE.sub(lambda m: m.group(1) + m.group(3) + m.group(2), decomposed)


def is_upper_line(line: str) -> bool:
    """True when every letter of ``line`` is upper case (and it has letters)."""
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def should_join(prev: str, nxt: str, prev_raw: str = "", in_bold: bool = False) -> bool:
    """Decide whether the break between two cleaned lines is a hard wrap.

    Args:
        prev: the cleaned previous line.
        nxt: the cleaned next line.
        prev_raw: the previous line before cleaning (markdown bold closing at
            the end of a line marks the end of a bold unit such as a heading).
        in_bold: a markdown bold opened before the break is still open, so the
            break falls inside one bold unit (a wrapped heading or name).
    """
    if not prev or not nxt:
        return False
    if _MARKER_ONLY.match(prev) and not _MARKER_START.match(nxt):
        return True  # "2.3." wrapped away from its title
    if _MARKER_START.match(nxt) or prev.endswith("Hạnh phúc"):
        return False
    first = nxt[0]
    if first.islower() or in_bold:
        return True
    if prev_raw.rstrip().endswith("**") and not prev_raw.rstrip().endswith("** **"):
        return False
    if _AUTHORITY.match(prev):
        return False
    if is_upper_line(prev):
        # Header and signature blocks stack short capitalised lines
        # ("ỦY BAN NHÂN DÂN" / "TỈNH QUẢNG NAM"); long capitalised titles wrap.
        if any(c.islower() for c in nxt) or (len(prev) < 30 and any(c.isalpha() for c in nxt)):
            return False
    if _SENT_END.search(prev) and (first.isupper() or first.isdigit()):
        return first.isdigit() and prev.rstrip().endswith(":") and len(nxt) < 40
    return True


@dataclass
class Builder:
    """Accumulates normalised text and its map back to raw offsets."""

    parts: list[str]
    offsets: list[int]
    length: int = 0

    @classmethod
    def new(cls) -> Builder:
        return cls(parts=[], offsets=[])

    def add(self, text: str, raw_start: int) -> None:
        """Append ``text`` whose first character came from raw offset ``raw_start``."""
        self.parts.append(text)
        self.offsets.extend(range(raw_start, raw_start + len(text)))
        self.length += len(text)

    def add_synthetic(self, text: str, raw_at: int) -> None:
        """Append characters with no raw counterpart (joining spaces, separators)."""
        self.parts.append(text)
        self.offsets.extend([raw_at] * len(text))
        self.length += len(text)

    def text(self) -> str:
        return "".join(self.parts)

    def text_endswith_newline(self) -> bool:
        for part in reversed(self.parts):
            if part:
                return part.endswith("\n")
        return True


_INLINE_DROP = regex.compile(r"\*+|\\(?=[-*_#|.\[\]()])")


def clean_line(raw: str) -> list[tuple[str, int]]:
    """Clean one raw line into ``(piece, raw_offset)`` pieces.

    Markdown markers are removed, space runs collapsed, ends trimmed.  Tone
    fixing is length-preserving in NFC for the Vietnamese vowels concerned, so
    pieces keep a one-to-one offset map (a piece whose NFC form changes length
    maps all its characters to its start).
    """
    pieces: list[tuple[str, int]] = []
    pos = 0
    # A leading "* " is a markdown bullet: keep it as a dash.
    m = regex.match(r"^\s*\*\s+(?=\S)", raw)
    if m and not raw.lstrip().startswith("**"):
        pieces.append(("-", m.start()))
        pieces.append((" ", m.end() - 1))
        pos = m.end()
    for dm in _INLINE_DROP.finditer(raw, pos):
        if dm.start() > pos:
            pieces.append((raw[pos:dm.start()], pos))
        pos = dm.end()
    if pos < len(raw):
        pieces.append((raw[pos:], pos))
    # Collapse spaces across pieces and trim.
    out: list[tuple[str, int]] = []
    last_space = True
    for piece, start in pieces:
        for sm in regex.finditer(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+|[^ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+", piece):
            chunk = sm.group()
            if _SPACES.fullmatch(chunk):
                if not last_space:
                    out.append((" ", start + sm.start()))
                    last_space = True
            else:
                fixed = fix_tones(chunk)
                # A chunk whose length changed under NFC maps to its start only.
                out.append((fixed, start + sm.start() if len(fixed) == len(chunk) else -(start + sm.start()) - 1))
                last_space = False
    while out and out[-1][0] == " ":
        out.pop()
    return out


def piece_text(pieces: list[tuple[str, int]]) -> str:
    return "".join(p for p, _ in pieces)


def normalize_lines(raw: str, builder: Builder, raw_base: int) -> list[tuple[int, int]]:
    """Normalise a raw multi-line string into ``builder``; return logical line spans.

    Raw lines are cleaned, decoration lines dropped, and wraps joined with one
    space.  Logical lines are separated by ``\\n``.  Returned spans are offsets
    into the builder's text.
    """
    raw_lines: list[tuple[str, int]] = []
    off = 0
    for line in raw.split("\n"):
        raw_lines.append((line, off))
        off += len(line) + 1
    spans: list[tuple[int, int]] = []
    current_start: int | None = None
    prev_clean = ""
    prev_raw = ""
    bold_open = False
    for line, loff in raw_lines:
        pieces = clean_line(line)
        text = piece_text(pieces)
        if not text or _DECORATION.match(text):
            continue
        if current_start is not None and should_join(prev_clean, text, prev_raw, bold_open):
            builder.add_synthetic(" ", raw_base + loff)
            prev_clean = prev_clean + " " + text
        else:
            if current_start is not None:
                spans.append((current_start, builder.length))
                builder.add_synthetic("\n", raw_base + loff)
            current_start = builder.length
            prev_clean = text
            bold_open = False
        for p, s in pieces:
            if s >= 0:
                builder.add(p, raw_base + loff + s)
            else:
                builder.add_synthetic(p, raw_base + loff - s - 1)
        prev_raw = line
        if line.count("**") % 2:
            bold_open = not bold_open
    if current_start is not None:
        spans.append((current_start, builder.length))
    return spans
