"""Tests of the Word readers (``.docx`` directly, ``.doc`` through LibreOffice).

The fixtures are built here with python-docx; numbering definitions, text
boxes, content controls and tracked changes are added as raw WordprocessingML
because python-docx has no API for them.
"""

from __future__ import annotations

import random
import shutil
import time
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.text.paragraph import Paragraph

from extractor.readers import read_any
from extractor.readers.base import Block, Cell, ReaderError
from extractor.readers.doc import read_doc
from extractor.readers.docx import format_number, read_docx

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "documents"
CORPUS_DOCX = sorted(CORPUS.glob("*.docx"))
NS = " ".join(
    [
        nsdecls("w", "r", "wp", "a"),
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"',
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"',
        'xmlns:v="urn:schemas-microsoft-com:vml"',
        'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"',
    ]
)


def para(text: str) -> Block:
    return Block(kind="para", text=text)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def paras(blocks: list[Block]) -> list[str]:
    return [b.text for b in blocks if b.kind == "para"]


# ----------------------------------------------------------------- fixture helpers


def _lvl(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'{extra}<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
    )


def add_numbering(document: DocxDocument, abstracts: dict[int, str], nums: dict[int, str]) -> None:
    """Add ``w:abstractNum`` (id → levels XML) and ``w:num`` (id → inner XML) definitions."""
    numbering = document.part.numbering_part.element
    first_num = numbering.find(f"{{{numbering.nsmap['w']}}}num")
    for aid, levels in abstracts.items():
        el = parse_xml(f'<w:abstractNum {NS} w:abstractNumId="{aid}">{levels}</w:abstractNum>')
        first_num.addprevious(el)  # abstractNum elements must precede num elements
    for nid, inner in nums.items():
        numbering.append(parse_xml(f'<w:num {NS} w:numId="{nid}">{inner}</w:num>'))


def numbered(document: DocxDocument, text: str, num_id: int | None, ilvl: int | None = 0,
             style: str | None = None) -> Paragraph:  # fmt: skip
    p = document.add_paragraph(text, style=style)
    if num_id is not None:
        ilvl_xml = "" if ilvl is None else f'<w:ilvl w:val="{ilvl}"/>'
        p._p.get_or_add_pPr().append(parse_xml(f'<w:numPr {NS}>{ilvl_xml}<w:numId w:val="{num_id}"/></w:numPr>'))
    return p


def add_raw_paragraph(document: DocxDocument, inner: str) -> None:
    document.element.body.sectPr.addprevious(parse_xml(f"<w:p {NS}>{inner}</w:p>"))


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def textbox(*texts: str) -> str:
    """A run with a modern text box and its VML fallback (same content twice)."""
    content = "".join(f"<w:p>{run(t)}</w:p>" for t in texts)
    return (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" '
        'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        '<wp:extent cx="914400" cy="457200"/><wp:wrapNone/><wp:docPr id="1" name="Text Box 1"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f'<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr/><wps:txbx><w:txbxContent>{content}'
        "</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic>"
        "</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict>"
        '<v:shape id="tb1" style="width:72pt;height:36pt"><v:textbox>'
        f"<w:txbxContent>{content}</w:txbxContent></v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r>"
    )


