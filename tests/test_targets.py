"""Targets: value parsing (patterns/target_values.jsonl), clause readings, target tables and seed 002."""

from __future__ import annotations

from typing import Any

import pytest

from extractor.extract.quantities import find_quantities, parse_number
from extractor.extract.target_clauses import clause_targets, split_clauses
from extractor.extract.target_tables import column_role
from extractor.extract.targets import split_index_list
from extractor.model import Record
from extractor.pipeline import process_source
from extractor.readers.base import SourceDoc
from extractor.readers.txt import parse_text
from extractor.rules import load_jsonl

from .conftest import processed


def _record(text: str) -> Record:
    return process_source(SourceDoc(parse_text(text), "txt"), path="t.txt", sha256="0").record


def _value_examples() -> list[tuple[str, list[Any]]]:
    return [(e["id"], ex) for e in load_jsonl("target_values.jsonl") for ex in e.get("examples", [])
            if isinstance(ex, list)]


@pytest.mark.parametrize(("entry", "example"), _value_examples(), ids=lambda x: str(x)[:40])
def test_value_examples(entry: str, example: list[Any]) -> None:
    text, value, number, unit, comparator = example
    found = find_quantities(text)
    assert found, f"{entry}: nothing found in {text!r}"
    q = found[0]
    assert (q.text, q.number, q.unit, q.comparator) == (value, number, unit, comparator)


@pytest.mark.parametrize("text", [ex for e in load_jsonl("target_values.jsonl") if e["kind"] == "unit"
                                  for ex in e.get("counter_examples", [])])
def test_unit_counter_examples(text: str) -> None:
    assert find_quantities(text) == []


@pytest.mark.parametrize(("text", "number"), [("2,1", 2.1), ("50.000", 50000.0), ("32,2", 32.2), ("100", 100.0),
                                              ("1.5", 1.5)])
def test_parse_number(text: str, number: float) -> None:
    assert parse_number(text) == number


@pytest.mark.parametrize(("text", "comparator"), [
    ("100%", ">="), ("Tối thiểu 30%", ">="), ("trên 98%", ">"), ("đạt 70%", ">="), ("dưới 5%", "<"),
    ("khoảng 22%", "~"), ("không quá 1,5 lần", "<="), ("≥ 80%", ">="), ("giảm 5%", ">="), ("gấp 30 lần", "="),
])
def test_comparators(text: str, comparator: str) -> None:
    assert find_quantities(text)[0].comparator == comparator


def test_rank_has_no_number() -> None:
    q = find_quantities("Trong nhóm 20 địa phương dẫn đầu cả nước")[0]
    assert (q.kind, q.unit, q.number, q.comparator) == ("rank", "rank", None, None)


def test_range_keeps_text_and_lower_bound() -> None:
    q = find_quantities("Tốc độ tăng trưởng đạt 10 - 13%/năm")[0]
    assert (q.text, q.number, q.unit) == ("10 - 13%/năm", 10.0, "%")


def _pairs(text: str, **kw: Any) -> list[tuple[str, str]]:
    return [(t.indicator, t.quantity.text) for s, e in split_clauses(text) for t in clause_targets(text[s:e], **kw)]


