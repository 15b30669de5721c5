"""Reader for Word 2007+ files (``.docx``, also ``.docm``/``.dotx`` packages).

The package is opened with python-docx (relationships, content types), but the
XML is walked with plain lxml iteration: building python-docx ``Paragraph`` and
``_Cell`` objects per cell is an order of magnitude slower on table-heavy files.

What the reader gives back, in body order:

* paragraphs (``w:p``), also inside content controls (``w:sdt``), with runs,
  hyperlinks, fields' results, ``w:br``/``w:cr`` as ``\\n`` and ``w:tab`` as
  ``\\t``; deleted (``w:del``) and hidden (``w:vanish``) text left out;
* the label Word draws for automatic numbering (``1.``, ``I.``, ``a)``,
  ``1.2.``, bullets as ``-``), computed from ``numbering.xml`` and prefixed to
  the paragraph text with a space;
* text boxes as separate paragraphs right after the paragraph holding them;
* tables as rows of :class:`Cell`, padded to the table grid, with vertical and
  horizontal merges marked; nested tables flattened into the cell text.

Headers, footers, footnotes and comments are not read.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeAlias

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part, XmlPart
from docx.oxml.parser import parse_xml
from docx.package import Package
from lxml import etree

from .base import Block, Cell, ReaderError, SourceDoc

__all__ = ["format_number", "read_docx"]

# lxml elements (typed when types-lxml is installed, Any otherwise).
_El: TypeAlias = etree._Element

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"

_VAL = _W + "val"
_P, _TBL, _TR, _TC, _R = _W + "p", _W + "tbl", _W + "tr", _W + "tc", _W + "r"
_PPR, _RPR, _TRPR, _TCPR = _W + "pPr", _W + "rPr", _W + "trPr", _W + "tcPr"
_SDT, _SDTCONTENT, _CUSTOMXML = _W + "sdt", _W + "sdtContent", _W + "customXml"
_TXBX = _W + "txbxContent"
_ALT, _CHOICE, _FALLBACK = _MC + "AlternateContent", _MC + "Choice", _MC + "Fallback"
_DEL, _INS = _W + "del", _W + "ins"

# Containers whose block-level children (paragraphs, tables) are read as if
# they stood in the parent: content controls, custom XML, tracked insertions.
_BLOCK_WRAPPERS = frozenset({_SDT, _SDTCONTENT, _CUSTOMXML, _INS, _W + "moveTo"})
# Inline elements whose subtree holds no displayed text.
_INLINE_SKIP = frozenset(
    {
        _PPR, _RPR, _DEL, _W + "moveFrom", _W + "instrText", _W + "delText",
        _W + "delInstrText", _W + "fldData", _W + "footnoteReference",
        _W + "endnoteReference", _W + "commentReference", _W + "rt", _FALLBACK,
        _W + "sdtPr", _W + "sdtEndPr", _W + "softHyphen", _W + "annotationRef",
    }
)  # fmt: skip
_TEXT_TAGS = frozenset({_W + "t", _M + "t"})
_NEWLINE_TAGS = frozenset({_W + "br", _W + "cr"})
_TAB_TAGS = frozenset({_W + "tab", _W + "ptab"})
_OFF = frozenset({"0", "false", "off"})

_MAIN_CONTENT_TYPES = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
        "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    }
)


def read_docx(path: Path) -> SourceDoc:
    """Read a ``.docx`` file into paragraphs and tables in body order.

    Args:
        path: The Word 2007+ file.

    Returns:
        A :class:`SourceDoc` with ``format == "docx"`` and ``pages is None``.

    Raises:
        ReaderError: ``DOCX_UNREADABLE`` when the file is missing, not a ZIP
            package (a legacy ``.doc``, a password-protected file, RTF …) or
            damaged; the message starts with the file name.
    """
    body, numbering, styles = _open(path)
    reader = _Reader(_Numbering(numbering, _Styles(styles)))
    blocks: list[Block] = []
    reader.content(body, blocks)
    return SourceDoc(blocks=blocks, format="docx", warnings=reader.warnings)


# --------------------------------------------------------------------------- opening


def _fail(path: Path, reason: str) -> ReaderError:
    return ReaderError("DOCX_UNREADABLE", f"{path.name}: {reason}")


def _sniff(path: Path) -> bytes:
    """Return the file's bytes; give a precise reason for files that are not ZIP packages."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _fail(path, f"cannot open the file ({exc.strerror or exc})") from exc
    if not data:
        raise _fail(path, "the file is empty (0 bytes)")
    if data.startswith(b"PK\x03\x04"):
        return data
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        # OLE compound file: either an encrypted OOXML package or a Word 97-2003 file.
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise _fail(path, "the document is password-protected (encrypted); "
                        "remove the password in Word and save it again")  # fmt: skip
        raise _fail(path, "this is a Word 97-2003 (.doc) file with a .docx name; "
                    "rename it to .doc")  # fmt: skip
    if data.lstrip()[:5] == b"{\\rtf":
        raise _fail(path, "this is an RTF file with a .docx name, not a Word .docx file")
    raise _fail(path, "not a Word .docx file (it is not a ZIP package)")