def build_numbering_docx(path: Path) -> Path:
    document = docx.Document()
    # 100: the usual heading outline of an administrative plan.
    outline = (
        _lvl(0, "upperRoman", "%1.")
        + _lvl(1, "decimal", "%2.")
        + _lvl(2, "lowerLetter", "%3)")
        + _lvl(3, "decimal", "%2.%4.")
        + _lvl(4, "bullet", "\uf0b7")
        + _lvl(5, "bullet", "+")
        + _lvl(6, "decimal", "%1.%2.%7", extra="<w:isLgl/>")
    )
    add_numbering(
        document,
        {
            100: outline,
            200: _lvl(0, "decimal", "%1.", start=5),
            300: _lvl(0, "decimal", "Điều %1.") + _lvl(1, "lowerLetter", "%2."),
            400: _lvl(0, "upperLetter", "Phụ lục %1") + _lvl(1, "decimalZero", "%2/"),
        },
        {
            100: '<w:abstractNumId w:val="100"/>',
            200: '<w:abstractNumId w:val="200"/>',
            201: '<w:abstractNumId w:val="200"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>',
            300: '<w:abstractNumId w:val="300"/>',
            400: '<w:abstractNumId w:val="400"/>',
        },
    )
    article = document.styles.add_style("Dieu", 1)  # 1 = paragraph style
    article.element.get_or_add_pPr().append(parse_xml(f'<w:numPr {NS}><w:numId w:val="300"/></w:numPr>'))
    numbered(document, "Mở đầu", 100, 0)
    numbered(document, "Mục đích", 100, 1)
    numbered(document, "Yêu cầu", 100, 1)
    numbered(document, "", 100, 2)  # empty: counted like Word does, not emitted
    numbered(document, "Nội dung b", 100, 2)
    numbered(document, "Tiểu mục", 100, 3)
    numbered(document, "Gạch đầu dòng", 100, 4)
    numbered(document, "Dấu cộng", 100, 5)
    numbered(document, "Pháp lý", 100, 6)
    numbered(document, "Nhiệm vụ", 100, 1)
    numbered(document, "Lại chữ a", 100, 2)
    numbered(document, "Tổ chức thực hiện", 100, 0)
    numbered(document, "Mục mới", 100, 1)
    numbered(document, "Năm", 200)
    numbered(document, "Sáu", 200)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).paragraphs[0].text = "Bảy trong bảng"
    cell_p = table.cell(0, 0).paragraphs[0]._p
    cell_p.get_or_add_pPr().append(parse_xml(f'<w:numPr {NS}><w:ilvl w:val="0"/><w:numId w:val="200"/></w:numPr>'))
    table.cell(0, 1).text = "không số"
    numbered(document, "Tám", 200)
    numbered(document, "Khởi động lại", 201)
    numbered(document, "Tiếp", 201)
    numbered(document, "Danh sách cũ tiếp tục", 200)
    numbered(document, "Phạm vi", None, style="Dieu")
    numbered(document, "Điểm trong điều", 300, 1)
    numbered(document, "Đối tượng", None, style="Dieu")
    numbered(document, "Tắt đánh số", 0, style="Dieu")
    numbered(document, "Biểu mẫu", 400, 0)
    numbered(document, "Mẫu số", 400, 1)
    numbered(document, "Mẫu số", 400, 1)
    document.add_paragraph("Mục danh sách", style="List Number")
    document.add_paragraph("Chấm đầu dòng", style="List Bullet")
    document.save(str(path))
    return path


EXPECTED_NUMBERING = [
    "I. Mở đầu",
    "1. Mục đích",
    "2. Yêu cầu",
    "b) Nội dung b",
    "2.1. Tiểu mục",
    "- Gạch đầu dòng",
    "+ Dấu cộng",
    "1.2.1 Pháp lý",
    "3. Nhiệm vụ",
    "a) Lại chữ a",
    "II. Tổ chức thực hiện",
    "1. Mục mới",
    "5. Năm",
    "6. Sáu",
    "TABLE",
    "8. Tám",
    "1. Khởi động lại",
    "2. Tiếp",
    "3. Danh sách cũ tiếp tục",
    "Điều 1. Phạm vi",
    "a. Điểm trong điều",
    "Điều 2. Đối tượng",
    "Tắt đánh số",
    "Phụ lục A Biểu mẫu",
    "01/ Mẫu số",
    "02/ Mẫu số",
    "1. Mục danh sách",
    "- Chấm đầu dòng",
]


def test_numbering_labels_follow_word(tmp_path: Path) -> None:
    # Labels checked against LibreOffice's rendering of the same file, except
    # w:isLgl (legal numbering), which Word honours and LibreOffice ignores.
    blocks = read_docx(build_numbering_docx(tmp_path / "numbering.docx")).blocks
    assert [b.text if b.kind == "para" else "TABLE" for b in blocks] == EXPECTED_NUMBERING
    table = blocks[EXPECTED_NUMBERING.index("TABLE")]
    assert table.rows == ((Cell("7. Bảy trong bảng"), Cell("không số")),)