@pytest.mark.parametrize(("text", "expected"), [
    ("- Tỷ lệ hồ sơ trực tuyến trên tổng số hồ sơ tiếp nhận đạt 70%; tỷ lệ số hóa hồ sơ đạt 90%.",
     [("Tỷ lệ hồ sơ trực tuyến trên tổng số hồ sơ tiếp nhận", "70%"), ("Tỷ lệ số hóa hồ sơ", "90%")]),
    ("- Tối thiểu 30% số cơ quan chuyên môn được kiểm tra cải cách hành chính.",
     [("Số cơ quan chuyên môn được kiểm tra cải cách hành chính", "Tối thiểu 30%")]),
    ("phấn đấu đến năm 2026 giảm 5% biên chế công chức, 10% biên chế hưởng lương so với năm 2021.",
     [("Giảm biên chế công chức so với năm 2021", "giảm 5%"),
      ("Giảm biên chế hưởng lương so với năm 2021", "10%")]),
    ("- 90% hồ sơ công việc tại cơ quan cấp tỉnh, 80% đối với cơ quan cấp huyện được tạo lập dưới dạng điện tử.",
     [("Hồ sơ công việc tại cơ quan cấp tỉnh được tạo lập dưới dạng điện tử", "90%"),
      ("Hồ sơ công việc tại cơ quan cấp huyện được tạo lập dưới dạng điện tử", "80%")]),
    ("(5) Phát triển và triển khai tối thiểu 01 sàn giao dịch dữ liệu;",
     [("Phát triển và triển khai sàn giao dịch dữ liệu", "tối thiểu 01 sàn")]),
    ("- Tại địa bàn đô thị: 100% trẻ em được tiếp cận giáo dục mầm non.",
     [("Tại địa bàn đô thị: Trẻ em được tiếp cận giáo dục mầm non", "100%")]),
    ("+ Lắp đặt mới trạm 3G/4G: 58 trạm (Trong đó: VNPT: 25 trạm, Viettel: 33 trạm);",
     [("Lắp đặt mới trạm 3G/4G", "58 trạm")]),
    ("Phấn đấu trợ giúp pháp lý cho 100% số người vi phạm pháp luật khi có yêu cầu.",
     [("Số người vi phạm pháp luật khi có yêu cầu được trợ giúp pháp lý", "100%")]),
    ("Đến năm 2030, tỉnh có ít nhất 20 tập dữ liệu mở được công bố.",
     [("Số tập dữ liệu mở được công bố", "ít nhất 20 tập dữ liệu")]),
    ("1. Phấn đấu kết quả Chỉ số PAPI năm 2026 nằm trong nhóm 15 tỉnh, thành phố dẫn đầu cả nước.",
     [("Kết quả Chỉ số PAPI năm 2026", "nằm trong nhóm 15 tỉnh, thành phố dẫn đầu cả nước")]),
])
def test_clause_readings(text: str, expected: list[tuple[str, str]]) -> None:
    assert _pairs(text) == expected


def test_baselines_and_parenthesised_figures_are_not_targets() -> None:
    assert _pairs("Hiện nay, tổng số trạm 5G là 87 trạm.") == []
    assert _pairs("Hiện có 28 trạm 5G (chiếm 32,2 %).") == []


def test_outside_goals_a_cue_is_needed() -> None:
    text = "Tăng cường kiểm tra; 100% hồ sơ được số hóa."
    from extractor.extract.targets import _cue_rx

    assert [t for s, e in split_clauses(text) for t in clause_targets(text[s:e], require_cue=True,
                                                                       cue_rx=_cue_rx())] == []
    assert _pairs("cụ thể: Phấn đấu tổng tỷ suất sinh đạt 2,1 con/phụ nữ", require_cue=True, cue_rx=_cue_rx()) == [
        ("Tổng tỷ suất sinh", "2,1 con/phụ nữ")]


def test_index_list_is_split() -> None:
    assert split_index_list("Kết quả đánh giá các Chỉ số PAR Index, SIPAS, PAPI năm 2026") == [
        "Kết quả đánh giá Chỉ số PAR Index năm 2026", "Kết quả đánh giá Chỉ số SIPAS năm 2026",
        "Kết quả đánh giá Chỉ số PAPI năm 2026"]
    assert split_index_list("Tỷ lệ hồ sơ trực tuyến") == ["Tỷ lệ hồ sơ trực tuyến"]


@pytest.mark.parametrize("entry", load_jsonl("target_columns.jsonl"), ids=lambda e: e["id"])
def test_column_examples(entry: dict[str, Any]) -> None:
    for ex in entry["examples"]:
        assert column_role(ex) == entry["role"], ex


