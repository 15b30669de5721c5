"""Attendee tables, counted prose lists, totals and TOTAL_MISMATCH (patterns/attendees.jsonl)."""

from __future__ import annotations

from typing import Any

import pytest

from extractor.extract.attendees import mode_of
from extractor.model import Record
from extractor.pipeline import process_source
from extractor.readers.base import SourceDoc
from extractor.readers.txt import parse_text
from extractor.rules import load_jsonl

from .conftest import processed


def _result(text: str) -> tuple[Record, str]:
    r = process_source(SourceDoc(parse_text(text), "txt"), path="t.txt", sha256="0")
    return r.record, r.text


TABLE = (
    "KẾ HOẠCH\n\nTổ chức Hội nghị tổng kết\n\n"
    "DANH SÁCH, SỐ LƯỢNG ĐẠI BIỂU\n\nMời dự Hội nghị tổng kết\n\n"
    "STT\tĐơn vị\tSố lượng\n1\tLãnh đạo UBND tỉnh\t1\n2\tSở Nội vụ\t02\n3\tCác sở, ngành\t{n}\n\tTổng cộng\t{total}\n"
)


@pytest.mark.parametrize(("n", "total", "computed", "warned"), [(5, 8, 8, False), (5, 9, 8, True), (7, 10, 10, False)])
def test_table_totals(n: int, total: int, computed: int, warned: bool) -> None:
    rec, text = _result(TABLE.format(n=n, total=total))
    assert len(rec.attendees) == 1
    a = rec.attendees[0]
    assert a.title == "DANH SÁCH, SỐ LƯỢNG ĐẠI BIỂU Mời dự Hội nghị tổng kết"
    assert [(r.index, r.unit, r.count) for r in a.rows] == [("1", "Lãnh đạo UBND tỉnh", 1), ("2", "Sở Nội vụ", 2),
                                                           ("3", "Các sở, ngành", n)]
    assert (a.stated_total, a.computed_total) == (total, computed)
    warnings = [w for w in rec.warnings if w.code == "TOTAL_MISMATCH"]
    assert bool(warnings) == warned
    for w in warnings:
        assert w.span is not None and "Tổng cộng" in text[w.span.start:w.span.end]
        assert str(total) in w.message and str(computed) in w.message
    for r in a.rows:
        assert text[r.span.start:r.span.end].strip() == text[r.span.start:r.span.end]


def test_counted_prose_list() -> None:
    rec, _ = _result(
        "KẾ HOẠCH\nTổ chức Hội nghị\nI. THÀNH PHẦN THAM DỰ\n"
        "- Lãnh đạo Sở Nội vụ: 02 người;\n- Phóng viên Báo tỉnh (03 người);\n"
        "- Các cơ quan, đơn vị (01 người/cơ quan, đơn vị).\n"
        "(Tổng số đại biểu dự kiến là 6 người)\nII. NỘI DUNG\n"
    )
    assert len(rec.attendees) == 1
    a = rec.attendees[0]
    # A per-unit quota ("01 người/cơ quan") is not a count.
    assert [(r.unit, r.count) for r in a.rows] == [("Lãnh đạo Sở Nội vụ: 02 người", 2),
                                                 ("Phóng viên Báo tỉnh (03 người)", 3),
                                                 ("Các cơ quan, đơn vị (01 người/cơ quan, đơn vị)", None)]
    # Not every member is counted: the rows do not add up to a total, so no mismatch is claimed.
    assert (a.stated_total, a.computed_total) == (6, None)
    assert not [w for w in rec.warnings if w.code == "TOTAL_MISMATCH"]


def test_counted_prose_list_mismatch() -> None:
    rec, _ = _result(
        "KẾ HOẠCH\nTổ chức Hội nghị\nI. THÀNH PHẦN THAM DỰ\n"
        "- Lãnh đạo Sở Nội vụ: 02 người;\n- Phóng viên Báo tỉnh (03 người);\n"
        "(Tổng số đại biểu dự kiến là 6 người)\nII. NỘI DUNG\n"
    )
    a = rec.attendees[0]
    assert (a.stated_total, a.computed_total) == (6, 5)
    assert [w.code for w in rec.warnings if w.code == "TOTAL_MISMATCH"] == ["TOTAL_MISMATCH"]


def test_uncounted_composition_is_not_an_attendee_list() -> None:
    rec, _ = _result("KẾ HOẠCH\nTổ chức Hội nghị\nI. THÀNH PHẦN THAM DỰ\n- Lãnh đạo Sở Nội vụ;\n- Các sở, ngành.\n")
    assert rec.attendees == []


def test_sample_table_is_not_an_attendee_table() -> None:
    rec, _ = _result("KẾ HOẠCH\nQuan trắc\nTT\tĐối tượng quan trắc\tSố lượng mẫu/lần\n1\tNguồn nước\t15\n")
    assert rec.attendees == []


def _data(kind: str) -> list[dict[str, Any]]:
    return [e for e in load_jsonl("attendees.jsonl") if e["kind"] == kind]


@pytest.mark.parametrize("kind", ["total_row", "stated_total", "row_count", "composition"])
def test_pattern_examples(kind: str) -> None:
    import regex

    for e in _data(kind):
        rxs = [regex.compile(p, regex.IGNORECASE) for p in e["patterns"]]
        for ex in e.get("examples", []):
            assert any(rx.search(ex) for rx in rxs), ex
        for ex in e.get("counter_examples", []):
            assert not any(rx.search(ex) for rx in rxs), ex


@pytest.mark.parametrize(("text", "mode"), [
    ("Thành phần tham dự trực tiếp tại Trung tâm hội nghị tỉnh", "in_person"),
    ("Thành phần tham dự Hội nghị theo hình thức trực tuyến tại Ủy ban nhân dân các huyện", "online"),
    ("Tham dự trực tiếp tại Hội trường và kết nối trực tuyến đến các huyện", "hybrid"),
    ("giải pháp nâng cao chỉ số đối với dịch vụ công (DVC) trực tuyến", None),
])
def test_mode_words(text: str, mode: str | None) -> None:
    assert mode_of(text) == mode


def test_seed_001_attendee_table() -> None:
    result = processed("001_7938789df888accd.txt")
    rec = result.record
    assert len(rec.attendees) == 1  # the section III.1 list states the same total: one list
    a = rec.attendees[0]
    assert len(a.rows) == 10
    assert [r.index for r in a.rows] == [str(i) for i in range(1, 11)]
    assert sum(r.count or 0 for r in a.rows) == 163
    assert (a.stated_total, a.computed_total) == (163, 163)
    assert a.title is not None and a.title.startswith("DANH SÁCH, SỐ LƯỢNG ĐẠI BIỂU")
    assert a.rows[0].unit == "Chủ trì: Lãnh đạo UBND tỉnh"
    assert not [w for w in rec.warnings if w.code == "TOTAL_MISMATCH"]
