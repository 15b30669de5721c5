"""Scheduled meetings: dates, time of day, venue, mode, chair, capacity (patterns/events.jsonl)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from extractor.extract.events import event_date, expand_abbreviations, find_dates
from extractor.model import Record
from extractor.pipeline import process_source
from extractor.readers.base import SourceDoc
from extractor.readers.txt import parse_text

from .conftest import DOCS, processed


def _record(text: str) -> Record:
    return process_source(SourceDoc(parse_text(text), "txt"), path="t.txt", sha256="0").record


@pytest.mark.parametrize(("text", "start", "end"), [
    ("trong khoảng thời gian từ ngày 06 đến ngày 10 tháng 3 năm 2023", "2023-03-06", "2023-03-10"),
    ("dự kiến trong buổi sáng ngày 18 tháng 7 năm 2024", "2024-07-18", "2024-07-18"),
    ("từ 14h00 ngày 22/01/2026 (Chiều thứ Năm)", "2026-01-22", "2026-01-22"),
    ("Dự kiến ngày 05/12/2025 (Chậm nhất ngày 10/12/2025 - 95 ngày trước bầu cử)", "2025-12-05", "2025-12-05"),
    ("từ ngày 28/02 đến ngày 03/3/2025", "2025-02-28", "2025-03-03"),
])
def test_dates(text: str, start: str, end: str) -> None:
    found = find_dates(text)
    assert found is not None and found[:2] == (start, end)


@pytest.mark.parametrize("text", ["Tháng 2", "chậm nhất ngày 10/12/2025", "trong quý III/2025"])
def test_no_scheduled_day(text: str) -> None:
    assert find_dates(text) is None


def test_abbreviations_expanded() -> None:
    assert expand_abbreviations("Phó Chủ tịch UBND tỉnh") == "Phó Chủ tịch Ủy ban nhân dân tỉnh"
    assert expand_abbreviations("Ban Thường trực Ủy ban MTTQ Việt Nam xã") == (
        "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam xã")


INVITATION = (
    "GIẤY MỜI\nỦy ban nhân dân tỉnh tổ chức Họp đánh giá công tác cải cách hành chính năm 2025.\n"
    "1. Chủ trì: Đồng chí Nguyễn Văn A - Phó Chủ tịch UBND tỉnh.\n2. Thành phần mời:\n- Lãnh đạo các sở;\n"
    "3. Thời gian: từ {time} ngày 22/01/2026.\n4. Địa điểm: Hội trường 100 chỗ (Tầng 3) - Trung tâm Hành chính tỉnh.\n"
)


@pytest.mark.parametrize(("time", "part"), [("14h00", "chiều"), ("08 giờ 00", "sáng"), ("19h30", "tối")])
def test_invitation(time: str, part: str) -> None:
    rec = _record(INVITATION.format(time=time))
    assert len(rec.events) == 1
    e = rec.events[0]
    assert e.title == "Họp đánh giá công tác cải cách hành chính năm 2025"
    assert (e.start, e.end, e.time_of_day) == ("2026-01-22", "2026-01-22", part)
    assert e.venue == "Hội trường 100 chỗ (Tầng 3) - Trung tâm Hành chính tỉnh"
    assert (e.capacity, e.mode) == (100, "in_person")
    assert e.chair == "Nguyễn Văn A - Phó Chủ tịch Ủy ban nhân dân tỉnh"


def test_several_venues_and_online_mode() -> None:
    rec = _record(
        "KẾ HOẠCH\nTổ chức Hội nghị trực tuyến tổng kết năm 2022\nI. THỜI GIAN, ĐỊA ĐIỂM\n1. Thời gian\n"
        "- Dự kiến 01 buổi; từ ngày 06 đến ngày 10 tháng 3 năm 2023.\n2. Địa điểm\n"
        "- Điểm cầu tỉnh: Hội trường số 2, Văn phòng UBND tỉnh.\n- Điểm cầu các huyện: Phòng họp trực tuyến.\n"
    )
    assert [(e.title, e.start, e.end, e.venue, e.mode, e.time_of_day) for e in rec.events] == [
        ("Hội nghị trực tuyến tổng kết năm 2022", "2023-03-06", "2023-03-10",
         "Hội trường số 2, Văn phòng Ủy ban nhân dân tỉnh; Phòng họp trực tuyến", "online", None)]


def test_in_person_and_online_groups_make_hybrid() -> None:
    rec = _record(
        "KẾ HOẠCH\nTổ chức Hội nghị triển khai\nI. THÀNH PHẦN\n"
        "1. Thành phần tham dự trực tiếp tại Trung tâm hội nghị tỉnh (Hội trường 200 chỗ):\n"
        "- Lãnh đạo Ủy ban nhân dân tỉnh (chủ trì Hội nghị).\n- Giám đốc các sở.\n"
        "2. Thành phần tham dự Hội nghị theo hình thức trực tuyến tại Ủy ban nhân dân các huyện:\n- Chủ tịch UBND huyện.\n"
        "II. THỜI GIAN TỔ CHỨC\nThời gian tổ chức Hội nghị: buổi sáng ngày 18 tháng 7 năm 2024.\n"
    )
    e = rec.events[0]
    assert (e.mode, e.venue, e.capacity, e.chair) == ("hybrid", "Trung tâm hội nghị tỉnh", 200,
                                                     "Lãnh đạo Ủy ban nhân dân tỉnh")
    assert [(g.mode, len(g.members)) for g in e.groups] == [("in_person", 2), ("online", 1)]


def test_meeting_sections_each_give_an_event() -> None:
    rec = _record(
        "KẾ HOẠCH\nTổ chức các hội nghị hiệp thương\nII. NỘI DUNG\n1. Hội nghị hiệp thương lần thứ nhất.\n"
        "- Thời gian: Dự kiến ngày 05/12/2025 (Chậm nhất ngày 10/12/2025).\n- Đơn vị chủ trì: Ban Công tác mặt trận thôn.\n"
        "2. Hội nghị hiệp thương lần thứ hai\n- Thời gian: Dự kiến ngày 30/01/2026.\n"
        "- Đơn vị chủ trì: Ban Thường trực Ủy ban MTTQ Việt Nam xã.\n"
    )
    assert [(e.title, e.start, e.chair, e.mode, e.venue) for e in rec.events] == [
        ("Hội nghị hiệp thương lần thứ nhất", "2025-12-05", "Ban Công tác mặt trận thôn", None, None),
        ("Hội nghị hiệp thương lần thứ hai", "2026-01-30", "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam xã", None,
         None)]


@pytest.mark.parametrize("text", [
    # A notice of conclusions reports a meeting already held.
    "THÔNG BÁO\nKết luận của Phó Chủ tịch tại Hội nghị\nThời gian: ngày 22/01/2026.\n",
    # Scheduled by month only.
    "KẾ HOẠCH\nTổ chức Hội nghị sơ kết\nThời gian: Tháng 9 năm 2025.\n",
    # A task deadline is no meeting time.
    "KẾ HOẠCH\nKiểm tra cải cách hành chính\nThời gian thực hiện: ngày 15/3/2026.\n",
])
def test_not_events(text: str) -> None:
    assert _record(text).events == []


@dataclass
class _E:
    title: str
    start: str | None
    end: str | None


def test_event_date_helper() -> None:
    one = [_E("Hội nghị tổng kết", "2024-07-18", "2024-07-18")]
    assert event_date(one) == dt.date(2024, 7, 18)
    assert event_date([_E("Hội nghị", "2023-03-06", "2023-03-10")]) is None  # a range has no fixed day
    two = one + [_E("Hội nghị hiệp thương lần thứ hai", "2026-01-30", "2026-01-30")]
    assert event_date(two) is None
    assert event_date(two, "trước 03 ngày diễn ra Hội nghị hiệp thương lần thứ hai") == dt.date(2026, 1, 30)
    assert event_date([]) is None


def test_seed_001_event() -> None:
    rec = processed("001_7938789df888accd.txt").record
    assert len(rec.events) == 1
    e = rec.events[0]
    assert (e.start, e.end, e.time_of_day, e.mode, e.capacity) == ("2024-07-18", "2024-07-18", "sáng", "hybrid", 200)
    assert e.venue is not None and e.venue.casefold() == "trung tâm hội nghị tỉnh"
    assert e.chair == "Lãnh đạo Ủy ban nhân dân tỉnh"
    assert e.expected_attendees == 163
    assert e.title.startswith("Hội nghị triển khai nhiệm vụ, giải pháp")


def test_seed_003_event_range_and_venues() -> None:
    rec = processed("003_9c6f599622bc699a.txt").record
    assert len(rec.events) == 1
    e = rec.events[0]
    assert (e.start, e.end) == ("2023-03-06", "2023-03-10")
    assert e.venue == ("Hội trường số 2 (Tầng 02), Văn phòng Ủy ban nhân dân tỉnh; Phòng họp trực tuyến do Ủy ban "
                       "nhân dân các huyện, thị xã, thành phố bố trí")
    assert (e.mode, e.chair) == ("online", "Chủ tịch Ủy ban nhân dân tỉnh")
    assert event_date(rec.events) is None


def test_invitation_pdf() -> None:
    if not (DOCS / "lamdong_gm85_hop_cchc_2026_signed.pdf").exists():
        pytest.skip("PDF not in the corpus")
    rec = processed("lamdong_gm85_hop_cchc_2026_signed.pdf").record
    e = rec.events[0]
    assert (e.start, e.time_of_day, e.capacity, e.mode) == ("2026-01-22", "chiều", 100, "in_person")
    assert e.chair == "Nguyễn Ngọc Phúc - Tỉnh ủy viên, Phó Chủ tịch Ủy ban nhân dân tỉnh"


def test_event_spans() -> None:
    for name in ("001_7938789df888accd.txt", "003_9c6f599622bc699a.txt"):
        result = processed(name)
        for e in result.record.events:
            ev = result.text[e.span.start:e.span.end]
            assert ev.startswith("Thời gian") or ev.startswith("-"), ev
            assert ev == ev.strip()


@pytest.mark.parametrize("kind", ["time_label", "venue_label", "chair_label"])
def test_label_examples(kind: str) -> None:
    from extractor.extract.events import _label_value
    from extractor.rules import load_jsonl

    for e in load_jsonl("events.jsonl"):
        if e["kind"] != kind:
            continue
        for ex in e.get("examples", []):
            assert _label_value(kind, ex) is not None, ex
        for ex in e.get("counter_examples", []):
            assert _label_value(kind, ex) is None, ex


@pytest.mark.parametrize("kind", ["meeting", "chair_note", "honorific", "title_opener", "organise", "time_of_day",
                                  "not_start", "broadcast", "past", "venue_from", "content_label"])
def test_pattern_examples(kind: str) -> None:
    from extractor.extract.events import _pats
    from extractor.rules import load_jsonl

    rxs = _pats()[kind]
    for e in load_jsonl("events.jsonl"):
        if e["kind"] != kind:
            continue
        for ex in e.get("examples", []):
            assert any(rx.search(ex) for rx in rxs), ex
        for ex in e.get("counter_examples", []):
            assert not any(rx.search(ex) for rx in rxs), ex