def test_numbering_unused_parent_level_and_lvl_restart(tmp_path: Path) -> None:
    document = docx.Document()
    levels = (
        _lvl(0, "decimal", "%1.", start=3)
        + _lvl(1, "decimal", "%1.%2.", start=2)
        + _lvl(2, "lowerRoman", "(%3)", extra='<w:lvlRestart w:val="1"/>')
    )
    add_numbering(document, {500: levels}, {500: '<w:abstractNumId w:val="500"/>'})
    for text, ilvl in [("con trước cha", 1), ("i", 2), ("cha", 0), ("lại i", 2),
                       ("con", 1), ("không khởi động lại", 2), ("cha hai", 0), ("i mới", 2)]:  # fmt: skip
        numbered(document, text, 500, ilvl)
    document.save(str(tmp_path / "levels.docx"))
    assert paras(read_docx(tmp_path / "levels.docx").blocks) == [
        "2.2. con trước cha",  # Word shows start - 1 for a level not used yet ("0.1")
        "(i) i",
        "3. cha",
        "(i) lại i",  # lvlRestart 1: restarted by level 1 (1-based) ...
        "3.2. con",
        "(ii) không khởi động lại",  # ... but not by level 2
        "4. cha hai",
        "(i) i mới",
    ]


def build_text_docx(path: Path) -> Path:
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "ĐẦU TRANG KHÔNG ĐƯỢC LẤY"
    section.footer.paragraphs[0].text = "CHÂN TRANG KHÔNG ĐƯỢC LẤY"
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("")
    document.add_paragraph("   ")
    rid = document.part.relate_to("https://example.org/vb", RT.HYPERLINK, is_external=True)
    add_raw_paragraph(
        document,
        run("Kính gửi:")
        + "<w:r><w:tab/><w:t>Sở Nội vụ;</w:t><w:br/><w:t>Sở Tài chính</w:t></w:r>"
        + f'<w:hyperlink r:id="{rid}">{run(" (xem văn bản)")}</w:hyperlink>',
    )
    add_raw_paragraph(
        document,
        run("Thời hạn: ")
        + f'<w:ins w:id="1" w:author="A" w:date="2026-01-01T00:00:00Z">{run("30/6/2026")}</w:ins>'
        + '<w:del w:id="2" w:author="A" w:date="2026-01-01T00:00:00Z">'
        "<w:r><w:delText>31/12/2025</w:delText></w:r></w:del>"
        + "<w:r><w:rPr><w:vanish/></w:rPr><w:t>chữ ẩn</w:t></w:r>"
        + '<w:r><w:footnoteReference w:id="1"/></w:r>'
        + run("; trang ")
        + '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + run("7")
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
    )
    add_raw_paragraph(
        document,
        "<w:r><w:rPr><w:caps/></w:rPr><w:t>quyết định</w:t></w:r>"
        + run(" số 12")
        + "<w:r><w:noBreakHyphen/></w:r>"
        + run("QĐ")
        + '<w:sdt><w:sdtPr><w:alias w:val="ngày"/></w:sdtPr><w:sdtContent>'
        + run(" ngày 05/01/2026")
        + "</w:sdtContent></w:sdt>",
    )
    document.element.body.sectPr.addprevious(
        parse_xml(
            f'<w:sdt {NS}><w:sdtPr><w:alias w:val="block"/></w:sdtPr><w:sdtContent>'
            f"<w:p>{run('Đoạn trong điều khiển nội dung')}</w:p>"
            "</w:sdtContent></w:sdt>"
        )
    )
    add_raw_paragraph(document, run("Nơi nhận:") + textbox("- Như trên;", "- Lưu: VT."))
    add_raw_paragraph(document, textbox("Chỉ có hộp văn bản"))  # empty host paragraph
    document.add_paragraph("Hết.")
    document.save(str(path))
    return path


def test_text_features(tmp_path: Path) -> None:
    doc = read_docx(build_text_docx(tmp_path / "text.docx"))
    assert doc.format == "docx"
    assert doc.pages is None
    assert doc.warnings == []
    assert doc.blocks == [
        para("KẾ HOẠCH"),
        para("Kính gửi:\tSở Nội vụ;\nSở Tài chính (xem văn bản)"),
        para("Thời hạn: 30/6/2026; trang 7"),
        para("QUYẾT ĐỊNH số 12-QĐ ngày 05/01/2026"),
        para("Đoạn trong điều khiển nội dung"),
        para("Nơi nhận:"),
        para("- Như trên;"),
        para("- Lưu: VT."),
        para("Chỉ có hộp văn bản"),
        para("Hết."),
    ]


