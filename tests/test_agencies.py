"""Tests for the agency gazetteer (patterns/agencies.jsonl, abbreviations.tsv) and matcher."""

from __future__ import annotations

import json
import re
import time
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from extractor.extract.agencies import (
    KINDS,
    PATTERNS_DIR,
    AgencyMatch,
    canonical_agency,
    find_agencies,
    normalize_tones,
    split_agency_list,
)

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "documents"
ENTRIES: list[dict[str, Any]] = [
    json.loads(line) for line in (PATTERNS_DIR / "agencies.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()
]
ABBREVIATIONS = [
    line.split("\t") for line in (PATTERNS_DIR / "abbreviations.tsv").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]
REQUIRED = {"id": str, "name": str, "kind": str, "aliases": list, "examples": list, "counter_examples": list}
OPTIONAL = {"typos": list, "levels": list, "place": (bool, str), "head": bool, "bare": bool, "prefix": str,
            "strict": bool, "not_after": list, "not_before": list, "distributes": str, "continuation": str,
            "grammar": dict, "merged_into": str, "note": str, "list_head": bool}


def brief(matches: list[AgencyMatch]) -> list[tuple[str, str, str]]:
    return [(m.text, m.name, m.kind) for m in matches]


def ids(m: AgencyMatch) -> set[str]:
    return set(m.entry_id.split("+")) if m.entry_id else set()


# ----------------------------------------------------------------- find_agencies: (text, [(as written, canonical, kind)])
FIND_CASES: list[tuple[str, list[tuple[str, str, str]]]] = [
    # departments, plain and abbreviated
    ("Sở Nội vụ chủ trì, phối hợp với các cơ quan liên quan.",
     [("Sở Nội vụ", "Sở Nội vụ", "agency"), ("các cơ quan liên quan", "Các cơ quan liên quan", "group")]),
    ("Sở KH&ĐT tham mưu bố trí vốn.", [("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư", "agency")]),
    ("Sở TT&TT hướng dẫn", [("Sở TT&TT", "Sở Thông tin và Truyền thông", "agency")]),
    ("Sở KH và ĐT", [("Sở KH và ĐT", "Sở Kế hoạch và Đầu tư", "agency")]),
    ("Sở GD&ĐT chỉ đạo các trường", [("Sở GD&ĐT", "Sở Giáo dục và Đào tạo", "agency"), ("các trường", "Các trường", "group")]),
    ("Sở LĐ-TB&XH phối hợp", [("Sở LĐ-TB&XH", "Sở Lao động - Thương binh và Xã hội", "agency")]),
    ("Sở VH,TT&DL", [("Sở VH,TT&DL", "Sở Văn hóa, Thể thao và Du lịch", "agency")]),
    ("Sở Văn hoá, Thể thao và Du lịch", [("Sở Văn hoá, Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch", "agency")]),
    ("Sở TN&MT thẩm định", [("Sở TN&MT", "Sở Tài nguyên và Môi trường", "agency")]),
    ("Sở NN&PTNT hướng dẫn", [("Sở NN&PTNT", "Sở Nông nghiệp và Phát triển nông thôn", "agency")]),
    ("Sở Nông nghiệp và PTNT", [("Sở Nông nghiệp và PTNT", "Sở Nông nghiệp và Phát triển nông thôn", "agency")]),
    ("Sở NN&MT", [("Sở NN&MT", "Sở Nông nghiệp và Môi trường", "agency")]),
    ("Sở KH&CN", [("Sở KH&CN", "Sở Khoa học và Công nghệ", "agency")]),
    ("Sở GTVT phối hợp", [("Sở GTVT", "Sở Giao thông vận tải", "agency")]),
    ("Sở Lao động, Thương binh và Xã hội", [("Sở Lao động, Thương binh và Xã hội", "Sở Lao động - Thương binh và Xã hội", "agency")]),
    # merged bodies keep their own name
    ("Sở Kế hoạch và Đầu tư (nay là Sở Tài chính)",
     [("Sở Kế hoạch và Đầu tư", "Sở Kế hoạch và Đầu tư", "agency"), ("Sở Tài chính", "Sở Tài chính", "agency")]),
    # people's committees, levels and places
    ("Giao UBND tỉnh chỉ đạo.", [("UBND tỉnh", "Ủy ban nhân dân tỉnh", "agency")]),
    ("VP UBND tỉnh tổng hợp", [("VP UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh", "agency")]),
    ("Ủy ban nhân dân tỉnh Lâm Đồng", [("Ủy ban nhân dân tỉnh Lâm Đồng", "Ủy ban nhân dân tỉnh Lâm Đồng", "agency")]),
    ("Uỷ ban nhân dân tỉnh Bắc Ninh", [("Uỷ ban nhân dân tỉnh Bắc Ninh", "Ủy ban nhân dân tỉnh Bắc Ninh", "agency")]),
    ("Ủy ban nhân dân Thành phố", [("Ủy ban nhân dân Thành phố", "Ủy ban nhân dân Thành phố", "agency")]),
    ("UBND TP. Hồ Chí Minh", [("UBND TP. Hồ Chí Minh", "Ủy ban nhân dân thành phố Hồ Chí Minh", "agency")]),
    ("Ủy ban nhân dân xã Lương Minh", [("Ủy ban nhân dân xã Lương Minh", "Ủy ban nhân dân xã Lương Minh", "agency")]),
    ("UBND xã Bảo Lâm 2", [("UBND xã Bảo Lâm 2", "Ủy ban nhân dân xã Bảo Lâm 2", "agency")]),
    ("Hội đồng nhân dân tỉnh", [("Hội đồng nhân dân tỉnh", "Hội đồng nhân dân tỉnh", "agency")]),
    ("TT HĐND tỉnh", [("TT HĐND tỉnh", "Thường trực Hội đồng nhân dân tỉnh", "agency")]),
    ("Thường trực Tỉnh ủy", [("Thường trực Tỉnh ủy", "Thường trực Tỉnh ủy", "agency")]),
    ("Văn phòng Đoàn ĐBQH và HĐND tỉnh",
     [("Văn phòng Đoàn ĐBQH và HĐND tỉnh", "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh", "agency")]),
    # upper-case headers
    ("UBND TỈNH LAI CHÂU\nSỞ NỘI VỤ",
     [("UBND TỈNH LAI CHÂU", "Ủy ban nhân dân tỉnh Lai Châu", "agency"), ("SỞ NỘI VỤ", "Sở Nội vụ", "agency")]),
    ("ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG", [("ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG", "Ủy ban nhân dân tỉnh Lâm Đồng", "agency")]),
    ("KẾ HOẠCH CỦA ỦY BAN NHÂN DÂN TỈNH NĂM 2025", [("ỦY BAN NHÂN DÂN TỈNH", "Ủy ban nhân dân tỉnh", "agency")]),
    ("SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG TỈNH QUẢNG TRỊ",
     [("SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG TỈNH QUẢNG TRỊ", "Sở Nông nghiệp và Môi trường tỉnh Quảng Trị", "agency")]),
    ("ỦY BAN MTTQ VIỆT NAM XÃ LƯƠNG MINH",
     [("ỦY BAN MTTQ VIỆT NAM XÃ LƯƠNG MINH", "Ủy ban Mặt trận Tổ quốc Việt Nam xã Lương Minh", "agency")]),
    # sector bodies keep their level words
    ("Bảo hiểm xã hội Thành phố", [("Bảo hiểm xã hội Thành phố", "Bảo hiểm xã hội Thành phố", "agency")]),
    ("Công an tỉnh chủ trì", [("Công an tỉnh", "Công an tỉnh", "agency")]),
    ("Đài PT-TH Đồng Nai", [("Đài PT-TH Đồng Nai", "Đài Phát thanh và Truyền hình Đồng Nai", "agency")]),
    ("Bộ CHQS tỉnh", [("Bộ CHQS tỉnh", "Bộ Chỉ huy Quân sự tỉnh", "agency")]),
    ("Kho bạc Nhà nước khu vực XVI", [("Kho bạc Nhà nước khu vực XVI", "Kho bạc Nhà nước khu vực XVI", "agency")]),
    ("Chi nhánh Ngân hàng Chính sách xã hội Thành phố",
     [("Chi nhánh Ngân hàng Chính sách xã hội Thành phố", "Chi nhánh Ngân hàng Chính sách xã hội Thành phố", "agency")]),
    ("Trung tâm PVHCC tỉnh", [("Trung tâm PVHCC tỉnh", "Trung tâm Phục vụ hành chính công tỉnh", "agency")]),
    ("Viettel Lâm Đồng và VNPT Lâm Đồng",
     [("Viettel Lâm Đồng", "Viettel Lâm Đồng", "agency"), ("VNPT Lâm Đồng", "VNPT Lâm Đồng", "agency")]),
    ("Bru điện tỉnh", [("Bru điện tỉnh", "Bưu điện tỉnh", "agency")]),
    ("Ủy ban MTTQ Việt Nam tỉnh", [("Ủy ban MTTQ Việt Nam tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "agency")]),
    ("Hội LHPN tỉnh", [("Hội LHPN tỉnh", "Hội Liên hiệp Phụ nữ tỉnh", "agency")]),
    ("Tỉnh đoàn, Hội Nông dân tỉnh",
     [("Tỉnh đoàn", "Tỉnh đoàn", "agency"), ("Hội Nông dân tỉnh", "Hội Nông dân tỉnh", "agency")]),
    # collectives
    ("Các sở, ban, ngành chủ động triển khai.", [("Các sở, ban, ngành", "Các sở, ban, ngành", "group")]),
    ("các sở, ban, ngành, địa phương", [("các sở, ban, ngành, địa phương", "Các sở, ban, ngành, địa phương", "group")]),
    ("UBND cấp huyện", [("UBND cấp huyện", "Ủy ban nhân dân cấp huyện", "group")]),
    ("UBND cấp xã", [("UBND cấp xã", "Ủy ban nhân dân cấp xã", "group")]),
    ("Ủy ban nhân dân các huyện, thị xã, thành phố",
     [("Ủy ban nhân dân các huyện, thị xã, thành phố", "Ủy ban nhân dân các huyện, thị xã, thành phố", "group")]),
    ("Ủy ban nhân dân xã, phường, đặc khu", [("Ủy ban nhân dân xã, phường, đặc khu", "Ủy ban nhân dân xã, phường, đặc khu", "group")]),
    ("UBND các phường, xã trên địa bàn tỉnh",
     [("UBND các phường, xã trên địa bàn tỉnh", "Ủy ban nhân dân các phường, xã trên địa bàn tỉnh", "group")]),
    ("các cơ quan, đơn vị, địa phương có liên quan",
     [("các cơ quan, đơn vị, địa phương có liên quan", "Các cơ quan, đơn vị, địa phương có liên quan", "group")]),
    ("Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
     [("Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương", "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương", "group")]),
    ("Ủy ban MTTQ Việt Nam tỉnh và các Hội",
     [("Ủy ban MTTQ Việt Nam tỉnh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "agency"), ("các Hội", "Các Hội", "group")]),
    ("CÁC CƠ QUAN, ĐƠN VỊ", [("CÁC CƠ QUAN, ĐƠN VỊ", "Các cơ quan, đơn vị", "group")]),
    ("Các Sở: Tư pháp, Nội vụ phối hợp.",
     [("Tư pháp", "Sở Tư pháp", "agency"), ("Nội vụ", "Sở Nội vụ", "agency")]),
    ("Các Bộ: KH&CN, Tư pháp", [("KH&CN", "Bộ Khoa học và Công nghệ", "agency"), ("Tư pháp", "Bộ Tư pháp", "agency")]),
    # a plural head written once distributes over the names after its colon; each name ends where the composed
    # body ends ("Bộ Y tế" before "nghiên cứu"), a comma inside a name stays in it
    ("a) Các Bộ: Công Thương, Văn hóa, Thể thao và Du lịch, Y tế nghiên cứu nội dung báo cáo của Bộ Tư pháp",
     [("Công Thương", "Bộ Công Thương", "agency"), ("Văn hóa, Thể thao và Du lịch", "Bộ Văn hóa, Thể thao và Du lịch", "agency"),
      ("Y tế", "Bộ Y tế", "agency"), ("Bộ Tư pháp", "Bộ Tư pháp", "agency")]),
    ("(gồm các Sở: Xây dựng, Nông nghiệp và Môi trường)",
     [("Xây dựng", "Sở Xây dựng", "agency"), ("Nông nghiệp và Môi trường", "Sở Nông nghiệp và Môi trường", "agency")]),
    ("Các Ban: Tuyên giáo và Dân vận, Nội chính phối hợp",
     [("Tuyên giáo và Dân vận", "Ban Tuyên giáo và Dân vận", "agency"), ("Nội chính", "Ban Nội chính", "agency")]),
    ("UBND các xã: Đức Trọng, Hiệp Thạnh, Đinh Văn Lâm Hà các vấn đề",
     [("Đức Trọng", "Ủy ban nhân dân xã Đức Trọng", "agency"), ("Hiệp Thạnh", "Ủy ban nhân dân xã Hiệp Thạnh", "agency"),
      ("Đinh Văn Lâm Hà", "Ủy ban nhân dân xã Đinh Văn Lâm Hà", "agency")]),
    ("Ủy ban nhân dân các thành phố: Hà Nội, Cần Thơ thực hiện",
     [("Hà Nội", "Ủy ban nhân dân thành phố Hà Nội", "agency"), ("Cần Thơ", "Ủy ban nhân dân thành phố Cần Thơ", "agency")]),
    ("Chủ tịch UBND các xã: Đức Trọng, Hiệp Thạnh chỉ đạo",
     [("Đức Trọng", "Chủ tịch Ủy ban nhân dân xã Đức Trọng", "role"),
      ("Hiệp Thạnh", "Chủ tịch Ủy ban nhân dân xã Hiệp Thạnh", "role")]),
    ("Các Sở: Tư pháp, Sở Nội vụ", [("Tư pháp", "Sở Tư pháp", "agency"), ("Sở Nội vụ", "Sở Nội vụ", "agency")]),
    # places and unsaid levels do not distribute
    ("quy hoạch chung các xã: Đức Trọng, Hiệp Thạnh", [("các xã", "Các xã", "group")]),
    ("UBND các xã, phường: Đức Trọng, Hiệp Thạnh",
     [("UBND các xã, phường", "Ủy ban nhân dân các xã, phường", "group")]),
    ("Các sở, ban, ngành: Tư pháp", [("Các sở, ban, ngành", "Các sở, ban, ngành", "group")]),
    # roles
    ("Giám đốc Sở Nội vụ chịu trách nhiệm", [("Giám đốc Sở Nội vụ", "Giám đốc Sở Nội vụ", "role")]),
    ("Chủ tịch Ủy ban nhân dân các huyện", [("Chủ tịch Ủy ban nhân dân các huyện", "Chủ tịch Ủy ban nhân dân các huyện", "role")]),
    ("Thủ trưởng các sở, ban, ngành", [("Thủ trưởng các sở, ban, ngành", "Thủ trưởng các sở, ban, ngành", "role")]),
    ("Chánh Văn phòng UBND tỉnh", [("Chánh Văn phòng UBND tỉnh", "Chánh Văn phòng Ủy ban nhân dân tỉnh", "role")]),
    ("Lãnh đạo UBND tỉnh chủ trì", [("Lãnh đạo UBND tỉnh", "Lãnh đạo Ủy ban nhân dân tỉnh", "role")]),
    ("PCT UBND tỉnh", [("PCT UBND tỉnh", "Phó Chủ tịch Ủy ban nhân dân tỉnh", "role")]),
    ("Quyết định của Thủ tướng Chính phủ", [("Thủ tướng Chính phủ", "Thủ tướng Chính phủ", "role")]),
    ("Thứ trưởng Bộ Công an", [("Thứ trưởng Bộ Công an", "Thứ trưởng Bộ Công an", "role")]),
    # lists of offices: a bare "Bộ trưởng" opening the list, a role over a kind of body without "các",
    # a role over a list of kinds (one office per kind; the collective after "các" stays whole)
    ("Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực tiếp chỉ đạo",
     [("Bộ trưởng", "Bộ trưởng", "role"), ("Thủ trưởng cơ quan ngang bộ", "Thủ trưởng cơ quan ngang bộ", "role"),
      ("Chủ tịch Ủy ban nhân dân các tỉnh, thành phố", "Chủ tịch Ủy ban nhân dân các tỉnh, thành phố", "role")]),
    ("Các đồng chí Bộ trưởng, Thủ trưởng cơ quan ngang Bộ, cơ quan thuộc Chính phủ theo chức năng",
     [("Bộ trưởng", "Bộ trưởng", "role"), ("Thủ trưởng cơ quan ngang Bộ", "Thủ trưởng cơ quan ngang Bộ", "role"),
      ("cơ quan thuộc Chính phủ", "Thủ trưởng cơ quan thuộc Chính phủ", "role")]),
    ("Thủ trưởng các cơ quan ngang bộ, cơ quan thuộc Chính phủ",
     [("Thủ trưởng các cơ quan ngang bộ, cơ quan thuộc Chính phủ",
       "Thủ trưởng các cơ quan ngang bộ, cơ quan thuộc Chính phủ", "role")]),
    ("Thủ trưởng cơ quan, đơn vị chịu trách nhiệm", [("Thủ trưởng cơ quan, đơn vị", "Thủ trưởng cơ quan, đơn vị", "role")]),
    ("Thủ trưởng cơ quan ngang Bộ, cơ quan thuộc Chính phủ có liên quan",
     [("Thủ trưởng cơ quan ngang Bộ, cơ quan thuộc Chính phủ có liên quan",
       "Thủ trưởng cơ quan ngang Bộ, cơ quan thuộc Chính phủ có liên quan", "role")]),
    ("Bộ trưởng chỉ đạo", []),
    # a determiner before an office is in its text, not its name; "Các Bộ" is no collective in "Các Bộ trưởng"
    ("Các Bộ trưởng, Thủ trưởng cơ quan ngang bộ", [("Các Bộ trưởng", "Bộ trưởng", "role"),
                                                  ("Thủ trưởng cơ quan ngang bộ", "Thủ trưởng cơ quan ngang bộ", "role")]),
    ("các Phó Chủ tịch UBND tỉnh", [("các Phó Chủ tịch UBND tỉnh", "Phó Chủ tịch Ủy ban nhân dân tỉnh", "role")]),
    ("Người đứng đầu cơ quan chuyên môn về văn hóa", []),
    ("Bộ trưởng, Ủy ban nhân dân tỉnh", [("Ủy ban nhân dân tỉnh", "Ủy ban nhân dân tỉnh", "agency")]),
    # not bodies
    ("cơ sở Văn hóa và Thể thao", []),
    ("CƠ SỞ GIÁO DỤC VÀ ĐÀO TẠO", []),
    ("các tổ chức, cá nhân", []),
    ("các hội viên và các bộ phận", []),
    ("Hội nghị trực tuyến", []),
    ("Sở hữu trí tuệ", []),
    ("Căn cứ Kế hoạch số 690/KH-UBND ngày 13/02/2023", []),
    ("Luật Bảo hiểm xã hội", []),
    ("Báo cáo kết quả", []),
]


@pytest.mark.parametrize(("text", "expected"), FIND_CASES, ids=[c[0][:40] for c in FIND_CASES])
def test_find_agencies(text: str, expected: list[tuple[str, str, str]]) -> None:
    found = find_agencies(text)
    assert brief(found) == expected
    for m in found:
        assert text[m.start:m.end] == m.text


@pytest.mark.parametrize(("text", "start", "end", "known", "entry_id"), [
    ("Giao Sở Nội vụ chủ trì.", 5, 14, True, "so-noi-vu"),
    ("  Sở Hạ tầng Số, Sở Y tế", 2, 15, False, None),
    ("Trung tâm Huấn luyện và Thi đấu thể thao tỉnh chủ trì", 0, 45, False, None),
    ("Ban Quản lý dự án đầu tư xây dựng tỉnh chủ trì", 0, 38, False, None),
    ("Ban Chỉ đạo cải cách hành chính tỉnh", 0, 36, True, "ban-chi-dao-cai-cach-hanh-chinh"),
    ("(Sở Tư pháp)", 1, 11, True, "so-tu-phap"),
    ("Giám đốc Sở Nội vụ", 0, 18, True, "giam-doc+so-noi-vu"),
    ("Ban Thường vụ Liên đoàn Bóng bàn tỉnh Lâm Đồng", 0, 46, False, None),
])
def test_offsets_and_known(text: str, start: int, end: int, known: bool, entry_id: str | None) -> None:
    m = find_agencies(text)[0]
    assert (m.start, m.end, m.known, m.entry_id) == (start, end, known, entry_id)
    assert text[m.start:m.end] == m.text


@pytest.mark.parametrize(("text", "known", "entry_id"), [
    ("Các Bộ: Ngoại thương, Tư pháp", [False, True], [None, "bo-tu-phap"]),  # "Bộ" is a shape head
    ("Các Sở: Hạ tầng Số, Tư pháp", [False, True], [None, "so-tu-phap"]),
])
def test_list_names_validated_against_the_gazetteer(text: str, known: list[bool], entry_id: list[str | None]) -> None:
    found = find_agencies(text)
    assert [m.known for m in found] == known and [m.entry_id for m in found] == entry_id
    assert all(m.head_start == 0 and text[m.start:m.end] == m.text for m in found)


def test_list_names_keep_their_head() -> None:
    text = "Đề nghị UBND các xã: Đức Trọng, Hiệp Thạnh và Sở Xây dựng thực hiện"
    found = find_agencies(text)
    assert [(m.text, m.head_start) for m in found] == [("Đức Trọng", 8), ("Hiệp Thạnh", 8), ("Sở Xây dựng", None)]
    nfd = unicodedata.normalize("NFD", "Đề nghị Các Sở: Tư pháp, Nội vụ")  # offsets into the text as given
    assert {unicodedata.normalize("NFC", nfd[m.head_start:m.head_start + 4]) for m in find_agencies(nfd)} == {"Các"}
    # a cell names the bodies, not the head as a collective of its own
    assert [m.name for m in split_agency_list("UBND các xã: Đức Trọng, Hiệp Thạnh")] == [
        "Ủy ban nhân dân xã Đức Trọng", "Ủy ban nhân dân xã Hiệp Thạnh"]


def test_decomposed_input_offsets() -> None:
    text = "Giao " + unicodedata.normalize("NFD", "Sở Tư pháp") + " chủ trì"
    (m,) = find_agencies(text)
    assert text[m.start:m.end] == m.text and m.name == "Sở Tư pháp" and m.start == 5


# ----------------------------------------------------------------- split_agency_list on cells
SPLIT_CASES: list[tuple[str, list[str]]] = [
    ("Sở Tư pháp, Sở Tài chính và các cơ quan liên quan", ["Sở Tư pháp", "Sở Tài chính", "Các cơ quan liên quan"]),
    ("- Sở Nội vụ\n- Sở Y tế\n- Sở Tài chính", ["Sở Nội vụ", "Sở Y tế", "Sở Tài chính"]),
    ("Các sở, ban, ngành; UBND các phường, xã", ["Các sở, ban, ngành", "Ủy ban nhân dân các phường, xã"]),
    ("Các sở, ban, ngành", ["Các sở, ban, ngành"]),
    ("Sở Tư pháp, Tài chính", ["Sở Tư pháp", "Sở Tài chính"]),
    ("Sở Khoa học và Công nghệ; Sở Tư pháp; Sở Văn hóa, Thể thao và Du lịch",
     ["Sở Khoa học và Công nghệ", "Sở Tư pháp", "Sở Văn hóa, Thể thao và Du lịch"]),
    ("Văn phòng Chính phủ, Bộ Công an", ["Văn phòng Chính phủ", "Bộ Công an"]),
    ("Bru điện tỉnh, Viên thông Lâm Đồng", ["Bưu điện tỉnh", "Viễn thông Lâm Đồng"]),
    ("Công an tỉnh\nCác sở, ban, ngành; UBND các phường xã", ["Công an tỉnh", "Các sở, ban, ngành", "Ủy ban nhân dân các phường, xã"]),
    ("Sở Nội vụ (chủ trì)", ["Sở Nội vụ"]),
    ("UBND tỉnh Nghệ An", ["Ủy ban nhân dân tỉnh Nghệ An"]),
]


@pytest.mark.parametrize(("cell", "names"), SPLIT_CASES, ids=[c[0][:40] for c in SPLIT_CASES])
def test_split_agency_list(cell: str, names: list[str]) -> None:
    found = split_agency_list(cell)
    assert [m.name for m in found] == names
    assert all(cell[m.start:m.end] == m.text for m in found)
    assert all(a.end <= b.start for a, b in zip(found, found[1:], strict=False))


@pytest.mark.parametrize(("phrase", "name", "text"), [
    ("Bru điện tỉnh", "Bưu điện tỉnh", "Bru điện tỉnh"),
    ("Viên thông Lâm Đồng", "Viễn thông Lâm Đồng", "Viên thông Lâm Đồng"),
    ("  Sở Nội Vụ.", "Sở Nội vụ", "Sở Nội Vụ"),
    ("Sở Tài chánh", "Sở Tài chính", "Sở Tài chánh"),
    ("UBND tỉnh", "Ủy ban nhân dân tỉnh", "UBND tỉnh"),
])
def test_canonical_agency(phrase: str, name: str, text: str) -> None:
    m = canonical_agency(phrase)
    assert m is not None and (m.name, m.text) == (name, text)
    assert phrase[m.start:m.end] == m.text


@pytest.mark.parametrize("phrase", ["", "   ", "Thời gian thực hiện", "Năm 2025"])
def test_canonical_agency_none(phrase: str) -> None:
    assert canonical_agency(phrase) is None


@pytest.mark.parametrize(("raw", "fixed"), [
    ("hoà", "hòa"), ("thuỷ", "thủy"), ("Uỷ ban", "Ủy ban"), ("UỶ BAN", "ỦY BAN"), ("khoẻ", "khỏe"),
    ("quý", "quý"), ("hoàng", "hoàng"), ("Thanh Hoá", "Thanh Hóa"), ("hòa", "hòa"),
])
def test_normalize_tones(raw: str, fixed: str) -> None:
    assert normalize_tones(raw) == fixed


# ----------------------------------------------------------------- data files
def test_schema_of_every_line() -> None:
    seen: set[str] = set()
    names = {normalize_tones(e["name"]) for e in ENTRIES}
    for e in ENTRIES:
        for key, typ in REQUIRED.items():
            assert isinstance(e.get(key), typ), (e.get("id"), key)
        for key, value in e.items():
            assert key in REQUIRED or key in OPTIONAL, (e["id"], key)
            if key in OPTIONAL:
                assert isinstance(value, OPTIONAL[key]), (e["id"], key)
        assert e["kind"] in KINDS, e["id"]
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", e["id"]), e["id"]
        assert e["id"] not in seen, f"duplicate id {e['id']}"
        seen.add(e["id"])
        assert e["examples"], f"{e['id']} has no example"
        assert e.get("prefix") in (None, "role", "agency"), e["id"]
        assert e.get("place") in (None, True, False, "any"), e["id"]
        if "merged_into" in e:
            assert normalize_tones(e["merged_into"]) in names, e["id"]
        for key in ("aliases", "typos", "levels", "examples", "counter_examples", "not_after", "not_before"):
            assert all(isinstance(s, str) and s.strip() for s in e.get(key, [])), (e["id"], key)
    assert sum("grammar" in e for e in ENTRIES) == 1


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_examples_and_counter_examples(entry: dict[str, Any]) -> None:
    for text in entry["examples"]:
        found = find_agencies(text)
        hit = [m for m in found if entry["id"] in ids(m)]
        if entry.get("head"):  # a shape entry: an unknown body that starts with the head (or a typo of it)
            head = entry["name"].lower()
            hit += [m for m in found if not m.known and (m.text.lower().startswith(head) or m.name.lower().startswith(head))]
        if entry.get("distributes"):  # "Các Sở: Tư pháp, Nội vụ" gives the departments
            hit += [m for m in found if m.name.startswith(entry["distributes"] + " ") and m.text[0].isupper()]
        for noun, head in entry.get("grammar", {}).get("distributes", {}).items():  # "Các Ban: …" gives Ban …
            hit += [m for m in found if m.head_start is not None and m.name.startswith(head + " ")
                    and text[m.head_start:].lower().split(":")[0].endswith(noun)]
        assert hit, f"{entry['id']}: not found in {text!r}: {brief(found)}"
    for text in entry["counter_examples"]:
        found = find_agencies(text)
        assert not [m for m in found if entry["id"] in ids(m)], f"{entry['id']}: found in {text!r}: {brief(found)}"
        if entry.get("head"):
            assert not [m for m in found if not m.known], f"{entry['id']}: shape found in {text!r}: {brief(found)}"


def _flat(s: str) -> str:
    return " ".join(normalize_tones(s).replace(",", " ").replace(" - ", " ").lower().split())


@pytest.mark.parametrize("row", ABBREVIATIONS, ids=[f"{r[0]}={r[1]}" for r in ABBREVIATIONS])
def test_abbreviation_examples(row: list[str]) -> None:
    assert len(row) == 3, row
    abbr, expansion, example = row
    at = example.index(abbr)
    covering = [m for m in find_agencies(example) if m.start <= at < m.end]
    assert covering, f"{abbr}: nothing found over it in {example!r}"
    assert any(_flat(expansion) in _flat(m.name) for m in covering), (abbr, brief(covering))


def test_abbreviation_table_is_unique() -> None:
    pairs = [(r[0], r[1]) for r in ABBREVIATIONS]
    assert len(pairs) == len(set(pairs))


# ----------------------------------------------------------------- corpus invariants and speed
def _corpus_texts() -> list[tuple[str, str]]:
    files = sorted(CORPUS.glob("*.md")) + sorted(CORPUS.glob("*.txt"))
    return [(p.name, p.read_text(encoding="utf-8").replace("**", "")) for p in files]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus not present")
def test_corpus_spans_are_evidence() -> None:
    for name, text in _corpus_texts():
        found = find_agencies(text)
        assert found, name
        for a, b in zip(found, found[1:], strict=False):
            assert a.end <= b.start, (name, a, b)
        for m in found:
            assert text[m.start:m.end] == m.text, (name, m)
            assert m.text == m.text.strip() and (m.text[-1].isalnum() or unicodedata.combining(m.text[-1])), (name, m)
            assert m.name == unicodedata.normalize("NFC", m.name) and "  " not in m.name and m.name[0].isupper(), m
            assert m.kind in KINDS and (m.entry_id is None) == (not m.known) or m.known


@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus not present")
def test_speed_on_150_kb() -> None:
    text = "\n\n".join(t for _, t in _corpus_texts())[:150_000]
    find_agencies("warm up")
    best = min(_timed(text) for _ in range(3))
    assert best < 0.2, f"find_agencies took {best:.3f}s on 150 KB"


def _timed(text: str) -> float:
    start = time.perf_counter()
    find_agencies(text)
    return time.perf_counter() - start
