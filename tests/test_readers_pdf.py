"""Tests of the PDF reader and the legacy-encoding module.

A small letter is built here with python-docx (a borderless two-column
letterhead, a signature stamp in the first-page header, a running header on
the later pages, page numbers in the footer, a ruled table) and printed to PDF
with LibreOffice; its first page is also rendered to an image-only PDF for the
OCR path.  OCR reads at most two pages in this file.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest

from extractor.readers import pdf_ocr as ocr_mod
from extractor.readers import read_any
from extractor.readers.base import ReaderError, SourceDoc
from extractor.readers.legacy import (
    Encoding,
    LegacyEncoding,
    convert_legacy,
    detect_encoding,
    encode_legacy,
    score_text,
)
from extractor.readers.pdf import read_pdf
from extractor.readers.pdf_blocks import find_bands, paragraphs
from extractor.readers.pdf_layout import Word, build_lines, geometry, mark_page_numbers

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "corpus" / "documents"
SIGNED = DOCS / "lamdong_gm85_hop_cchc_2026_signed.pdf"
SCAN = DOCS / "ttg_cv464_cds_2026_scan.pdf"
HAS_SOFFICE = (shutil.which("soffice") or shutil.which("libreoffice")) is not None
HAS_TESSERACT = shutil.which("tesseract") is not None
needs_soffice = pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) is not installed")
needs_tesseract = pytest.mark.skipif(not HAS_TESSERACT, reason="tesseract is not installed")


# --- legacy encodings ------------------------------------------------------------------

# TCVN3 has no capital toned vowels: "Ủy" comes back capitalised only where a
# sentence starts (text start, after . ! ?), so the sentence goes first here.
UNICODE_TEXT = (
    "Ủy ban nhân dân tỉnh đề nghị các sở, ngành khẩn trương triển khai thực hiện nhiệm vụ được giao. "
    "Ủy ban nhân dân tỉnh sẽ kiểm tra.\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "tcvn3"),
        ("§éc lËp - Tù do - H¹nh phóc", "tcvn3"),
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "vni"),
        ("Ñoäc laäp - Töï do - Haïnh phuùc", "vni"),
        ("Cộng hòa xã hội chủ nghĩa Việt Nam", "unicode"),
        ("UBND TỈNH LÂM ĐỒNG", "unicode"),
        ("Số: 12/QĐ-UBND", "unicode"),
        ("", "unicode"),
        ("(cid:12)(cid:13)(cid:14)(cid:15) abc", "garbage"),
        ("\ue001\ue002\ue003\ue004 văn bản", "garbage"),
        (
            "Cdn c* Luqt TO ch*c chinh quyin dia phuong ngdy 16 thdng 6 ndm 2025; Cdn c* Nghi q,ryilt tii 76,0{Q-CP "
            "ngdy 15 thdng 7 ndm 2021 ctn Ch{nh phtt banhinh Chuongtrinhttingth cdi cdchhdnh chinhNhd nudc",
            "garbage",
        ),
    ],
)
def test_detect_encoding(text: str, expected: str) -> None:
    assert detect_encoding(text) == expected


@pytest.mark.parametrize(
    ("legacy", "enc", "expected"),
    [
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "tcvn3", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
        ("C«NG HOµ X· HéI CHñ NGHÜA VIÖT NAM", "tcvn3", "CÔNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("Sè: 12/Q§-UBND", "tcvn3", "Số: 12/QĐ-UBND"),
        ("nhµ n\u2212íc", "tcvn3", "nhà nước"),  # a PDF's U+2212 for the soft-hyphen code (ư)
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "vni", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
        ("ÑOÄC LAÄP", "vni", "ĐỘC LẬP"),
        ("aúng", "vni", "ẳng"),  # from patterns/legacy_fonts.tsv (viparse lacks it)
        ("Cộng hòa", "unicode", "Cộng hòa"),
        ("x(cid:3)y", "garbage", "x(cid:3)y"),
    ],
)
def test_convert_legacy(legacy: str, enc: Encoding, expected: str) -> None:
    assert convert_legacy(legacy, enc) == expected


@pytest.mark.parametrize("enc", ["tcvn3", "vni"])
def test_legacy_round_trip(enc: LegacyEncoding) -> None:
    coded = encode_legacy(UNICODE_TEXT, enc)
    assert coded != UNICODE_TEXT
    assert detect_encoding(coded) == enc
    assert convert_legacy(coded, enc) == UNICODE_TEXT


def test_score_text_leaves_out_acronyms() -> None:
    score = score_text("UBND HĐND TTHC văn bản")
    assert score.tokens == 2 and score.valid == 1.0


# --- layout on synthetic words -------------------------------------------------------


def _line(y: float, *spans: tuple[float, str], size: float = 12.0) -> list[Word]:
    words = []
    for x, text in spans:
        for k, token in enumerate(text.split()):
            x0 = x + 40 * k
            words.append(Word(x0, y, x0 + 35, y + size, token, size))
    return words


def _page_words() -> list[Word]:
    body = [
        _line(200 + 16 * k, (85, "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod"))
        for k in range(6)
    ]
    return [
        *_line(40, (100, "ỦY BAN"), (330, "CỘNG HÒA")),
        *_line(56, (100, "TỈNH X"), (330, "Độc lập")),
        *_line(80, (100, "Số: 1/UBND"), (330, "X, ngày 1")),
        *_line(120, (260, "THÔNG BÁO")),
        *[w for ln in body for w in ln],
        *_line(800, (290, "3")),
    ]


def test_bands_and_paragraphs_on_synthetic_page() -> None:
    lines = build_lines(_page_words())
    geo = geometry(lines, 595, 842)
    bands = find_bands(lines, geo)
    assert len(bands) == 1
    band = bands[0]
    assert [ln.text for ln in lines[band.start : band.end + 1]][0] == "ỦY BAN CỘNG HÒA"
    assert band.end == 2  # the centred title ends the letterhead
    mark_page_numbers(lines, geo)
    assert lines[-1].furniture and lines[-1].text == "3"
    paras = paragraphs([ln for ln in lines[band.end + 1 :] if not ln.furniture], geo)
    assert [len(p) for p in paras] == [1, 6]


def test_paragraph_breaks_on_gap_and_indent() -> None:
    words = [
        *_line(100, (85, "a b c d e f g h i j k")),
        *_line(116, (85, "a b c d e")),
        *_line(140, (113, "x y z w v u t s r q")),  # gap and first-line indent
        *_line(156, (85, "x y z w v u t s r q p")),
    ]
    lines = build_lines(words)
    paras = paragraphs(lines, geometry(lines, 595, 842))
    assert [[ln.text[:1] for ln in p] for p in paras] == [["a", "a"], ["x", "x"]]


def test_find_rulings_grid_with_merged_cell() -> None:
    img = np.full((600, 800), 255, dtype=np.uint8)
    for y in (100, 200, 300, 400):
        img[y : y + 3, 100:701] = 0
    img[100:403, 100:103] = 0
    img[100:403, 698:701] = 0
    img[100:403, 300:303] = 0  # column rule 1, full height
    img[100:203, 500:503] = 0  # column rule 2 only in the first row: cells below merge left
    img[300:403, 500:503] = 0
    rulings, cleaned = ocr_mod.find_rulings(img, 72)
    assert len(rulings.grids) == 1
    grid = rulings.grids[0]
    assert len(grid.columns) == 3 and len(grid.cells) == 3
    assert grid.cells[1][2] is None and grid.cells[1][1] is not None
    assert grid.cells[1][1][2] > 690  # the merged cell spans to the right edge
    assert cleaned[101, 400] == 255  # rules wiped before OCR


def test_parse_tsv_drops_noise_and_duplicates() -> None:
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [
        "4\t1\t1\t1\t1\t0\t100\t100\t500\t50\t-1\t",
        "5\t1\t1\t1\t1\t1\t100\t100\t80\t50\t96\tSố:",
        "5\t1\t1\t1\t1\t2\t200\t100\t60\t50\t70\t@†",
        "5\t1\t1\t1\t1\t3\t300\t100\t100\t50\t90\tChủ",
        "5\t1\t1\t1\t1\t4\t310\t100\t90\t50\t60\tChủ",
        "5\t1\t1\t1\t1\t5\t450\t100\t90\t50\t3\tQiẦU",
    ]
    words, mean = ocr_mod.parse_tsv("\n".join([header, *rows]), 144)
    assert [w.text for w in words] == ["Số:", "Chủ"]
    assert words[0].x0 == pytest.approx(50.0)  # 144 dpi pixels -> points
    assert mean == pytest.approx((96 + 90) / 2)


# --- a letter printed by LibreOffice ----------------------------------------------------

STAMP = [
    "Ký bởi: Ủy ban nhân dân tỉnh Lâm Đồng",
    "Email: ubnd@lamdong.gov.vn",
    "Thời gian ký: 05.03.2026 09:00:00 +07:00",
]
RUNNING = "Văn bản thử nghiệm nội bộ"


def _letter_docx(path: Path) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.shared import Cm, Pt

    document = docx.Document()
    document.styles["Normal"].font.name = "Liberation Serif"
    document.styles["Normal"].font.size = Pt(13)
    section = document.sections[0]
    section.different_first_page_header_footer = True
    for i, text in enumerate(STAMP):
        para = section.first_page_header.paragraphs[0] if i == 0 else section.first_page_header.add_paragraph()
        para.add_run(text).font.size = Pt(7)
    section.header.paragraphs[0].text = RUNNING
    for footer in (section.footer, section.first_page_footer):
        para = footer.paragraphs[0]
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    head = document.add_table(rows=2, cols=2)  # no style: no borders
    head.autofit = False
    for col, width in zip(head._tbl.tblGrid.findall(qn("w:gridCol")), (Cm(6), Cm(10.5)), strict=True):
        col.set(qn("w:w"), str(width.twips))
    for row in head.rows:
        row.cells[0].width = Cm(6)
        row.cells[1].width = Cm(10.5)
    head.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG"
    head.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    head.cell(1, 0).text = "Số: 12/UBND-VP"
    head.cell(1, 1).text = "Lâm Đồng, ngày 05 tháng 3 năm 2026"
    for row in head.rows:
        for cell in row.cells:
            for para in cell.paragraphs:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title = document.add_paragraph("THÔNG BÁO")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("Ủy ban nhân dân tỉnh thông báo kế hoạch kiểm tra công tác cải cách hành chính như sau:")
    grid = document.add_table(rows=3, cols=3)
    grid.style = "Table Grid"
    for c, text in enumerate(["STT", "Nội dung", "Đơn vị chủ trì"]):
        grid.cell(0, c).text = text
    grid.cell(1, 0).text = "1"
    grid.cell(1, 1).text = "Kiểm tra hồ sơ\nthủ tục hành chính"
    grid.cell(1, 2).text = "Sở Nội vụ"
    grid.cell(2, 0).text = "2"
    grid.cell(2, 1).text = "Đánh giá chỉ số"
    grid.cell(2, 2).text = "Văn phòng UBND tỉnh"
    sentence = (
        "Các sở, ban, ngành và địa phương rà soát, cập nhật kết quả thực hiện nhiệm vụ được giao, "
        "báo cáo đúng thời hạn để tổng hợp trình Ủy ban nhân dân tỉnh xem xét, chỉ đạo."
    )
    for k in range(1, 31):
        document.add_paragraph(f"{k}. {sentence}")
    document.save(str(path))


def _soffice_pdf(source: Path, out_dir: Path) -> Path:
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    assert binary is not None
    profile = out_dir / "lo-profile"
    cmd = [binary, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}"]
    cmd += ["--convert-to", "pdf", "--outdir", str(out_dir), str(source)]
    subprocess.run(cmd, capture_output=True, timeout=180, check=True)
    target = out_dir / f"{source.stem}.pdf"
    assert target.exists()
    return target


@pytest.fixture(scope="module")
def letter_pdf(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    if not HAS_SOFFICE:
        pytest.skip("LibreOffice (soffice) is not installed")
    work = tmp_path_factory.mktemp("letter")
    source = work / "letter.docx"
    _letter_docx(source)
    yield _soffice_pdf(source, work)


@pytest.fixture(scope="module")
def letter(letter_pdf: Path) -> SourceDoc:
    return read_pdf(letter_pdf)


def _all_text(doc: SourceDoc) -> str:
    parts = []
    for b in doc.blocks:
        parts.append(b.text if b.kind == "para" else "\n".join(c.text for row in b.rows for c in row))
    return "\n".join(parts)


@needs_soffice
def test_letter_header_reading_order(letter: SourceDoc) -> None:
    assert letter.format == "pdf" and letter.pages is not None and letter.pages >= 3
    head = letter.blocks[0]
    assert head.kind == "table" and len(head.rows[0]) == 2
    assert head.rows[0][0].text == "ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG"
    assert head.rows[0][1].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    cells = [c.text for row in head.rows for c in row]
    assert "Số: 12/UBND-VP" in cells and "Lâm Đồng, ngày 05 tháng 3 năm 2026" in cells
    assert letter.blocks[1].kind == "para" and letter.blocks[1].text == "THÔNG BÁO"
    assert all(b.page is not None and b.bbox is not None for b in letter.blocks)


@needs_soffice
def test_letter_furniture_removed(letter: SourceDoc) -> None:
    text = _all_text(letter)
    for stamp in STAMP:
        assert stamp.split(":")[0] not in text
    assert RUNNING not in text
    assert not any(b.kind == "para" and b.text.strip().isdigit() for b in letter.blocks)
    assert "30. Các sở, ban, ngành" in text


@needs_soffice
def test_letter_ruled_table(letter: SourceDoc) -> None:
    tables = [b for b in letter.blocks if b.kind == "table" and len(b.rows[0]) == 3]
    assert len(tables) == 1
    rows = [[c.text for c in row] for row in tables[0].rows]
    assert rows[0] == ["STT", "Nội dung", "Đơn vị chủ trì"]
    assert rows[1] == ["1", "Kiểm tra hồ sơ\nthủ tục hành chính", "Sở Nội vụ"]


@needs_soffice
def test_letter_through_pipeline(letter_pdf: Path) -> None:
    from extractor.pipeline import process_file

    meta = process_file(letter_pdf).record.metadata
    assert meta.reference_code == "12/UBND-VP"
    assert meta.issued_date == "2026-03-05"


@needs_soffice
def test_ocr_never_on_image_pdf_fails(letter_pdf: Path, tmp_path: Path) -> None:
    scan = _image_pdf(letter_pdf, tmp_path / "scan.pdf", 200)
    with pytest.raises(ReaderError) as info:
        read_pdf(scan, ocr="never")
    assert info.value.code == "PDF_NO_TEXT" and "scan.pdf" in info.value.message


def _image_pdf(source: Path, target: Path, dpi: int, pages: int = 1) -> Path:
    pdf = pdfium.PdfDocument(source)
    try:
        images = [pdf[i].render(scale=dpi / 72).to_pil().convert("L") for i in range(pages)]
    finally:
        pdf.close()
    images[0].save(target, "PDF", resolution=float(dpi), save_all=True, append_images=images[1:])
    return target


@needs_soffice
@needs_tesseract
def test_ocr_of_rendered_page(letter_pdf: Path, tmp_path: Path) -> None:
    scan = _image_pdf(letter_pdf, tmp_path / "scan.pdf", 300)
    doc = read_pdf(scan, dpi=300, ocr_workers=2)
    assert doc.format == "pdf-ocr" and doc.pages == 1
    head = doc.blocks[0]
    assert head.kind == "table"
    assert "ỦY BAN NHÂN DÂN" in head.rows[0][0].text and "VIỆT NAM" in head.rows[0][1].text
    text = _all_text(doc)
    assert "Số: 12/UBND-VP" in text and "Ký bởi" not in text
    tables = [b for b in doc.blocks if b.kind == "table" and len(b.rows[0]) == 3]
    assert tables and tables[0].rows[0][1].text == "Nội dung"
    assert "Sở Nội vụ" in tables[0].rows[1][2].text


# --- OCR plumbing without running Tesseract ------------------------------------------------


@needs_soffice
def test_low_confidence_warning(letter_pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scan = _image_pdf(letter_pdf, tmp_path / "scan.pdf", 100)
    tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    tsv += "5\t1\t1\t1\t1\t1\t100\t100\t80\t20\t41\tmờ\n5\t1\t1\t1\t1\t2\t200\t100\t80\t20\t55\tnhòe\n"
    monkeypatch.setattr(ocr_mod, "tesseract_path", lambda: "tesseract")
    monkeypatch.setattr(ocr_mod, "_tesseract", lambda exe, image, dpi: tsv)
    doc = read_pdf(scan, dpi=100)
    assert (
        "OCR_LOW_CONFIDENCE",
        "page 1: mean confidence 48 (below 70); check the text against the scan",
    ) in doc.warnings


@needs_soffice
def test_tesseract_missing(letter_pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scan = _image_pdf(letter_pdf, tmp_path / "scan.pdf", 72)
    ocr_mod.tesseract_path.cache_clear()
    monkeypatch.setattr(shutil, "which", lambda name: None)
    try:
        with pytest.raises(ReaderError) as info:
            read_pdf(scan)
    finally:
        ocr_mod.tesseract_path.cache_clear()
    assert info.value.code == "TESSERACT_MISSING"
    assert "tesseract-ocr tesseract-ocr-vie" in info.value.message


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"not a pdf at all", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog"])
def test_corrupt_pdf(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "hỏng.pdf"
    path.write_bytes(content)
    with pytest.raises(ReaderError) as info:
        read_any(path)
    assert info.value.code == "PDF_UNREADABLE"
    assert info.value.message.startswith("hỏng.pdf: ")


def test_encrypted_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "mật.pdf"
    path.write_bytes(SIGNED.read_bytes())

    def locked(*args: object, **kwargs: object) -> None:
        raise pdfium.PdfiumError("Failed to load document (PDFium: Incorrect password error).")

    monkeypatch.setattr(pdfium, "PdfDocument", locked)
    with pytest.raises(ReaderError) as info:
        read_pdf(path)
    assert info.value.code == "PDF_UNREADABLE"
    assert info.value.message == "mật.pdf: cannot open PDF: the file is encrypted (password protected)"


def test_bad_ocr_mode() -> None:
    with pytest.raises(ValueError, match="ocr must be"):
        read_pdf(SIGNED, ocr="sometimes")


# --- the corpus PDFs -----------------------------------------------------------------------


@pytest.mark.skipif(not SIGNED.exists(), reason="corpus PDF missing")
def test_signed_pdf_fields_from_signature_widgets() -> None:
    doc = read_pdf(SIGNED)
    assert doc.format == "pdf" and doc.pages == 2
    head = doc.blocks[0]
    assert head.kind == "table"
    cells = [c.text for row in head.rows for c in row]
    # "85" and "19" are drawn by signature widgets, not the page content.
    assert "Số: 85 /GM-UBND" in cells and "Lâm Đồng, ngày 19 tháng 01 năm 2026" in cells
    text = _all_text(doc)
    assert "của ngành và đề xuất" in text  # footnote mark "1" dropped
    assert text.rstrip().endswith("chính quyền số.")  # the footnote comes last
    signature = [b for b in doc.blocks if b.kind == "table" and "Nơi nhận:" in b.rows[0][0].text]
    assert signature and "PHÓ CHÁNH VĂN PHÒNG" in signature[0].rows[0][1].text


@pytest.mark.skipif(not SIGNED.exists(), reason="corpus PDF missing")
def test_signed_pdf_metadata() -> None:
    from extractor.pipeline import process_file

    meta = process_file(SIGNED).record.metadata
    assert meta.reference_code == "85/GM-UBND"
    assert meta.issuer == "Ủy ban nhân dân tỉnh Lâm Đồng"
    assert meta.issued_date == "2026-01-19"
    assert meta.signer is not None and meta.signer.name == "Trịnh Ngọc Duệ"


@needs_tesseract
@pytest.mark.skipif(not SCAN.exists(), reason="corpus PDF missing")
def test_scan_first_page_metadata(tmp_path: Path) -> None:
    from extractor.pipeline import process_file

    source = pdfium.PdfDocument(SCAN)
    first = pdfium.PdfDocument.new()
    first.import_pages(source, [0])
    target = tmp_path / "scan_p1.pdf"
    first.save(target)
    first.close()
    source.close()
    result = process_file(target)
    assert result.record.source.format == "pdf-ocr"
    meta = result.record.metadata
    assert meta.issuer == "Thủ tướng Chính phủ"
    assert meta.symbol == "TTg-CĐS"
    assert meta.reference_code == "464/TTg-CĐS"  # hand-written: read again in English (ocr_repair)
    assert meta.issued_date == "2026-04-30"
    assert "NO_SIGNER" in {w.code for w in result.record.warnings}  # page 1 has no signature
    assert "Người ký" not in result.text and "thongtinchinhphu" not in result.text