def build_tables_docx(path: Path) -> Path:
    document = docx.Document()
    document.sections[0].header.add_table(1, 1, docx.shared.Inches(2)).cell(0, 0).text = "BẢNG Ở ĐẦU TRANG"
    document.add_paragraph("Trước bảng")
    table = document.add_table(rows=4, cols=5)
    for col, text in enumerate(["STT", "Nội dung", "", "Chủ trì", "Thời hạn"]):
        table.cell(0, col).text = text
    table.cell(0, 1).merge(table.cell(0, 2)).text = "Nội dung"
    deadline = table.cell(1, 4).merge(table.cell(3, 4))
    deadline.text = "Quý I/2026"
    rows = [
        ["1", "Việc A", "chi tiết A", "Sở Nội vụ"],
        ["2", "", "chi tiết B", "Sở Tài chính"],
        ["3", "Việc C", "chi tiết C", ""],
    ]
    for r, values in enumerate(rows, start=1):
        for c, text in enumerate(values):
            if text:
                table.cell(r, c).text = text
    cell = table.cell(2, 1)
    first = cell.paragraphs[0]
    first.add_run("Dòng một").add_break()
    first.add_run("dòng hai")
    cell.add_paragraph("")
    cell.add_paragraph("Đoạn hai")
    nested = table.cell(3, 3).add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "Sở Y tế", (0, 1): "chủ trì", (1, 0): "Công an", (1, 1): ""}.items():
        nested.cell(r, c).text = text
    document.add_paragraph("Giữa hai bảng")
    block = document.add_table(rows=3, cols=3)
    block.cell(0, 0).merge(block.cell(1, 1)).text = "Khối 2x2"
    for (r, c), text in {(0, 2): "C", (1, 2): "D", (2, 0): "E", (2, 1): "F", (2, 2): "G"}.items():
        block.cell(r, c).text = text
    # A row starting one grid column late (w:gridBefore), wrapped in a content control.
    document.element.body.sectPr.addprevious(
        parse_xml(
            f"<w:tbl {NS}><w:tblPr/><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"
            f'<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr><w:tc><w:p>{run("x")}</w:p></w:tc>'
            f"<w:tc><w:p>{run('y')}</w:p></w:tc></w:tr>"
            f"<w:sdt><w:sdtContent><w:tr><w:tc><w:p>{run('a')}</w:p></w:tc>"
            f"<w:tc><w:p>{run('b')}</w:p></w:tc></w:tr></w:sdtContent></w:sdt></w:tbl>"
        )
    )
    document.save(str(path))
    return path


def test_tables_with_merges(tmp_path: Path) -> None:
    blocks = read_docx(build_tables_docx(tmp_path / "tables.docx")).blocks
    up, left, empty = Cell("", merged_up=True), Cell("", merged_left=True), Cell("")
    assert blocks == [
        para("Trước bảng"),
        Block(
            kind="table",
            rows=(
                (Cell("STT"), Cell("Nội dung"), left, Cell("Chủ trì"), Cell("Thời hạn")),
                (Cell("1"), Cell("Việc A"), Cell("chi tiết A"), Cell("Sở Nội vụ"), Cell("Quý I/2026")),
                (Cell("2"), Cell("Dòng một\ndòng hai\nĐoạn hai"), Cell("chi tiết B"),
                 Cell("Sở Tài chính"), up),
                (Cell("3"), Cell("Việc C"), Cell("chi tiết C"),
                 Cell("Sở Y tế | chủ trì\nCông an"), up),
            ),
        ),
        para("Giữa hai bảng"),
        Block(
            kind="table",
            rows=(
                (Cell("Khối 2x2"), left, Cell("C")),
                (up, Cell("", merged_up=True, merged_left=True), Cell("D")),
                (Cell("E"), Cell("F"), Cell("G")),
            ),
        ),
        Block(kind="table", rows=((empty, Cell("x"), Cell("y")), (Cell("a"), Cell("b"), empty))),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("n", "fmt", "expected"),
    [
        (1, "decimal", "1"),
        (12, "decimal", "12"),
        (7, "decimalZero", "07"),
        (4, "upperRoman", "IV"),
        (9, "upperRoman", "IX"),
        (14, "upperRoman", "XIV"),
        (1994, "upperRoman", "MCMXCIV"),
        (3, "lowerRoman", "iii"),
        (1, "lowerLetter", "a"),
        (26, "lowerLetter", "z"),
        (27, "lowerLetter", "aa"),
        (53, "upperLetter", "AAA"),
        (2, "decimalEnclosedParen", "(2)"),
        (3, "decimalEnclosedCircle", "③"),
        (5, "none", ""),
        (5, "ordinalText", "5"),  # English words: shown as decimal
        (0, "upperRoman", "0"),
    ],
)
def test_format_number(n: int, fmt: str, expected: str) -> None:
    assert format_number(n, fmt) == expected