def test_goals_section_and_plan_year() -> None:
    rec = _record("KẾ HOẠCH\nCải cách hành chính năm 2025\nII. MỤC TIÊU, CHỈ TIÊU\n"
                  "- Tỷ lệ hồ sơ trực tuyến đạt 70%; tỷ lệ số hóa hồ sơ đạt 90%.\n"
                  "III. NHIỆM VỤ\n1. Sở Nội vụ\n- Bảo đảm 100% hồ sơ được số hóa.\n")
    assert [(t.indicator, t.value.number, t.year, t.section) for t in rec.targets] == [
        ("Tỷ lệ hồ sơ trực tuyến", 70.0, 2025, "II"), ("Tỷ lệ số hóa hồ sơ", 90.0, 2025, "II")]


def test_target_table_inherits_merged_and_ditto_cells() -> None:
    rec = _record(
        "KẾ HOẠCH\nCải cách hành chính năm 2025\nPHỤ LỤC 1\nCÁC CHỈ TIÊU\n"
        "STT\tChỉ tiêu\tChỉ tiêu phấn đấu năm 2025\tĐơn vị theo dõi\tĐơn vị thực hiện\n"
        "1\tChính quyền số\t\t\t\n"
        "1.1\tTỷ lệ lập hồ sơ công việc trên môi trường mạng:\t\tSở Nội vụ\tCác sở, ngành thuộc tỉnh\n"
        "\t- Các sở, ngành\t90%\t-\t-\n"
        "\t- Ủy ban nhân dân các xã\t60%\t-\t-\n"
        "1.2\tTỷ lệ thanh toán trực tuyến\tTối thiểu 30%\tVăn phòng UBND tỉnh\t\n"
    )
    got = [(t.table_row.row if t.table_row else None, t.indicator, t.value.text, t.year,
            [a.name for a in t.monitor], [a.name for a in t.implementers]) for t in rec.targets]
    assert got == [
        ("1.1", "Tỷ lệ lập hồ sơ công việc trên môi trường mạng: Các sở, ngành", "90%", 2025, ["Sở Nội vụ"],
         ["Các sở, ngành thuộc tỉnh"]),
        ("1.1", "Tỷ lệ lập hồ sơ công việc trên môi trường mạng: Ủy ban nhân dân các xã", "60%", 2025,
         ["Sở Nội vụ"], ["Các sở, ngành thuộc tỉnh"]),
        ("1.2", "Tỷ lệ thanh toán trực tuyến", "Tối thiểu 30%", 2025, ["Văn phòng Ủy ban nhân dân tỉnh"],
         ["Các sở, ngành thuộc tỉnh"]),
    ]
    assert all(t.table_row is not None and t.table_row.table == "PHỤ LỤC 1" for t in rec.targets)


def test_results_table_is_not_a_target_table() -> None:
    rec = _record("BÁO CÁO\nSố liệu\nSTT\tChỉ tiêu thống kê\tKết quả thống kê\n1\tTỷ lệ hồ sơ trực tuyến\t70%\n")
    assert rec.targets == []


SEED_002 = "002_cb22d10497566f9f.txt"


def test_seed_002_section_ii2_targets() -> None:
    rec = processed(SEED_002).record
    prose = [t for t in rec.targets if t.table_row is None]
    assert all(t.section and t.section.startswith("II.2") for t in prose)
    for indicator, value in [
        ("Số cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh", "Tối thiểu 30%"),
        ("Tỷ lệ hồ sơ trực tuyến trên tổng số hồ sơ", "70%"),
        ("Tỷ lệ số hóa hồ sơ, kết quả giải quyết", "90%"),
        ("Tỷ lệ hồ sơ thủ tục hành chính do các cơ quan", "trên 98% trở lên"),
        ("Giảm biên chế công chức so với năm 2021", "giảm 5%"),
        ("Giảm biên chế hưởng lương từ ngân sách", "10%"),
        ("Hồ sơ công việc tại Ủy ban nhân dân cấp xã", "60%"),
        ("Các chỉ tiêu đề ra theo Quyết định số 3416/QĐ-UBND", "Hoàn thành"),
    ]:
        assert any(t.indicator.startswith(indicator) and t.value.text == value for t in prose), indicator
    assert len(prose) == 26
    years = {t.indicator[:25]: t.year for t in prose}
    assert years["Giảm biên chế công chức s"] == 2026