def _xml(part: Part) -> _El:
    element: _El = part.element if isinstance(part, XmlPart) else parse_xml(part.blob)
    return element


def _open(path: Path) -> tuple[_El, _El | None, _El | None]:
    """Return the ``w:body``, ``w:numbering`` and ``w:styles`` elements."""
    data = _sniff(path)
    try:
        main = Package.open(io.BytesIO(data)).main_document_part
        if main.content_type not in _MAIN_CONTENT_TYPES:
            raise _fail(path, f"not a Word document (main part is '{main.content_type}')")
        body = _xml(main).find(_W + "body")
        if body is None:
            raise _fail(path, "the document part has no body")
        related: list[_El | None] = []
        for reltype in (RT.NUMBERING, RT.STYLES):
            try:
                related.append(_xml(main.part_related_by(reltype)))
            except KeyError:
                related.append(None)
    except ReaderError:
        raise
    except zipfile.BadZipFile as exc:
        raise _fail(path, f"the ZIP package is damaged ({exc})") from exc
    except KeyError as exc:
        raise _fail(path, f"the package has no Word document part ({exc})") from exc
    except etree.XMLSyntaxError as exc:
        raise _fail(path, f"the document XML is damaged ({exc})") from exc
    except Exception as exc:  # noqa: BLE001 - python-docx raises many types on bad packages
        raise _fail(path, f"the package cannot be read ({type(exc).__name__}: {exc})") from exc
    return body, related[0], related[1]


# --------------------------------------------------------------------------- numbering


def _int(el: _El | None) -> int | None:
    """The integer ``w:val`` of ``el``, or ``None`` when absent or malformed."""
    if el is None:
        return None
    try:
        return int(el.get(_VAL, ""))
    except ValueError:
        return None


def _int_or(el: _El | None, default: int) -> int:
    value = _int(el)
    return default if value is None else value


def _val(el: _El | None) -> str | None:
    return None if el is None else el.get(_VAL)


_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip


def _roman(n: int) -> str:
    out = []
    for value, letters in _ROMAN:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def _letter(n: int) -> str:
    # Word goes a … z, aa … zz, aaa …: the letter repeated, not base 26.
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(),
    "upperLetter": _letter,
    "lowerLetter": lambda n: _letter(n).lower(),
    "decimalEnclosedParen": lambda n: f"({n})",
    "decimalEnclosedFullstop": lambda n: f"{n}.",
    "decimalEnclosedCircle": lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else f"({n})",
    "decimalFullWidth": lambda n: "".join(chr(0xFF10 + int(d)) for d in str(n)),
    "none": lambda n: "",
}


def format_number(n: int, fmt: str) -> str:
    """Render counter ``n`` in Word number format ``fmt`` (unknown formats → decimal)."""
    if n <= 0 and fmt not in ("decimal", "decimalZero", "none"):
        return str(n)
    return _FORMATS.get(fmt, str)(n)


def _bullet(glyph: str) -> str:
    # Bullet glyphs are mostly private-use Symbol/Wingdings code points; they
    # all become "-" except "+", which Vietnamese documents use for sub-items.
    glyph = glyph.strip()
    if not glyph:
        return ""
    return "+" if glyph == "+" else "-"


@dataclass(frozen=True)
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None  # w:lvlRestart: 0 = never, n = when level n (1-based) or above is used
    legal: bool = False  # w:isLgl: all levels shown as decimal
    style: str | None = None  # paragraph style linked to this level