# ----------------------------------------------------------------- bad input


def _zip(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("hong.docx", b"", "empty"),
        ("van_ban.docx", b"Day khong phai la Word\n", "not a ZIP package"),
        ("cu.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "WordDocument".encode("utf-16-le"),
         "rename it to .doc"),
        ("mat_khau.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
         + "EncryptedPackage".encode("utf-16-le"), "password-protected"),
        ("rtf.docx", b"{\\rtf1\\ansi hello}", "RTF"),
    ],
    ids=["empty", "text", "legacy-doc", "encrypted", "rtf"],
)  # fmt: skip
def test_unreadable_bytes(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ReaderError) as info:
        read_docx(path)
    assert info.value.code == "DOCX_UNREADABLE"
    assert info.value.message.startswith(f"{name}: ")
    assert reason in info.value.message


def test_damaged_packages(tmp_path: Path) -> None:
    good = build_text_docx(tmp_path / "good.docx").read_bytes()
    truncated = tmp_path / "cut.docx"
    truncated.write_bytes(good[: len(good) // 2])
    no_word = _zip(tmp_path / "no_word.docx", {"hello.txt": "hi"})
    bad_xml = tmp_path / "bad_xml.docx"
    with zipfile.ZipFile(tmp_path / "good.docx") as src, zipfile.ZipFile(bad_xml, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, data[:200] if item.filename == "word/document.xml" else data)
    for path in (truncated, no_word, bad_xml, tmp_path / "missing.docx"):
        with pytest.raises(ReaderError) as info:
            read_docx(path)
        assert info.value.code == "DOCX_UNREADABLE"
        assert info.value.message.startswith(f"{path.name}: ")


def test_macro_enabled_package(tmp_path: Path) -> None:
    # A .docm (or a template) has another main content type; python-docx's
    # Document() refuses it, the reader does not.
    source = build_text_docx(tmp_path / "a.docx")
    docm = tmp_path / "macro.docx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(docm, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml",
                )
            dst.writestr(item, data)
    assert read_docx(docm).blocks == read_docx(source).blocks


# ----------------------------------------------------------------- dispatcher


def test_read_any_dispatch(tmp_path: Path) -> None:
    source = build_text_docx(tmp_path / "a.docx")
    assert read_any(source).format == "docx"
    upper = tmp_path / "B.DOCX"
    upper.write_bytes(source.read_bytes())
    assert read_any(upper).blocks == read_docx(source).blocks
    renamed = tmp_path / "thuc_ra_la_docx.doc"  # a .docx saved with a .doc name
    renamed.write_bytes(source.read_bytes())
    assert read_any(renamed).blocks == read_docx(source).blocks
    not_zip = tmp_path / "gia.docx"
    not_zip.write_text("plain text", encoding="utf-8")
    with pytest.raises(ReaderError, match=r"DOCX_UNREADABLE\] gia\.docx: "):
        read_any(not_zip)


@pytest.mark.parametrize(("name", "suffix"), [("bang.xlsx", ".xlsx"), ("README", "(none)")])
def test_read_any_unsupported(tmp_path: Path, name: str, suffix: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"x")
    with pytest.raises(ReaderError) as info:
        read_any(path)
    assert info.value.code == "UNSUPPORTED_FORMAT"
    assert info.value.message == (f"{name}: unsupported file type '{suffix}' (supported: .txt .md .docx .doc .pdf)")


# ----------------------------------------------------------------- corpus


@pytest.mark.parametrize("path", CORPUS_DOCX, ids=[p.name for p in CORPUS_DOCX])
def test_corpus_docx_reads(path: Path) -> None:
    doc = read_docx(path)
    tables = [b for b in doc.blocks if b.kind == "table"]
    assert tables or len(paras(doc.blocks)) >= 10
    for table in tables:
        assert len({len(row) for row in table.rows}) == 1, "rows padded to the grid"
    text = "\n".join(paras(doc.blocks))
    assert "MERGEFORMAT" not in text and "PAGE" not in text  # field codes never leak
    assert all(b.text.strip() for b in doc.blocks if b.kind == "para")


def _corpus(name: str) -> list[Block]:
    return read_docx(CORPUS / name).blocks


def test_corpus_known_content() -> None:
    blocks = _corpus("lamdong_cv_caithien_chiso_cchc_2025.docx")
    assert "I. NHỮNG NHIỆM VỤ CẦN TRIỂN KHAI NGAY TRONG THÁNG 12/2025" in paras(blocks)
    assert blocks[0].kind == "table"  # the NĐ 30 header is a layout table
    # Readers do not normalise Unicode (the normaliser does): compare in NFC.
    assert nfc(blocks[0].rows[0][0].text).startswith("ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG")

    blocks = _corpus("lamdong_phuluc_bc_cchc2025_chitieu.docx")
    first = next(b for b in blocks if b.kind == "table")
    assert first.rows[0] == (
        Cell("STT"),
        Cell("Chỉ tiêu thống kê\n(Sử dụng trong kỳ báo cáo hàng quý, 6 tháng, năm)"),
        Cell("Kết quả thống kê"),
        Cell("", merged_left=True),
        Cell("Ghi chú"),
    )
    assert first.rows[1][0] == Cell("", merged_up=True)
    assert [c.text for c in first.rows[1][2:4]] == ["Đơn vị tính", "Số liệu"]
    assert any(c.text == "467.565" for b in blocks if b.kind == "table" for r in b.rows for c in r)

    blocks = _corpus("vpcp_chuongtrinh_hn_ctmtqg_pcmt_2025.docx")
    schedule = next(b for b in blocks if b.kind == "table")
    assert [c.text for c in schedule.rows[0]] == ["Thời gian", "Nội dung", "Chủ trì"]
    assert [c.text for c in schedule.rows[1][:2]] == ["07h45 - 8h00", "Tiếp đón đại biểu"]

    # The "V/v" subject sits in a text box (Choice + VML fallback): read once.
    blocks = _corpus("lamdong_cv_cainghien_matuy_2025.docx")
    everything = "\n".join(b.text if b.kind == "para" else "\n".join(c.text for r in b.rows for c in r) for b in blocks)
    assert everything.count("tập trung triển khai thực hiện") == 1
    assert "Hiện nay, trên địa bàn tỉnh Lâm Đồng có 4.289 người" in everything


def test_speed() -> None:
    # The corpus' heaviest XML (570 kB, 9 tables) and a synthetic 150 kB file.
    heavy = CORPUS / "lamdong_phuluc_bc_cchc2025_chitieu.docx"
    best = min(_timed(heavy) for _ in range(3))
    assert best < 0.3


def test_speed_synthetic(tmp_path: Path) -> None:
    # Word-like XML (run properties, rsids) so the package is ~150 kB zipped.
    rng = random.Random(0)

    def formatted(text: str) -> str:
        rsid = f"{rng.getrandbits(32):08X}"
        return (
            f'<w:r w:rsidR="{rsid}"><w:rPr><w:rFonts w:ascii="Times New Roman" '
            'w:hAnsi="Times New Roman"/><w:sz w:val="28"/><w:lang w:val="vi-VN"/></w:rPr>'
            f'<w:t xml:space="preserve">{text}</w:t></w:r>'
        )

    cells = "".join(
        "<w:tr>" + "".join(f"<w:tc><w:p>{formatted(f'ô {rng.randint(0, 10**6)}')}</w:p></w:tc>"
                           for _ in range(6)) + "</w:tr>"
        for _ in range(300)
    )  # fmt: skip
    paragraphs = "".join(
        f"<w:p>{formatted(f'Đoạn {i}: giao Sở {rng.randint(0, 10**6)} chủ trì, ')}"
        f"{formatted(f'hoàn thành trước {rng.randint(1, 28)}/{rng.randint(1, 12)}/2026.')}</w:p>"
        for i in range(3300)
    )
    document = docx.Document()
    body = document.element.body
    body.sectPr.addprevious(parse_xml(f"<w:tbl {NS}><w:tblPr/>{cells}</w:tbl>"))
    for p in parse_xml(f"<w:body {NS}>{paragraphs}</w:body>"):
        body.sectPr.addprevious(p)
    path = tmp_path / "big.docx"
    document.save(str(path))
    assert path.stat().st_size > 140_000
    best = min(_timed(path) for _ in range(3))
    assert best < 0.3
    assert len(read_docx(path).blocks) == 3301


def _timed(path: Path) -> float:
    start = time.perf_counter()
    read_docx(path)
    return time.perf_counter() - start


# ----------------------------------------------------------------- .doc via LibreOffice

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None and shutil.which("libreoffice") is None,
    reason="LibreOffice (soffice) is not installed",
)


