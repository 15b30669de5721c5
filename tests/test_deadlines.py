"""Case tables for the deadline grammar (extractor/extract/deadlines.py).

Every example and counter-example of ``patterns/deadlines.jsonl`` runs here
too, so the vocabulary cannot drift from the code.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from extractor.extract.deadlines import (
    Deadline,
    DeadlineContext,
    find_deadlines,
    load_entries,
    parse_deadline_cell,
)

D = datetime.date
ROOT = Path(__file__).resolve().parents[1]
PLAN = DeadlineContext(plan_year=2025, issue_date=D(2024, 12, 20), event_date=D(2025, 3, 10))
TRAILING = " \t\n\u00a0,;:.!?\u2026-\u2013\u2014("

# (cell text, kind, date, start, end) with PLAN as context.
CELL_CASES: list[tuple[str, str, D | None, D | None, D | None]] = [
    # by: trigger + day
    ("trước ngày 16 tháng 7 năm 2024", "by", D(2024, 7, 16), None, None),
    ("Trước ngày 16/7/2024", "by", D(2024, 7, 16), None, None),
    ("chậm nhất ngày 24/02/2023", "by", D(2023, 2, 24), None, None),
    ("Chậm nhất là ngày 05/3/2025", "by", D(2025, 3, 5), None, None),
    ("Trước 15/12", "by", D(2025, 12, 15), None, None),
    ("hoàn thành trước ngày 10 tháng 12 năm 2025", "by", D(2025, 12, 10), None, None),
    ("Hoàn thành trước ngày 15/9/2025", "by", D(2025, 9, 15), None, None),
    ("Hoàn thành: Trước 30/6/2025", "by", D(2025, 6, 30), None, None),
    ("TRƯỚC NGÀY 16 THÁNG 7 NĂM 2024", "by", D(2024, 7, 16), None, None),
    ("trước ngày 28/02/2023", "by", D(2023, 2, 28), None, None),
    ("31/10/2025", "by", D(2025, 10, 31), None, None),
    ("30/09/2025", "by", D(2025, 9, 30), None, None),
    ("15.12.2025", "by", D(2025, 12, 15), None, None),
    ("15-12-2025", "by", D(2025, 12, 15), None, None),
    ("29/02/2024", "by", D(2024, 2, 29), None, None),
    ("Từ nay đến hết năm 2025", "by", D(2025, 12, 31), None, None),
    ("Đến hết tháng 6/2025", "by", D(2025, 6, 30), None, None),
    ("đến ngày 31/12/2025", "by", D(2025, 12, 31), None, None),
    ("Trước quý III/2025", "by", D(2025, 9, 30), None, None),
    # on: a set day
    ("ngày 18/7/2024", "on", D(2024, 7, 18), None, None),
    ("Ngày 18 tháng 7 năm 2024", "on", D(2024, 7, 18), None, None),
    ("nhân ngày 10/10", "on", D(2025, 10, 10), None, None),
    ("dự kiến trong buổi sáng ngày 18 tháng 7 năm 2024", "on", D(2024, 7, 18), None, None),
    ("Sáng ngày 21/11/2025", "on", D(2025, 11, 21), None, None),
    ("vào ngày 18/7/2024", "on", D(2024, 7, 18), None, None),
    ("trong ngày 30 tháng 4 năm 2026", "by", D(2026, 4, 30), None, None),
    ("07h45 - 8h00", "on", D(2025, 3, 10), None, None),
    ("10h30", "on", D(2025, 3, 10), None, None),
    ("8h00 ngày 18/7/2024", "on", D(2024, 7, 18), None, None),
    # month
    ("trong tháng 3 năm 2024", "month", D(2024, 3, 31), D(2024, 3, 1), D(2024, 3, 31)),
    ("xong trong tháng 12/2025", "month", D(2025, 12, 31), D(2025, 12, 1), D(2025, 12, 31)),
    ("Tháng 2", "month", D(2025, 2, 28), D(2025, 2, 1), D(2025, 2, 28)),
    ("Tháng 02/2025", "month", D(2025, 2, 28), D(2025, 2, 1), D(2025, 2, 28)),
    ("tháng 02 năm 2025", "month", D(2025, 2, 28), D(2025, 2, 1), D(2025, 2, 28)),
    ("Tháng 02/2024", "month", D(2024, 2, 29), D(2024, 2, 1), D(2024, 2, 29)),
    ("Tháng 12-2025", "month", D(2025, 12, 31), D(2025, 12, 1), D(2025, 12, 31)),
    ("Hoàn thành trong tháng 9/2025", "month", D(2025, 9, 30), D(2025, 9, 1), D(2025, 9, 30)),
    ("12/2025", "month", D(2025, 12, 31), D(2025, 12, 1), D(2025, 12, 31)),
    # quarter
    ("Quý III/2024", "quarter", D(2024, 9, 30), D(2024, 7, 1), D(2024, 9, 30)),
    ("quý I năm 2026", "quarter", D(2026, 3, 31), D(2026, 1, 1), D(2026, 3, 31)),
    ("quý I/2026", "quarter", D(2026, 3, 31), D(2026, 1, 1), D(2026, 3, 31)),
    ("Quý I", "quarter", D(2025, 3, 31), D(2025, 1, 1), D(2025, 3, 31)),
    ("Quý 4/2025", "quarter", D(2025, 12, 31), D(2025, 10, 1), D(2025, 12, 31)),
    ("QUÝ II NĂM 2025", "quarter", D(2025, 6, 30), D(2025, 4, 1), D(2025, 6, 30)),
    ("Qúy III/2024", "quarter", D(2024, 9, 30), D(2024, 7, 1), D(2024, 9, 30)),
    ("Quý\u00a0IV/2026", "quarter", D(2026, 12, 31), D(2026, 10, 1), D(2026, 12, 31)),
    ("trong Quý III/2025", "quarter", D(2025, 9, 30), D(2025, 7, 1), D(2025, 9, 30)),
    # year
    ("Năm 2025", "year", D(2025, 12, 31), D(2025, 1, 1), D(2025, 12, 31)),
    ("Trong năm 2025", "year", D(2025, 12, 31), D(2025, 1, 1), D(2025, 12, 31)),
    ("Hoàn thành trong năm 2025.", "year", D(2025, 12, 31), D(2025, 1, 1), D(2025, 12, 31)),
    ("2026", "year", D(2026, 12, 31), D(2026, 1, 1), D(2026, 12, 31)),
    ("Thời gian thực hiện: Năm 2026", "year", D(2026, 12, 31), D(2026, 1, 1), D(2026, 12, 31)),
    # range
    ("Tháng 3-4/2025", "range", D(2025, 4, 30), D(2025, 3, 1), D(2025, 4, 30)),
    ("Tháng 3, 4", "range", D(2025, 4, 30), D(2025, 3, 1), D(2025, 4, 30)),
    ("Tháng 11 - 12/2025", "range", D(2025, 12, 31), D(2025, 11, 1), D(2025, 12, 31)),
    ("trong tháng 11, tháng 12 năm 2025", "range", D(2025, 12, 31), D(2025, 11, 1), D(2025, 12, 31)),
    ("Quý IV/2025 - Quý II/2026", "range", D(2026, 6, 30), D(2025, 10, 1), D(2026, 6, 30)),
    ("Quý IV - Quý I/2026", "range", D(2026, 3, 31), D(2025, 10, 1), D(2026, 3, 31)),
    ("Quý I, II/2026", "range", D(2026, 6, 30), D(2026, 1, 1), D(2026, 6, 30)),
    ("6 tháng đầu năm 2025", "range", D(2025, 6, 30), D(2025, 1, 1), D(2025, 6, 30)),
    ("6 tháng cuối năm", "range", D(2025, 12, 31), D(2025, 7, 1), D(2025, 12, 31)),
    ("Năm 2025 - 2026", "range", D(2026, 12, 31), D(2025, 1, 1), D(2026, 12, 31)),
    ("2025-2026", "range", D(2026, 12, 31), D(2025, 1, 1), D(2026, 12, 31)),
    ("2026 - 2030", "range", D(2030, 12, 31), D(2026, 1, 1), D(2030, 12, 31)),
    ("Giai đoạn 2026\u20132030", "range", D(2030, 12, 31), D(2026, 1, 1), D(2030, 12, 31)),
    ("từ năm 2021 đến năm 2025", "range", D(2025, 12, 31), D(2021, 1, 1), D(2025, 12, 31)),
    ("từ ngày 06 đến ngày 10 tháng 3 năm 2023", "range", D(2023, 3, 10), D(2023, 3, 6), D(2023, 3, 10)),
    ("từ ngày 01/7/2025 đến ngày 31/12/2025", "range", D(2025, 12, 31), D(2025, 7, 1), D(2025, 12, 31)),
    ("Từ ngày 15/11 đến ngày 20/11/2025", "range", D(2025, 11, 20), D(2025, 11, 15), D(2025, 11, 20)),
    ("từ 15/12 đến 15/01/2026", "range", D(2026, 1, 15), D(2025, 12, 15), D(2026, 1, 15)),
    ("Từ tháng 3 đến tháng 9/2026", "range", D(2026, 9, 30), D(2026, 3, 1), D(2026, 9, 30)),
    ("từ tháng 12/2025 đến tháng 02/2026", "range", D(2026, 2, 28), D(2025, 12, 1), D(2026, 2, 28)),
    ("08 tháng (từ tháng 3 đến tháng 10)", "range", D(2025, 10, 31), D(2025, 3, 1), D(2025, 10, 31)),
    ("02 tháng (tháng 4 và tháng 8)", "range", D(2025, 8, 31), D(2025, 4, 1), D(2025, 8, 31)),
    ("Tuần đầu tháng 3/2025", "range", D(2025, 3, 7), D(2025, 3, 1), D(2025, 3, 7)),
    ("Đầu năm", "range", D(2025, 3, 31), D(2025, 1, 1), D(2025, 3, 31)),
    ("cuối tháng 02/2024", "range", D(2024, 2, 29), D(2024, 2, 21), D(2024, 2, 29)),
    ("Tháng 3/2025; Tháng 6/2025", "range", D(2025, 6, 30), D(2025, 3, 1), D(2025, 6, 30)),
    # continuous
    ("Cả năm", "continuous", None, D(2025, 1, 1), D(2025, 12, 31)),
    ("Trong năm", "continuous", None, D(2025, 1, 1), D(2025, 12, 31)),
    ("Thường xuyên", "continuous", None, D(2025, 1, 1), D(2025, 12, 31)),
    ("Thường xuyên, liên tục", "continuous", None, D(2025, 1, 1), D(2025, 12, 31)),
    ("Nhiệm vụ thường xuyên", "continuous", None, D(2025, 1, 1), D(2025, 12, 31)),
    ("Cả năm 2026", "continuous", None, D(2026, 1, 1), D(2026, 12, 31)),
    ("Từ 01/7/2025", "continuous", None, D(2025, 7, 1), None),
    ("Bắt đầu triển khai từ năm 2026", "continuous", None, D(2026, 1, 1), None),
    ("Giai đoạn 2026-2030 và những năm tiếp theo", "continuous", None, D(2026, 1, 1), None),
    ("Năm 2025 và các năm tiếp theo", "continuous", None, D(2025, 1, 1), None),
    ("Quý IV năm 2025 và các năm tiếp theo", "continuous", None, D(2025, 10, 1), None),
    # recurring
    ("Hằng năm", "recurring", None, None, None),
    ("Hằng năm.", "recurring", None, None, None),
    ("hằng quý, 06 tháng, năm", "recurring", None, None, None),
    ("định kỳ 6 tháng", "recurring", None, None, None),
    ("định kỳ hằng tuần", "recurring", None, None, None),
    ("trước ngày 16 hàng tháng", "recurring", None, None, None),
    ("trước 15/12 hằng năm", "recurring", None, None, None),
    ("Hằng năm, trước ngày 15/12", "recurring", None, None, None),
    ("02 lần/năm", "recurring", None, None, None),
    ("mỗi học kỳ", "recurring", None, None, None),
    ("trước 19h00’ hằng ngày", "recurring", None, None, None),
    ("02 lần/ngày (trước 9h00’ và 16h00’)", "recurring", None, None, None),
    ("Định kỳ trước 16 giờ ngày thứ Sáu hằng tuần", "recurring", None, None, None),
    ("thường xuyên, định kỳ", "continuous", None, D(2025, 1, 1), D(2025, 12, 31)),
    ("Thường xuyên, định kỳ hằng quý báo cáo về Sở Tài chính", "recurring", None, None, None),
    ("thường xuyên, định kỳ hàng ngày, hàng tuần", "recurring", None, None, None),
    # event
    ("Sau khi có hướng dẫn của Trung ương", "event", None, None, None),
    ("Sau khi Trung ương công bố kết quả các Chỉ số", "event", None, None, None),
    ("Theo hướng dẫn của Bộ Nội vụ", "event", None, None, None),
    ("Khi có phát sinh.", "event", None, None, None),
    ("khi có yêu cầu", "event", None, None, None),
    ("trước 03 ngày diễn ra Hội nghị", "event", D(2025, 3, 7), None, None),
    ("trước 05 ngày làm việc tổ chức Hội nghị", "event", D(2025, 3, 3), None, None),
    ("15 ngày kể từ ngày nhận được hồ sơ hợp lệ.", "event", None, None, None),
    ("Thời hạn: Sau khi có hướng dẫn", "event", None, None, None),
    ("khi Bộ Công an triển khai", "event", None, None, None),
    ("Từ tháng 11/2025 đến khi kết thúc Tổng kiểm kê", "event", None, D(2025, 11, 1), None),
    # none
    ("Năm thứ nhất", "none", None, None, None),
    ("trong thời gian tới", "none", None, None, None),
    ("31/02/2025", "none", None, None, None),
    ("29/02/2025", "none", None, None, None),
    ("ngày 31 tháng 4 năm 2025", "none", None, None, None),
    ("tháng 13/2025", "none", None, None, None),
    ("Quý V/2025", "none", None, None, None),
    ("Thông báo số 44-TB/TGV ngày 12/9/2025", "none", None, None, None),
    ("Nghị định số 12/2025/NĐ-CP", "none", None, None, None),
    ("Theo đơn hàng", "none", None, None, None),
]


@pytest.mark.parametrize(("text", "kind", "date", "start", "end"), CELL_CASES)
def test_parse_deadline_cell(text: str, kind: str, date: D | None, start: D | None, end: D | None) -> None:
    d = parse_deadline_cell(text, PLAN)
    assert d is not None
    assert (d.kind, d.date, d.start, d.end) == (kind, date, start, end)
    assert text[d.start_offset:d.end_offset] == d.text
    assert d.text and d.text[-1] not in TRAILING and not d.text[0].isspace()


# (cell text, expected text span, recurrence, condition)
DETAIL_CASES: list[tuple[str, str, str | None, str | None]] = [
    ("hằng quý, 06 tháng, năm", "hằng quý, 06 tháng, năm", "quarterly,semiannual,annual", None),
    ("định kỳ quý, 06 tháng, năm về kết quả", "định kỳ quý, 06 tháng, năm", "quarterly,semiannual,annual", None),
    ("Thường xuyên, định kỳ hằng quý báo cáo về Sở Tài chính", "Thường xuyên, định kỳ hằng quý", "quarterly", None),
    ("trước ngày 16 hàng tháng", "trước ngày 16 hàng tháng", "monthly", None),
    ("Trước 15/12 hàng năm.", "Trước 15/12 hàng năm", "annual", None),
    ("02 lần/tháng", "02 lần/tháng", "2x-monthly", None),
    ("Sau khi có hướng dẫn của Trung ương.", "Sau khi có hướng dẫn của Trung ương", None,
     "Sau khi có hướng dẫn của Trung ương"),
    ("Sau khi có hướng dẫn của Trung ương, dự kiến Quý III/2025", "dự kiến Quý III/2025", None,
     "Sau khi có hướng dẫn của Trung ương"),
    ("Quý III/2025 (sau khi có hướng dẫn)", "Quý III/2025", None, "sau khi có hướng dẫn"),
    ("Từ tháng 11/2025 đến khi kết thúc Tổng kiểm kê", "Từ tháng 11/2025 đến khi kết thúc Tổng kiểm kê", None,
     "Từ tháng 11/2025 đến khi kết thúc Tổng kiểm kê"),
    ("thường xuyên, định kỳ hàng ngày, hàng tuần", "thường xuyên, định kỳ hàng ngày, hàng tuần", "daily,weekly", None),
    ("Trước 30/6/2025, định kỳ hằng quý", "Trước 30/6/2025, định kỳ hằng quý", "quarterly", None),
    ("trước ngày 20 tháng 11 năm 2025 và hàng tháng", "trước ngày 20 tháng 11 năm 2025", "monthly", None),
    ("Thời gian thực hiện: Quý IV/2025", "Quý IV/2025", None, None),
    ("  Tháng 2  ", "Tháng 2", None, None),
    ("Trước ngày 15/12/2025;", "Trước ngày 15/12/2025", None, None),
]


@pytest.mark.parametrize(("text", "span", "recurrence", "condition"), DETAIL_CASES)
def test_cell_details(text: str, span: str, recurrence: str | None, condition: str | None) -> None:
    d = parse_deadline_cell(text, PLAN)
    assert d is not None
    assert (d.text, d.recurrence, d.condition) == (span, recurrence, condition)
    assert text[d.start_offset:d.end_offset] == d.text


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_cell_is_none(text: str) -> None:
    assert parse_deadline_cell(text, PLAN) is None


@pytest.mark.parametrize(
    ("text", "ctx", "date", "start"),
    [
        ("Tháng 2", DeadlineContext(plan_year=2024), D(2024, 2, 29), D(2024, 2, 1)),
        ("Tháng 2", DeadlineContext(issue_date=D(2024, 12, 20)), D(2024, 2, 29), D(2024, 2, 1)),
        ("Tháng 2", DeadlineContext(plan_year=2025, issue_date=D(2024, 12, 20)), D(2025, 2, 28), D(2025, 2, 1)),
        ("Tháng 2", DeadlineContext(), None, None),
        ("Quý I", DeadlineContext(), None, None),
        ("Trước 15/12", DeadlineContext(), None, None),
        ("trước 03 ngày diễn ra Hội nghị", DeadlineContext(plan_year=2025), None, None),
        ("trước 03 ngày diễn ra Hội nghị", DeadlineContext(event_date=D(2024, 7, 18)), D(2024, 7, 15), None),
        ("Cả năm", DeadlineContext(), None, None),
    ],
)
def test_context_years(text: str, ctx: DeadlineContext, date: D | None, start: D | None) -> None:
    d = parse_deadline_cell(text, ctx)
    assert d is not None
    assert (d.date, d.start) == (date, start)


# (prose, [(kind, text, date), ...]) — every reading, in order.
SEARCH_CASES: list[tuple[str, list[tuple[str, str, D | None]]]] = [
    ("Sở Nội vụ chủ trì, báo cáo UBND tỉnh trước ngày 16 tháng 7 năm 2024.",
     [("by", "trước ngày 16 tháng 7 năm 2024", D(2024, 7, 16))]),
    ("Gửi báo cáo tham luận về Sở Nội vụ chậm nhất ngày 24/02/2023 (bản mềm).",
     [("by", "chậm nhất ngày 24/02/2023", D(2023, 2, 24))]),
    ("Báo cáo gửi Sở Nội vụ trước ngày 15/11/2025 để tổng hợp; định kỳ hằng quý báo cáo UBND tỉnh.",
     [("by", "trước ngày 15/11/2025", D(2025, 11, 15)), ("recurring", "định kỳ hằng quý", None)]),
    ("phấn đấu đến năm 2030 đạt 100% hồ sơ trực tuyến, hoàn thành trong Quý III/2025",
     [("none", "đến năm 2030", None), ("quarter", "hoàn thành trong Quý III/2025", D(2025, 9, 30))]),
    ("Triển khai Kế hoạch số 179/KH-UBND ngày 18 tháng 11 năm 2025 của UBND tỉnh, tổ chức Hội nghị vào ngày 18/7/2024.",
     [("on", "vào ngày 18/7/2024", D(2024, 7, 18))]),
    ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;", []),
    ("Thực hiện Nghị quyết số 57-NQ/TW, ngày 22/12/2024 của Bộ Chính trị.", []),
    ("Quảng Nam, ngày 13 tháng 02 năm 2023", []),
    ("Triển khai Kế hoạch cải cách hành chính năm 2025 trên địa bàn tỉnh.", []),
    ("Đề án giai đoạn 2021 - 2025 được phê duyệt.", []),
    ("Tổ chức kiểm tra từ ngày 06 đến ngày 10 tháng 3 năm 2023 tại các xã.",
     [("range", "từ ngày 06 đến ngày 10 tháng 3 năm 2023", D(2023, 3, 10))]),
    ("Các đơn vị hoàn thành trong tháng 11 năm 2025, triển khai thực hiện ngay.",
     [("month", "hoàn thành trong tháng 11 năm 2025", D(2025, 11, 30))]),
    ("Tổ chức thực hiện trong năm 2026.", [("year", "trong năm 2026", D(2026, 12, 31))]),
    ("Trước ngày 15/12 hàng năm tổng hợp, báo cáo UBND tỉnh.",
     [("recurring", "Trước ngày 15/12 hàng năm", None)]),
    ("Cập nhật số liệu trước ngày 20 hằng tháng lên phần mềm.",
     [("recurring", "trước ngày 20 hằng tháng", None)]),
    ("Sau khi có hướng dẫn của Trung ương, Sở Nội vụ tham mưu UBND tỉnh.",
     [("event", "Sau khi có hướng dẫn của Trung ương", None)]),
    ("Gửi tài liệu trước 03 ngày diễn ra Hội nghị.",
     [("event", "trước 03 ngày diễn ra Hội nghị", D(2025, 3, 7))]),
    ("Quyết định này có hiệu lực thi hành kể từ ngày ký.", [("none", "có hiệu lực thi hành kể từ ngày ký", None)]),
    ("Quyết định này có hiệu lực từ ngày 01/7/2025.", [("none", "có hiệu lực từ ngày 01/7/2025", None)]),
    ("Dữ liệu tính đến ngày 07/11/2025.", [("none", "tính đến ngày 07/11/2025", None)]),
    ("Trong thời gian tới, tiếp tục triển khai.", [("none", "Trong thời gian tới", None)]),
    ("c) Thời gian thực hiện: Hoàn thành trong năm 2025.",
     [("year", "Hoàn thành trong năm 2025", D(2025, 12, 31))]),
    ("c) Thời gian thực hiện: Theo lộ trình, hướng dẫn của Bộ, ngành.",
     [("event", "Theo lộ trình, hướng dẫn của Bộ, ngành", None)]),
    ("Thường xuyên kiểm tra, đôn đốc các đơn vị.", [("continuous", "Thường xuyên", None)]),
    ("Thực hiện từ ngày 01 tháng 01 năm 2026.", [("continuous", "từ ngày 01 tháng 01 năm 2026", None)]),
    ("Hoàn thành trước 31/12/2025 và báo cáo trong Quý I/2026.",
     [("by", "Hoàn thành trước 31/12/2025", D(2025, 12, 31)),
      ("quarter", "trong Quý I/2026", D(2026, 3, 31))]),
    ("Bảo đảm hoạt động liên tục 24/7.", [("continuous", "liên tục", None), ("none", "24/7", None)]),
    ("Sở Tư pháp thực hiện theo hướng dẫn của Bộ Tư pháp.", []),
    ("Giảm 1/2 thời gian giải quyết thủ tục.", []),
    ("Hạn chót ngày 31/02/2025.", [("none", "Hạn chót ngày 31/02/2025", None)]),
    ("Nghị định số 12/2025/NĐ-CP ngày 15/01/2025 của Chính phủ", []),
]


@pytest.mark.parametrize(("text", "expected"), SEARCH_CASES)
def test_find_deadlines(text: str, expected: list[tuple[str, str, D | None]]) -> None:
    found = find_deadlines(text, PLAN)
    assert [(d.kind, d.text, d.date) for d in found] == expected
    _check_spans(text, found)


def _check_spans(text: str, found: list[Deadline]) -> None:
    last = 0
    for d in found:
        assert text[d.start_offset:d.end_offset] == d.text
        assert d.start_offset >= last, "readings overlap or are out of order"
        assert d.text[-1] not in TRAILING and not d.text[0].isspace()
        last = d.end_offset


def test_offsets_with_prefix_and_newlines() -> None:
    text = "- Sở Tài chính:\n  hoàn thành trước\nngày 10 tháng 12\nnăm 2025;  báo cáo hằng tháng."
    found = find_deadlines(text, PLAN)
    assert [(d.kind, d.date, d.recurrence) for d in found] == [
        ("by", D(2025, 12, 10), None), ("recurring", None, "monthly")]
    _check_spans(text, found)


def test_result_is_deterministic_and_hashable() -> None:
    a = parse_deadline_cell("Quý III/2024", PLAN)
    b = parse_deadline_cell("Quý III/2024", PLAN)
    assert a == b and hash(a) == hash(b)


# ---- the data file -------------------------------------------------------

ENTRIES = load_entries()
META = next(e for e in ENTRIES if e["type"] == "meta")
DATA_CTX = DeadlineContext(
    plan_year=META["context"]["plan_year"],
    issue_date=D.fromisoformat(META["context"]["issue_date"]),
    event_date=D.fromisoformat(META["context"]["event_date"]),
)


def _data_cases(key: str) -> list[Any]:
    return [pytest.param(e["id"], ex, id=f"{e['id']}:{ex[0][:40]}") for e in ENTRIES for ex in e.get(key, [])]


def _reading(example: list[Any]) -> tuple[str | None, str | None]:
    text, kind = example[0], example[1]
    if len(example) > 3 and example[3] == "search":
        found = find_deadlines(text, DATA_CTX)
        real = [d for d in found if d.kind != "none"] or found
        got: Deadline | None = real[0] if real else None
    else:
        got = parse_deadline_cell(text, DATA_CTX)
    if got is None or (kind is None and got.kind == "none"):
        return (None, None)
    return (got.kind, got.date.isoformat() if got.date else None)


@pytest.mark.parametrize(("entry", "example"), _data_cases("examples"))
def test_data_examples(entry: str, example: list[Any]) -> None:
    assert _reading(example) == (example[1], example[2]), entry


@pytest.mark.parametrize(("entry", "example"), _data_cases("counter_examples"))
def test_data_counter_examples(entry: str, example: list[Any]) -> None:
    assert _reading(example) == (example[1], example[2]), entry


def test_data_file_shape() -> None:
    ids = [e["id"] for e in ENTRIES]
    assert len(ids) == len(set(ids)), "duplicate ids"
    kinds = {"by", "on", "range", "month", "quarter", "year", "recurring", "event", "continuous", "none", None}
    for e in ENTRIES:
        assert e["type"] in {"meta", "words", "map", "frame"}, e["id"]
        if e["type"] == "words":
            assert e["words"] and all(w == unicodedata.normalize("NFC", w).strip() for w in e["words"]), e["id"]
        if e["type"] == "map":
            assert e["map"] and e["group"], e["id"]
        if e["type"] == "frame":
            assert e["frame"] in {"point", "range", "from", "until", "recurring", "continuous", "event",
                                  "event_offset", "none", "label", "clock"}, e["id"]
            assert set(e.get("modes", ["cell"])) <= {"cell", "search"}, e["id"]
        for ex in e.get("examples", []) + e.get("counter_examples", []):
            assert ex[1] in kinds and len(ex) in (3, 4), (e["id"], ex)
            if ex[2] is not None:
                D.fromisoformat(ex[2])
        if e["type"] != "meta":
            assert e.get("examples") or e.get("counter_examples"), f"{e['id']} has no example"


# ---- the whole corpus: spans are always exact -----------------------------

CORPUS = sorted((ROOT / "corpus" / "documents").glob("*.md")) + sorted((ROOT / "corpus" / "documents").glob("*.txt"))


@pytest.mark.skipif(not CORPUS, reason="corpus not present")
def test_corpus_spans_are_exact() -> None:
    total = 0
    for path in CORPUS:
        text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8", errors="replace"))
        for para in re.split(r"\n\s*\n", text):
            found = find_deadlines(para, PLAN)
            _check_spans(para, found)
            total += len(found)
    assert total > 50