def _level(lvl: _El) -> _Level:
    restart = lvl.find(_W + "lvlRestart")
    return _Level(
        start=_int_or(lvl.find(_W + "start"), 1),
        fmt=_val(lvl.find(_W + "numFmt")) or "decimal",
        text=_val(lvl.find(_W + "lvlText")) or "",
        restart=_int(restart),
        legal=lvl.find(_W + "isLgl") is not None and _val(lvl.find(_W + "isLgl")) not in _OFF,
        style=_val(lvl.find(_W + "pStyle")),
    )


def _levels(parent: _El) -> dict[int, _Level]:
    return {_int_attr(lvl, _W + "ilvl"): _level(lvl) for lvl in parent.iterfind(_W + "lvl")}


def _int_attr(el: _El, name: str) -> int:
    try:
        return int(el.get(name, "0"))
    except ValueError:
        return 0


@dataclass
class _Num:
    abstract_id: str
    starts: dict[int, int] = field(default_factory=dict)  # w:startOverride per level
    levels: dict[int, _Level] = field(default_factory=dict)  # w:lvlOverride/w:lvl


class _Styles:
    """Numbering properties of paragraph styles, following ``w:basedOn``."""

    def __init__(self, styles: _El | None) -> None:
        self.default: str | None = None
        self._own: dict[str, tuple[str | None, int | None, str | None]] = {}
        if styles is None:
            return
        for style in styles.iterfind(_W + "style"):
            sid = style.get(_W + "styleId")
            if sid is None:
                continue
            if style.get(_W + "type") == "paragraph" and style.get(_W + "default") in ("1", "true"):
                self.default = sid
            numpr = style.find(f"{_PPR}/{_W}numPr")
            num_id = ilvl = None
            if numpr is not None:
                num_id = _val(numpr.find(_W + "numId"))
                ilvl = _int(numpr.find(_W + "ilvl"))
            self._own[sid] = (num_id, ilvl, _val(style.find(_W + "basedOn")))

    def numpr(self, style_id: str | None) -> tuple[str | None, int | None]:
        """Return the ``(numId, ilvl)`` a style gives its paragraphs, inherited or own."""
        num_id: str | None = None
        ilvl: int | None = None
        for _ in range(20):  # guards against basedOn cycles
            if style_id is None or style_id not in self._own:
                break
            own_num, own_ilvl, style_id = self._own[style_id]
            num_id = own_num if num_id is None else num_id
            ilvl = own_ilvl if ilvl is None else ilvl
        return num_id, ilvl


