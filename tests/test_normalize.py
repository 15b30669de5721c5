from __future__ import annotations

import pytest

from extractor.readers.base import Block, Cell, SourceDoc
from extractor.text.document import build_document
from extractor.text.normalize import Builder, fix_tones, normalize_lines, should_join


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Thanh Hoá", "Thanh Hóa"),
        ("thuỷ lợi", "thủy lợi"),
        ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
        ("hoà bình", "hòa bình"),
        ("khoẻ mạnh", "khỏe mạnh"),
        ("quý III", "quý III"),  # "qu" is a consonant cluster: unchanged
        ("Huỳnh", "Huỳnh"),  # closed syllable: unchanged
        ("hoàng", "hoàng"),
        ("Văn hóa", "Văn hóa"),
        ("HOÀ", "HÒA"),
        ("Hoa\u0300", "Hòa"),  # decomposed input is composed
    ],
)
def test_fix_tones(raw: str, expected: str) -> None:
    assert fix_tones(raw) == expected
    assert len(fix_tones(raw)) == len(expected)


@pytest.mark.parametrize(
    ("prev", "nxt", "join"),
    [
        ("Căn cứ Thông tư số", "06/2022/TT-BTTTT ngày 30 tháng 6 năm 2022", True),
        ("của Bộ trưởng Bộ Thông tin và Truyền", "thông hướng dẫn thực hiện", True),
        ("Nơi nhận:", "- Bộ Nội vụ;", False),
        ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", False),
        ("PHÓ CHỦ TỊCH", "Lâm Hải Giang", False),
        ("ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NAM", False),
        ("TRUYỀN THÔNG VỀ GIẢM NGHÈO ĐA CHIỀU THUỘC CHƯƠNG TRÌNH", "MỤC TIÊU QUỐC GIA GIẢM NGHÈO", True),
        ("PHÁT TRIỂN KINH TẾ SỐ VÀ XÃ HỘI SỐ TỈNH BẮC NINH GIAI ĐOẠN", "2026 - 2030", True),
        ("a) Tiếp tục phương châm.", "b) Các nhiệm vụ", False),
        ("Kết thúc câu.", "Câu mới bắt đầu", False),
        ("I. MỤC ĐÍCH", "1. Mục đích", False),
    ],
)
def test_should_join(prev: str, nxt: str, join: bool) -> None:
    assert should_join(prev, nxt) is join


def test_bold_unit_joins_short_capital_lines() -> None:
    b = Builder.new()
    normalize_lines("**VII. CHẾ ĐỘ\nBÁO CÁO**", b, 0)
    assert b.text() == "VII. CHẾ ĐỘ BÁO CÁO"
    b = Builder.new()
    normalize_lines("**TM. ỦY BAN NHÂN\nDÂN**\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nTrương Việt Dũng", b, 0)
    assert b.text().split("\n") == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trương Việt Dũng"]


def test_markdown_markers_and_decoration_removed() -> None:
    b = Builder.new()
    spans = normalize_lines("**KẾ  HOẠCH**\n--------\n*Cần Thơ, ngày\n19 tháng 11 năm 2025*", b, 0)
    assert b.text() == "KẾ HOẠCH\nCần Thơ, ngày 19 tháng 11 năm 2025"
    assert len(spans) == 2


def test_offset_map_points_back_to_raw() -> None:
    raw = "**Sở  Nội vụ**\nchủ trì"
    b = Builder.new()
    normalize_lines(raw, b, 100)
    text = b.text()
    assert len(b.offsets) == len(text)
    for i, ch in enumerate(text):
        if ch not in " \n":
            assert raw[b.offsets[i] - 100] == ch


def test_tables_continued_across_pages_are_joined() -> None:
    header = (Cell("STT"), Cell("Chỉ tiêu"), Cell("Đơn vị"))
    t1 = Block("table", rows=(header, (Cell("1.5"), Cell("Trong nhóm 25 địa phương dẫn đầu cả nước"), Cell("Sở A"))), page=1)
    t2 = Block("table", rows=(header, (Cell(""), Cell("và nhóm 05 địa phương dẫn đầu khu vực"), Cell(""))), page=2)
    doc = build_document(SourceDoc([t1, t2], "pdf", pages=2))
    assert len(doc.tables) == 1
    rows = doc.tables[0].rows
    assert len(rows) == 2
    cell = doc.cell_text(rows[1].cells[1])
    assert cell.replace("\n", " ") == "Trong nhóm 25 địa phương dẫn đầu cả nước và nhóm 05 địa phương dẫn đầu khu vực"


def test_repeated_header_row_inside_table_dropped() -> None:
    header = (Cell("TT"), Cell("Nhiệm vụ"))
    t = Block("table", rows=(header, (Cell("1"), Cell("A")), header, (Cell("2"), Cell("B"))))
    doc = build_document(SourceDoc([t], "docx"))
    assert [doc.cell_text(r.cells[0]) for r in doc.tables[0].rows] == ["TT", "1", "2"]
