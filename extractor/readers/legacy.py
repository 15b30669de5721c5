"""Legacy Vietnamese font encodings: detection and conversion.

Before Unicode, Vietnamese documents were typed in 8-bit fonts: TCVN3 (ABC,
the ``.VnTime`` family) and VNI (``VNI-Times``).  Their text layers surface as
Latin-1 look-alikes (TCVN3 ``Céng hoµ x· héi``, VNI ``Coäng hoøa xaõ hoäi``)
that must be converted before anything reads them.  Broken PDF text layers
(unmapped glyphs, a scanner's non-Vietnamese OCR layer) are "garbage" and
have to be OCR'd again.

Detection scores text by the share of its words that are well-formed
Vietnamese syllables (onset + vowel cluster + coda, at most one tone mark),
before and after a trial conversion with each legacy table.  The tables come
from :mod:`viparse` (``viparse.normalize``), completed by the few entries of
``patterns/legacy_fonts.tsv``.  Readers of every format share this module.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal

import regex
from viparse.normalize.tables import Charmap, build_charmap, convert
from viparse.normalize.tcvn3 import TCVN3
from viparse.normalize.vni import VNI

from ..rules import load_tsv
from ..text.normalize import TONE_MARKS, strip_tones

Encoding = Literal["unicode", "tcvn3", "vni", "garbage"]
LegacyEncoding = Literal["tcvn3", "vni"]

__all__ = [
    "Encoding",
    "LegacyEncoding",
    "TextScore",
    "convert_legacy",
    "detect_encoding",
    "encode_legacy",
    "score_text",
]

# Tone marks (grave, acute, hook above, tilde, dot below) are removed before the
# syllable check; circumflex, breve and horn change the vowel and stay.
_SYLLABLE = regex.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    r"[aăâeêioôơuưy]{1,3}"
    r"(?:ch|ng|nh|[cmnpt])?"
)
_WORD = regex.compile(r"[\p{L}\p{M}]+")
_CID = regex.compile(r"\(cid:\d+\)")
# Code points a broken text layer puts out for glyphs it cannot map.
_BAD_CHAR = regex.compile(r"[\p{Co}\p{Cs}\ufffd\ufffe\uffff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SAMPLE = 20000  # characters scored; enough to decide, bounded cost on long documents


@dataclass(frozen=True)
class TextScore:
    """How Vietnamese a text looks.

    ``tokens`` words were scored (acronyms such as ``UBND`` are left out);
    ``valid`` is the share that are well-formed syllables, ``marked`` the share
    carrying a non-ASCII letter, ``bad`` the share of non-space characters that
    are unmapped glyphs.
    """

    tokens: int
    valid: float
    marked: float
    bad: float


def _strip_tones(word: str) -> str:
    nfd = unicodedata.normalize("NFD", word)
    tones = sum(1 for c in nfd if c in TONE_MARKS)
    if tones > 1:
        return ""  # two tone marks never occur in one syllable
    return strip_tones(word)


def _case_ok(word: str) -> bool:
    return word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())


def score_text(text: str) -> TextScore:
    """Score ``text`` (at most the first 20 000 characters) as Vietnamese."""
    sample = text[:_SAMPLE]
    visible = sum(map(len, sample.split()))  # characters that are not white space
    bad = len(_BAD_CHAR.findall(sample)) + 4 * len(_CID.findall(sample))
    sample = _CID.sub(" ", sample)
    tokens = valid = marked = 0
    for word in _WORD.findall(sample):
        if len(word) < 2:
            continue
        counted, ok, has_mark = _judge(word)
        if not counted:
            continue
        tokens += 1
        valid += ok
        marked += has_mark
    if tokens == 0:
        return TextScore(0, 0.0, 0.0, bad / visible if visible else 0.0)
    return TextScore(tokens, valid / tokens, marked / tokens, bad / visible if visible else 0.0)


@lru_cache(maxsize=65536)
def _judge(word: str) -> tuple[bool, bool, bool]:
    """(counted, a well-formed syllable, has a non-ASCII letter) of a word of 2+ letters; an
    acronym (UBND, HĐND, TTHC) is not counted: it says nothing either way.  Words repeat, so
    the verdicts are kept."""
    ok = _case_ok(word) and _SYLLABLE.fullmatch(_strip_tones(word.lower())) is not None
    if not ok and word.isupper() and len(word) <= 6:
        return False, False, False
    return True, ok, any(ord(c) > 127 for c in word)


@cache
def _charmap(enc: LegacyEncoding) -> Charmap:
    base = TCVN3 if enc == "tcvn3" else VNI
    known = {legacy for legacy, _ in base.pairs}
    extra = [(r[1], r[2]) for r in load_tsv("legacy_fonts.tsv") if len(r) >= 3 and r[0] == enc and r[1] not in known]
    return build_charmap(f"{enc}+", [*base.pairs, *extra])


@cache
def _surface_chars(enc: LegacyEncoding) -> frozenset[str]:
    """Non-ASCII characters that only legacy text of ``enc`` contains."""
    return frozenset(c for legacy, _ in _charmap(enc).pairs for c in legacy if ord(c) > 127)


@cache
def _surface_pattern(enc: LegacyEncoding) -> regex.Pattern[str]:
    return regex.compile("[" + "".join(regex.escape(c) for c in sorted(_surface_chars(enc))) + "]")


def _has_surface(sample: str, enc: LegacyEncoding) -> bool:
    """Two characters or more of ``enc``'s surface in ``sample``."""
    found = _surface_pattern(enc).finditer(sample)
    return next(found, None) is not None and next(found, None) is not None