@needs_soffice
def test_read_doc_corpus() -> None:
    doc = read_doc(CORPUS / "binhthuan_vp_cv_sohoa_tthc_2024.doc")
    assert doc.format == "doc"
    header = doc.blocks[0]
    assert header.kind == "table"
    assert header.rows[0][0].text == "UBND TỈNH BÌNH THUẬN\nVĂN PHÒNG"
    assert header.rows[0][1].text.startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    text = "\n".join(paras(doc.blocks))
    assert "- Ban Quản lý các khu công nghiệp Bình Thuận." in text
    assert "Công văn số 2197/UBND-NCKSTTHC" in text


@needs_soffice
def test_read_doc_numbering_and_dispatch(tmp_path: Path) -> None:
    # Round trip docx -> doc (LibreOffice) -> docx: the labels survive.
    source = build_numbering_docx(tmp_path / "so.docx")
    import subprocess

    subprocess.run(
        ["soffice", "--headless", "--norestore",
         f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
         "--convert-to", "doc", "--outdir", str(tmp_path / "out"), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    doc = read_any(tmp_path / "out" / "so.doc")
    assert doc.format == "doc"
    texts = paras(doc.blocks)
    for label in ["I. Mở đầu", "2.1. Tiểu mục", "II. Tổ chức thực hiện", "5. Năm", "8. Tám",
                  "1. Khởi động lại", "Điều 2. Đối tượng", "01/ Mẫu số"]:  # fmt: skip
        assert label in texts


CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("rac.doc", CFB + b"\xff" * 2000, "without Word content"),
        ("mat_khau.doc", CFB + b"\0" * 600 + "EncryptedPackage".encode("utf-16-le"), "password"),
        ("hong.doc", CFB + b"\xff" * 600 + "WordDocument".encode("utf-16-le") + b"\0" * 3000,
         "LibreOffice could not convert"),
        ("chu.doc", "chỉ là văn bản".encode(), "not a Word 97-2003 document"),
        ("rong.doc", b"", "empty"),
    ],
    ids=["garbage", "encrypted", "damaged", "text", "empty"],
)  # fmt: skip
@needs_soffice
def test_read_doc_failures(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ReaderError) as info:
        read_doc(path)
    assert info.value.code == "DOC_CONVERT_FAILED"
    assert info.value.message.startswith(f"{name}: ")
    assert reason in info.value.message