class _Numbering:
    """Counters of Word's automatic numbering, advanced in document order.

    Counters live per abstract numbering definition, as in Word: list
    instances (``w:num``) sharing a definition continue each other unless one
    carries a ``w:startOverride``, which restarts the level where that
    instance is first used.
    """

    def __init__(self, numbering: _El | None, styles: _Styles) -> None:
        self.styles = styles
        self._abstract: dict[str, dict[int, _Level]] = {}
        self._style_link: dict[str, str] = {}
        self._nums: dict[str, _Num] = {}
        self._counters: dict[str, list[int | None]] = {}
        self._seen: set[str] = set()
        if numbering is None:
            return
        for absn in numbering.iterfind(_W + "abstractNum"):
            aid = absn.get(_W + "abstractNumId", "")
            self._abstract[aid] = _levels(absn)
            link = _val(absn.find(_W + "numStyleLink"))
            if link:
                self._style_link[aid] = link
        for num in numbering.iterfind(_W + "num"):
            nid = num.get(_W + "numId")
            num_aid = _val(num.find(_W + "abstractNumId"))
            if nid is None or num_aid is None:
                continue
            entry = _Num(num_aid)
            for override in num.iterfind(_W + "lvlOverride"):
                ilvl = _int_attr(override, _W + "ilvl")
                start = _int(override.find(_W + "startOverride"))
                if start is not None:
                    entry.starts[ilvl] = start
                lvl = override.find(_W + "lvl")
                if lvl is not None:
                    entry.levels[ilvl] = _level(lvl)
            self._nums[nid] = entry

    def _definition(self, abstract_id: str) -> str:
        # An abstractNum with w:numStyleLink takes its levels from the list
        # style's own numbering instance.
        for _ in range(5):
            link = self._style_link.get(abstract_id)
            num_id = self.styles.numpr(link)[0] if link else None
            target = self._nums.get(num_id) if num_id else None
            if target is None or target.abstract_id == abstract_id:
                break
            abstract_id = target.abstract_id
        return abstract_id

    def label(self, p: _El) -> str:
        """Advance the counters for paragraph ``p``; return its label or ``""``."""
        ppr = p.find(_PPR)
        style = num_id = None
        ilvl: int | None = None
        if ppr is not None:
            style = _val(ppr.find(_W + "pStyle"))
            numpr = ppr.find(_W + "numPr")
            if numpr is not None:
                num_id = _val(numpr.find(_W + "numId"))
                ilvl = _int(numpr.find(_W + "ilvl"))
        style = style or self.styles.default
        if num_id is None or ilvl is None:
            style_num, style_ilvl = self.styles.numpr(style)
            num_id = num_id if num_id is not None else style_num
            ilvl = ilvl if ilvl is not None else style_ilvl
        num = self._nums.get(num_id) if num_id else None
        if num is None:  # includes numId "0": numbering switched off
            return ""
        aid = self._definition(num.abstract_id)
        base = self._abstract.get(aid, {})

        def level(k: int) -> _Level:
            return num.levels.get(k) or base.get(k) or _Level(fmt="none")

        def start(k: int) -> int:
            return num.starts.get(k, level(k).start)

        if ilvl is None:
            ilvl = next((k for k, lv in base.items() if style and lv.style == style), 0)
        if not 0 <= ilvl <= 8 or (ilvl not in base and ilvl not in num.levels):
            return ""
        counters = self._counters.setdefault(aid, [None] * 9)
        if num_id not in self._seen:
            self._seen.add(num_id or "")
            for k in num.starts:
                if 0 <= k <= 8:
                    counters[k] = None
        current = counters[ilvl]
        counters[ilvl] = start(ilvl) if current is None else current + 1
        for k in range(ilvl + 1, 9):
            restart = level(k).restart
            if restart is None or (restart != 0 and ilvl < restart):
                counters[k] = None
        lvl = level(ilvl)
        if lvl.fmt == "bullet":
            return _bullet(lvl.text)

        def render(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            value = counters[k]
            shown = level(k)
            fmt = "decimal" if lvl.legal and shown.fmt != "none" else shown.fmt
            # A level not used yet shows start - 1, as Word does ("0.1" for a
            # level-2 heading before any level-1 heading).
            return format_number(start(k) - 1 if value is None else value, fmt)

        return re.sub(r"%([1-9])", render, lvl.text).strip()


# --------------------------------------------------------------------------- content


def _choice(alt: _El) -> _El | None:
    """The branch of ``mc:AlternateContent`` to read: the first Choice, else Fallback."""
    return alt.find(_CHOICE) if alt.find(_CHOICE) is not None else alt.find(_FALLBACK)


def _is_on(rpr: _El | None, tag: str) -> bool:
    if rpr is None:
        return False
    el = rpr.find(tag)
    return el is not None and el.get(_VAL) not in _OFF


def _inline(el: _El, out: list[str], boxes: list[_El]) -> None:
    """Collect the displayed text under ``el``; text boxes go to ``boxes``."""
    for child in el:
        tag = child.tag
        if tag in _TEXT_TAGS:
            out.append(child.text or "")
        elif tag in _INLINE_SKIP or not isinstance(tag, str):
            continue
        elif tag == _R:
            rpr = child.find(_RPR)
            if _is_on(rpr, _W + "vanish"):
                continue
            if _is_on(rpr, _W + "caps"):
                run: list[str] = []
                _inline(child, run, boxes)
                out.append("".join(run).upper())
            else:
                _inline(child, out, boxes)
        elif tag in _TAB_TAGS:
            out.append("\t")
        elif tag in _NEWLINE_TAGS:
            out.append("\n")
        elif tag == _W + "noBreakHyphen":
            out.append("-")
        elif tag == _W + "sym":
            code = _hex(child.get(_W + "char"))
            if code and not 0xE000 <= code <= 0xF8FF:  # private-use symbol-font glyphs dropped
                out.append(chr(code))
        elif tag == _TXBX:
            boxes.append(child)
        elif tag == _ALT:
            branch = _choice(child)
            if branch is not None:
                _inline(branch, out, boxes)
        else:
            _inline(child, out, boxes)


def _hex(value: str | None) -> int:
    try:
        code = int(value or "0", 16)
    except ValueError:
        return 0
    return code if 0 < code <= 0x10FFFF else 0


def _iter_tagged(parent: _El, tag: str) -> Iterator[_El]:
    """Yield ``tag`` children of ``parent``, looking through sdt/customXml wrappers."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in (_SDT, _SDTCONTENT, _CUSTOMXML):
            yield from _iter_tagged(child, tag)


def _flatten(table: Block) -> str:
    """A nested table as cell text: one line per row, cells joined by `` | ``."""
    lines = []
    for row in table.rows:
        texts = [c.text for c in row if not (c.merged_up or c.merged_left) and c.text.strip()]
        if texts:
            lines.append(" | ".join(texts))
    return "\n".join(lines)


class _Reader:
    def __init__(self, numbering: _Numbering) -> None:
        self.numbering = numbering
        self.warnings: list[tuple[str, str]] = []

    def content(self, container: _El, out: list[Block]) -> None:
        """Append the blocks of a body, cell, text box or content control."""
        for child in container:
            tag = child.tag
            if tag == _P:
                self.paragraph(child, out)
            elif tag == _TBL:
                table = self.table(child)
                if table is not None:
                    out.append(table)
            elif tag in _BLOCK_WRAPPERS:
                self.content(child, out)
            elif tag == _ALT:
                branch = _choice(child)
                if branch is not None:
                    self.content(branch, out)
            elif tag == _W + "altChunk":
                warning = ("DOCX_ALTCHUNK", "an embedded HTML/RTF chunk (altChunk) was not read")
                if warning not in self.warnings:
                    self.warnings.append(warning)

    def paragraph(self, p: _El, out: list[Block]) -> None:
        label = self.numbering.label(p)
        parts: list[str] = []
        boxes: list[_El] = []
        _inline(p, parts, boxes)
        text = "".join(parts)
        if text.strip():
            out.append(Block(kind="para", text=f"{label} {text}" if label else text))
        for box in boxes:
            self.content(box, out)

    def cell_text(self, tc: _El) -> str:
        blocks: list[Block] = []
        self.content(tc, blocks)
        texts = (b.text if b.kind == "para" else _flatten(b) for b in blocks)
        return "\n".join(t for t in texts if t)

    def table(self, tbl: _El) -> Block | None:
        grid = tbl.find(_W + "tblGrid")
        width = 0 if grid is None else len(grid.findall(_W + "gridCol"))
        rows: list[list[Cell]] = []
        for tr in _iter_tagged(tbl, _TR):
            trpr = tr.find(_TRPR)
            if trpr is not None and trpr.find(_DEL) is not None:
                continue  # tracked deletion of the whole row
            row = [Cell("") for _ in range(_int_or(_opt(trpr, "gridBefore"), 0))]
            for tc in _iter_tagged(tr, _TC):
                tcpr = tc.find(_TCPR)
                span = max(1, _int_or(_opt(tcpr, "gridSpan"), 1))
                vmerge = _opt(tcpr, "vMerge")
                hmerge = _opt(tcpr, "hMerge")
                col = len(row)
                if hmerge is not None and _val(hmerge) != "restart":  # legacy horizontal merge
                    row.extend(Cell("", merged_left=True) for _ in range(span))
                    continue
                if (vmerge is not None and _val(vmerge) in (None, "continue")
                        and rows and col < len(rows[-1])):  # fmt: skip
                    row.append(Cell("", merged_up=True))
                    row.extend(Cell("", merged_up=True, merged_left=True) for _ in range(span - 1))
                else:
                    row.append(Cell(self.cell_text(tc)))
                    row.extend(Cell("", merged_left=True) for _ in range(span - 1))
            rows.append(row)
        if not rows:
            return None
        width = max(width, *(len(r) for r in rows))
        return Block(
            kind="table",
            rows=tuple(tuple(r + [Cell("")] * (width - len(r))) for r in rows),
        )


def _opt(props: _El | None, name: str) -> _El | None:
    return None if props is None else props.find(_W + name)