def test_seed_002_appendix_1_rows_with_agencies() -> None:
    rec = processed(SEED_002).record
    rows = [t for t in rec.targets if t.table_row is not None]
    assert {t.table_row.table for t in rows if t.table_row} == {"PHỤ LỤC 1"}
    keys = [t.table_row.row for t in rows if t.table_row]
    assert keys == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9", "2", "3.1", "3.1", "3.1", "3.2",
                    "4", "4", "5", "6.1", "7.1", "7.1", "7.1"] + ["7.2"] * 14 + ["7.3"]
    assert all(t.monitor and t.implementers for t in rows)
    by_row = {t.table_row.row: t for t in rows if t.table_row}
    # Row 1.5 continues on the next page: its value is joined by document.py.
    assert by_row["1.5"].value.text.endswith("nhóm 05 địa phương dẫn đầu khu vực Nam Trung bộ và Tây Nguyên")
    assert by_row["1.5"].value.unit == "rank" and by_row["1.5"].value.number is None
    assert [a.name for a in by_row["1.5"].implementers][-2:] == ["Ủy ban nhân dân cấp huyện", "Ủy ban nhân dân cấp xã"]
    assert (by_row["1.6"].value.number, by_row["1.6"].value.unit, by_row["1.6"].value.comparator) == (90.0, "điểm", ">")
    sub71 = [t for t in rows if t.table_row and t.table_row.row == "7.1"]
    assert [t.value.text for t in sub71] == ["90%", "80%", "60%"]
    assert all([a.name for a in t.monitor] == ["Sở Thông tin và Truyền thông", "Sở Nội vụ"] for t in sub71)
    sub72 = [t for t in rows if t.table_row and t.table_row.row == "7.2"]
    assert all([a.name for a in t.monitor] == ["Văn phòng Ủy ban nhân dân tỉnh"] for t in sub72)
    assert by_row["6.1"].value.text.startswith("Hoàn thành các chỉ tiêu") and by_row["6.1"].value.number is None
    assert all(t.year == 2025 for t in rows)


def test_target_spans_index_the_text() -> None:
    result = processed(SEED_002)
    for t in result.record.targets:
        evidence = result.text[t.span.start:t.span.end]
        assert evidence and evidence == evidence.strip()
        assert t.value.text.split()[-1].rstrip(".") in evidence or t.value.unit == "rank"


@pytest.mark.parametrize("entry", [e for e in load_jsonl("target_values.jsonl") if e.get("patterns")],
                         ids=lambda e: e["id"])
def test_pattern_examples(entry: dict[str, Any]) -> None:
    import regex

    rxs = [regex.compile(p, regex.IGNORECASE) for p in entry["patterns"]]
    for ex in entry.get("examples", []):
        text = ex[0] if isinstance(ex, list) else ex
        assert any(rx.search(text) for rx in rxs), text
    for ex in entry.get("counter_examples", []):
        assert not any(rx.search(ex) for rx in rxs), ex


@pytest.mark.parametrize("entry", [e for e in load_jsonl("target_values.jsonl") if e.get("words")],
                         ids=lambda e: e["id"])
def test_word_examples(entry: dict[str, Any]) -> None:
    for ex in entry.get("examples", []):
        text = (ex[0] if isinstance(ex, list) else ex).casefold()
        assert any(w.casefold() in text for w in entry["words"]), text