@needs_soffice
def test_read_doc_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReaderError) as info:
        read_doc(tmp_path / "khong_co.doc")
    assert info.value.code == "DOC_CONVERT_FAILED"
    assert info.value.message.startswith("khong_co.doc: cannot open the file")


@needs_soffice
@pytest.mark.parametrize(
    "content",
    [
        b"{\\rtf1\\ansi Xin ch\\u224?o \\par}",
        "<html><body><p>Xin chào</p><table><tr><td>a</td><td>b</td></tr></table></body></html>".encode(),
    ],
    ids=["rtf", "html"],
)
def test_read_doc_rtf_and_html_named_doc(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "khac.doc"
    path.write_bytes(content)
    doc = read_doc(path)
    assert doc.format == "doc"
    assert nfc(doc.blocks[0].text).strip() == "Xin chào"


@needs_soffice
def test_read_doc_timeout(tmp_path: Path) -> None:
    with pytest.raises(ReaderError) as info:
        read_doc(CORPUS / "binhthuan_vp_cv_sohoa_tthc_2024.doc", timeout=0.01)
    assert info.value.code == "DOC_TIMEOUT"
    assert "binhthuan_vp_cv_sohoa_tthc_2024.doc" in info.value.message


def test_read_doc_without_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ReaderError) as info:
        read_doc(CORPUS / "binhthuan_vp_cv_sohoa_tthc_2024.doc")
    assert info.value.code == "LIBREOFFICE_MISSING"
    assert "libreoffice-writer-nogui" in info.value.message