def detect_encoding(text: str) -> Encoding:
    """Tell Unicode text from legacy-encoded text and from glyph soup.

    Args:
        text: Extracted text (a page, a document or a paragraph).

    Returns:
        ``"tcvn3"`` or ``"vni"`` when a trial conversion turns the text into
        clearly better Vietnamese; ``"garbage"`` when the text is mostly
        unmapped glyphs, or long and neither Vietnamese nor convertible (a
        broken text layer); ``"unicode"`` otherwise, including for text too
        short to judge.
    """
    raw = score_text(text)
    if raw.bad > 0.1:
        return "garbage"
    best: Encoding = "unicode"
    best_valid = raw.valid + 0.15  # a conversion must clearly beat leaving the text alone
    sample = text[:_SAMPLE]
    for enc in ("tcvn3", "vni"):
        if not _has_surface(sample, enc):
            continue
        converted = score_text(convert_legacy(sample, enc))
        if converted.valid >= best_valid and converted.valid >= 0.6:
            best, best_valid = enc, converted.valid
    if best != "unicode":
        return best
    # Real Vietnamese: >90 % well-formed syllables, >50 % with diacritics.  A
    # scanner's Latin OCR layer ("Cdn c* Luqt", "Hanh phüc") falls far below.
    if raw.tokens >= 20 and (raw.valid < 0.7 or raw.marked < 0.3):
        return "garbage"
    return "unicode"


_TOKEN = regex.compile(r"\S+")


def _case_evidence(word: str) -> tuple[int, int]:
    """(capitals, certain lower-case letters) of a converted TCVN3 word.

    Only ASCII letters tell lower case for certain: a toned vowel comes back
    lower case whatever it was, and so may ă â ê ô ơ ư đ, typed with their
    lower-case codes in a capitals font.
    """
    upper = lower = 0
    for ch in word:
        if ch.isupper():
            upper += 1
        elif ch.isascii() and ch.isalpha():
            lower += 1
    return upper, lower


def _restore_case(line: str) -> str:
    """Upper-case TCVN3 capitals that came back lower case.

    TCVN3 has no capital toned vowels: headings are typed with the lower-case
    codes in an ``H`` font (``.VnTimeH``) that draws them as capitals, so the
    converted text reads ``CộNG HOà``.  A word with two capitals and no
    certain lower-case letter is a capitalised word; a line (a tab-separated
    cell of a text table counts as a line) of such words (two of them, no
    certain lower case) is a capitalised line, so its short words (``Xã`` in
    ``CộNG HOà Xã``) are capitals too, and so is a short word between two
    capitalised words.  A label (``Số:``) keeps its case: it is never typed
    in capitals inside a capitalised line.
    """
    if "\t" in line:
        return "\t".join(_restore_case(part) for part in line.split("\t"))
    tokens = _TOKEN.findall(line)
    evidence = [_case_evidence(w) for w in tokens]
    capital = [u >= 2 and lo == 0 for u, lo in evidence]
    capital_words = sum(capital)

    def label(word: str) -> bool:
        return word.endswith(":") and _case_evidence(word)[0] < 2

    if capital_words >= 2 and all(lo == 0 for _, lo in evidence):
        return " ".join(w if label(w) else w.upper() for w in line.split(" "))
    upper = [
        cap or (u >= 1 and lo == 0 and 0 < k < len(tokens) - 1 and capital[k - 1] and capital[k + 1] and not label(w))
        for k, (w, (u, lo), cap) in enumerate(zip(tokens, evidence, capital, strict=True))
    ]
    it = iter(upper)
    return _TOKEN.sub(lambda m: m.group().upper() if next(it) else m.group(), line)


