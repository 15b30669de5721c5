"""Header metadata: the issue's named facts and the hard header shapes."""

from __future__ import annotations

import pytest

from extractor.readers.base import Block, Cell, SourceDoc
from extractor.segment.header import parse_header
from extractor.text.document import build_document

from .conftest import processed


def test_seed_003_header() -> None:
    m = processed("003_9c6f599622bc699a.txt").record.metadata
    assert m.reference_code == "690/KH-UBND"
    assert m.issuer == "Ủy ban nhân dân tỉnh Quảng Nam"
    assert m.place == "Quảng Nam"
    assert m.issued_date == "2023-02-13"
    assert m.signer is not None
    assert m.signer.name == "Hồ Quang Bửu"
    assert m.signer.position == "Phó Chủ tịch"
    assert m.doc_type == "KE_HOACH"


def test_seed_002_draft_decision_with_plan_and_appendices() -> None:
    m = processed("002_cb22d10497566f9f.txt").record.metadata
    assert m.doc_type == "QUYET_DINH"
    assert m.reference_code == "/QĐ-UBND"
    assert m.number is None
    assert m.symbol == "QĐ-UBND"
    assert m.issued_date is None
    assert [p.kind for p in m.parts] == ["decision", "plan", "appendix", "appendix"]


def _doc(*paras: str, table: tuple[tuple[str, ...], ...] | None = None) -> SourceDoc:
    blocks = []
    if table:
        blocks.append(Block("table", rows=tuple(tuple(Cell(c) for c in r) for r in table)))
    blocks += [Block("para", text=p) for p in paras]
    return SourceDoc(blocks, "txt")


def test_interleaved_two_column_header() -> None:
    src = _doc(
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH LAI CHÂU Độc lập - Tự do - Hạnh phúc",
        "Số: 12/KH-UBND",
        "Lai Châu, ngày 05 tháng 3 năm 2025",
        "KẾ HOẠCH",
        "Triển khai thi hành Luật",
    )
    h = parse_header(build_document(src))
    assert h.issuer == "Ủy ban nhân dân tỉnh Lai Châu"
    assert h.issued_date == "2025-03-05"
    assert h.subject == "Triển khai thi hành Luật"


def test_header_table_with_parent_body_and_cong_van_subject() -> None:
    src = _doc(
        "Kính gửi: Các sở, ban, ngành",
        table=(
            ("UBND TỈNH LÂM ĐỒNG\nSỞ NỘI VỤ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"),
            ("Số: 123/SNV-CCHC\nV/v đôn đốc thực hiện", "Lâm Đồng, ngày 10 tháng 12 năm 2025"),
        ),
    )
    h = parse_header(build_document(src))
    assert h.parent_issuer == "Ủy ban nhân dân tỉnh Lâm Đồng"
    assert h.issuer == "Sở Nội vụ"
    assert h.reference_code == "123/SNV-CCHC"
    assert h.doc_type == "CONG_VAN"
    assert h.subject == "đôn đốc thực hiện"


@pytest.mark.parametrize(
    ("line", "number", "code"),
    [
        ("Số: 690/KH-UBND", "690", "690/KH-UBND"),
        ("Số: /QĐ-UBND", None, "/QĐ-UBND"),
        ("Số: 0134/KH-UBND", "0134", "0134/KH-UBND"),
        ("Số:  624 /TB-VPCP", "624", "624/TB-VPCP"),
    ],
)
def test_number_line(line: str, number: str | None, code: str) -> None:
    h = parse_header(build_document(_doc(line, "Hà Nội, ngày 01 tháng 02 năm 2025", "THÔNG BÁO", "Kết luận")))
    assert h.number == number
    assert h.reference_code == code


def test_blank_draft_date_is_null() -> None:
    h = parse_header(build_document(_doc("Số: /KH-UBND", "Bình Định, ngày      tháng     năm 2024", "KẾ HOẠCH", "X")))
    assert h.place == "Bình Định"
    assert h.issued_date is None


def test_signature_block_with_split_authority_line() -> None:
    src = _doc(
        "KẾ HOẠCH",
        "Nội dung",
        "Nơi nhận:\n- Bộ Nội vụ;\n- Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
        "Lâm Hải Giang",
    )
    h = parse_header(build_document(src))
    assert h.signer_name == "Lâm Hải Giang"
    assert h.signer_position == "Phó Chủ tịch"
    assert h.signer_authority == "TM. Ủy ban nhân dân; KT. Chủ tịch"
    assert h.recipients == ["Bộ Nội vụ", "Lưu: VT"]