@cache
def _proper_phrases() -> regex.Pattern[str] | None:
    """Names that open with a toned capital (``Ủy ban nhân dân``), from ``patterns/casing.tsv``.

    TCVN3 writes their first letter lower case wherever they stand; in running
    text they are names and take the capital back.
    """
    names = set()
    for row in load_tsv("casing.tsv"):
        if len(row) < 2 or not row[1][:1].isupper():
            continue
        first = unicodedata.normalize("NFD", row[1][:1])
        if any(c in TONE_MARKS for c in first):
            names.add(row[1].split(" ")[0].lower() + " " + " ".join(row[1].split(" ")[1:2]).lower())
    names = {n.strip() for n in names if " " in n.strip()}
    if not names:
        return None
    alternatives = "|".join(regex.escape(n) for n in sorted(names, key=len, reverse=True))
    return regex.compile(rf"(?<![\p{{L}}\p{{M}}])(?:{alternatives})(?![\p{{L}}\p{{M}}])")


def _restore_names(text: str) -> str:
    pattern = _proper_phrases()
    if pattern is None:
        return text
    return pattern.sub(lambda m: m.group()[:1].upper() + m.group()[1:], text)


def convert_legacy(text: str, enc: Encoding) -> str:
    """Convert legacy-encoded text to Unicode (NFC).

    Args:
        text: Text in the surface form of a legacy font.
        enc: The encoding :func:`detect_encoding` returned; ``"unicode"`` and
            ``"garbage"`` return the text unchanged.

    Returns:
        The text in Unicode, line breaks kept.  TCVN3 capitals are restored
        (see :func:`_restore_case`).
    """
    if enc not in ("tcvn3", "vni"):
        return text
    if enc == "tcvn3" and "\u2212" in text:
        text = _restore_minus(text)
    out: str = convert(text, _charmap(enc))
    if enc == "tcvn3":
        lines = [_restore_case(line) for line in out.split("\n")]
        out = _restore_names("\n".join(_capitalise_sentences(lines)))
    return out


def _restore_minus(text: str) -> str:
    """U+2212 next to a TCVN3 letter code is the letter ư (0xAD) a PDF text layer renamed.

    viparse restores it next to letters; TCVN3 writes ươ as 0xAD 0xAC (``¬``,
    not a letter to Unicode), so ``Trung −¬ng`` needs this too.
    """
    surface = _surface_chars("tcvn3")
    out = list(text)
    for i, ch in enumerate(text):
        if ch != "\u2212":
            continue
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if before in surface or after in surface:
            out[i] = "\xad"
    return "".join(out)


_SENTENCE_START = regex.compile(r"(?:^|(?<=[.!?]\s))(\s*)([\p{Ll}])")


def _capitalise_sentences(lines: list[str]) -> list[str]:
    """Capitalise a toned vowel opening a sentence (TCVN3 wrote ``Ủy`` as ``ủy``).

    A sentence opens the text, follows ``.``/``!``/``?`` inside a line, or
    starts a line after one that ends a sentence; a line that goes on from an
    unfinished one is left alone.
    """

    def up(m: regex.Match[str]) -> str:
        ch = m.group(2)
        toned = any(c in TONE_MARKS for c in unicodedata.normalize("NFD", ch))
        return m.group(1) + (ch.upper() if toned else ch)

    out: list[str] = []
    open_sentence = True
    for line in lines:
        if open_sentence:
            line = _SENTENCE_START.sub(up, line)
        else:
            line = regex.sub(r"(?<=[.!?]\s)(\s*)([\p{Ll}])", up, line)
        stripped = line.rstrip()
        open_sentence = not stripped or stripped.endswith((".", "!", "?"))
        out.append(line)
    return out


@cache
def _inverse(enc: LegacyEncoding) -> dict[str, str]:
    inv: dict[str, str] = {}
    for legacy, uni in _charmap(enc).pairs:
        inv.setdefault(unicodedata.normalize("NFC", uni), legacy)
    return inv


def encode_legacy(text: str, enc: LegacyEncoding) -> str:
    """Write Unicode text in a legacy encoding's surface form (for test fixtures).

    TCVN3 has no capital toned vowels, so they are written with the lower-case
    code, as a ``.VnTimeH`` heading would be; :func:`convert_legacy` restores
    them.  Characters the encoding lacks pass through unchanged.
    """
    inv = _inverse(enc)
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        code = inv.get(ch)
        if code is None and ch.isupper():
            code = inv.get(ch.lower())
        out.append(code if code is not None else ch)
    return "".join(out)