def test_header_table_with_empty_first_column() -> None:
    src = _doc(
        "KẾ HOẠCH",
        "Nội dung",
        table=(
            ("", "ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"),
            ("", "Số: /UBND-NC", "Lâm Đồng, ngày tháng 8 năm 2025"),
        ),
    )
    h = parse_header(build_document(src))
    assert h.issuer == "Ủy ban nhân dân tỉnh Lâm Đồng"


@pytest.mark.parametrize(
    ("upper", "proper"),
    [
        ("BAN CHỈ ĐẠO PHÁT TRIỂN KHOA HỌC, CÔNG NGHỆ", "Ban Chỉ đạo phát triển khoa học, công nghệ"),
        ("ỦY BAN MTTQ VIỆT NAM XÃ LƯƠNG MINH", "Ủy ban Mặt trận Tổ quốc Việt Nam xã Lương Minh"),
        ("CÔNG TY VNPT", "Công ty VNPT"),
        ("UBND TỈNH LAI CHÂU", "Ủy ban nhân dân tỉnh Lai Châu"),
    ],
)
def test_capitalised_names(upper: str, proper: str) -> None:
    from extractor.segment.casing import proper_name

    assert proper_name(upper) == proper


def test_signature_on_one_line() -> None:
    src = _doc("KẾ HOẠCH", "Nội dung", table=(("Nơi nhận:\n- Lưu: VT.", "KT. CHỦ TỊCH PHÓ CHỦ TỊCH Lâm Hải Giang"),))
    doc = build_document(SourceDoc(list(reversed(src.blocks)), "docx"))
    h = parse_header(doc)
    assert (h.signer_name, h.signer_position, h.signer_authority) == ("Lâm Hải Giang", "Phó Chủ tịch", "KT. Chủ tịch")


def test_no_issuer_without_a_header() -> None:
    h = parse_header(build_document(_doc("ĐIỀU LỆ HỘI VIÊN", "Chương I", "QUY ĐỊNH CHUNG", "Điều 1. Tên gọi")))
    assert h.issuer is None


def _signed(position: str, name: str, fmt: str) -> tuple[str | None, str | None]:
    from extractor.readers.base import Block, Cell, SourceDoc
    from extractor.segment.header import parse_header
    from extractor.text.document import build_document

    blocks = [
        Block("table", rows=(
            (Cell("BỘ CÔNG AN\nCÔNG AN TỈNH LÂM ĐỒNG"), Cell("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc")),
            (Cell("Số: 511/TTr-CAT"), Cell("Lâm Đồng, ngày 23 tháng 12 năm 2025")),
        )),
        Block("para", text="TỜ TRÌNH\nVề việc đề nghị ban hành Quyết định"),
        Block("para", text="Công an tỉnh đã dự thảo Quyết định."),
        Block("table", rows=((Cell("Nơi nhận:\n- Như trên;\n- Lưu: VT, PC04."), Cell(position)),)),
        Block("para", text=name),
    ]
    head = parse_header(build_document(SourceDoc(blocks, fmt)))
    return head.signer_name, head.signer_position


def test_signer_after_a_rank_or_title() -> None:
    """'Thiếu tướng Trương Minh Đương': the rank is not part of the name (patterns/header.jsonl name-prefixes)."""
    assert _signed("GIÁM ĐỐC", "Thiếu tướng Trương Minh Đương", "docx") == ("Trương Minh Đương", "Giám đốc")
    assert _signed("GIÁM ĐỐC", "PGS.TS. Nguyễn Văn An", "docx") == ("Nguyễn Văn An", "Giám đốc")


def test_scan_signature_with_misread_marks() -> None:
    """On a scan, '“GIÁM ĐÓC' is the position GIÁM ĐỐC and 'Thiêu tướng' the rank Thiếu tướng."""
    assert _signed("“GIÁM ĐÓC", "Thiêu tướng Trương Minh Đương", "pdf-ocr") == ("Trương Minh Đương", "Giám đốc")
    assert _signed("“GIÁM ĐÓC", "Thiêu tướng Trương Minh Đương", "docx") == (None, None)  # typed text is taken as written
