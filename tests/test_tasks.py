"""Tasks: the issue's named facts on the seeds, table and prose shapes, ids."""

from __future__ import annotations

import pytest

from extractor.extract.task_common import sentence_agencies
from extractor.extract.task_tables import column_role
from extractor.pipeline import process_source
from extractor.readers.base import Block, Cell, SourceDoc

from .conftest import processed


def _rows(name: str) -> dict[str, object]:
    tasks = processed(name).record.tasks
    return {t.table_row.row: t for t in tasks if t.table_row is not None}


def test_seed_002_appendix_2_tasks() -> None:
    rows = _rows("002_cb22d10497566f9f.txt")
    expected = [str(i) for i in range(1, 37)] + ["1.1", "1.2", "1.3"]
    assert sorted(rows, key=lambda r: [int(x) for x in r.split(".")]) == sorted(
        expected, key=lambda r: [int(x) for x in r.split(".")]
    )
    t9 = rows["9"]
    assert [a.name for a in t9.lead] == ["Sở Nội vụ", "Sở Kế hoạch và Đầu tư"]  # type: ignore[attr-defined]
    assert t9.deadline.kind == "event"  # type: ignore[attr-defined]
    t1 = rows["1"]
    assert t1.deadline.text == "Tháng 2" and t1.deadline.date == "2025-02-28"  # type: ignore[attr-defined]
    # Sub-rows keep their own lead cells and inherit the parent's empty deadline and support cells;
    # the group row is the group, not a task.
    leads = {"1.1": ["Sở Nội vụ"], "1.2": ["Sở Kế hoạch và Đầu tư"], "1.3": ["Sở Nội vụ", "Sở Thông tin và Truyền thông"]}
    for sub, lead in leads.items():
        assert rows[sub].deadline.date == "2025-02-28"  # type: ignore[attr-defined]
        assert [a.name for a in rows[sub].lead] == lead  # type: ignore[attr-defined]
        assert [a.name for a in rows[sub].support] == [a.name for a in t1.support]  # type: ignore[attr-defined]
    assert t1.group == "CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH"  # type: ignore[attr-defined]


def test_seed_001_section_vi() -> None:
    tasks = [t for t in processed("001_7938789df888accd.txt").record.tasks if (t.section or "").startswith("VI")]
    leads = {a.name for t in tasks for a in t.lead}
    for body in ("Sở Nội vụ", "Sở Kế hoạch và Đầu tư", "Văn phòng Ủy ban nhân dân tỉnh", "Sở Văn hóa và Thể thao",
                 "Sở Thông tin và Truyền thông"):
        assert body in leads, body
    dated = [t for t in tasks if t.deadline and t.deadline.text == "trước ngày 16 tháng 7 năm 2024"]
    assert dated and all(t.deadline.date == "2024-07-16" for t in dated if t.deadline)


def test_ids_are_stable_and_local() -> None:
    base = ["I. TỔ CHỨC THỰC HIỆN", "1. Sở Nội vụ", "- Chủ trì tổng hợp báo cáo trước ngày 15/12/2025.",
            "2. Sở Tài chính", "- Bố trí kinh phí thực hiện."]
    edited = base[:2] + ["- Một việc mới được thêm vào đầu danh sách của Sở Nội vụ."] + base[2:]

    def ids(paras: list[str]) -> dict[str, str]:
        rec = process_source(SourceDoc([Block("para", text=p) for p in paras], "txt"), path="x", sha256="0").record
        return {t.text: t.id for t in rec.tasks}

    a, b = ids(base), ids(edited)
    assert a == ids(base)
    for text, tid in a.items():
        assert b[text] == tid


def test_assignment_table_any_header_wording() -> None:
    header = (Cell("TT"), Cell("Tên nhiệm vụ"), Cell("Đơn vị chủ trì"), Cell("Đơn vị phối hợp"), Cell("Thời gian hoàn thành"))
    rows = (
        header,
        (Cell("I"), Cell("CÔNG TÁC CHỈ ĐẠO"), Cell(""), Cell(""), Cell("")),
        (Cell("1"), Cell("Xây dựng kế hoạch"), Cell("Sở Nội vụ"), Cell("Các sở, ban, ngành"), Cell("Quý III/2024")),
        (Cell("1.1"), Cell("Dự thảo kế hoạch"), Cell(""), Cell(""), Cell("")),
    )
    rec = process_source(SourceDoc([Block("table", rows=rows)], "docx"), path="x", sha256="0").record
    assert [t.text for t in rec.tasks] == ["Xây dựng kế hoạch", "Dự thảo kế hoạch"]
    sub = rec.tasks[1]
    assert [a.name for a in sub.lead] == ["Sở Nội vụ"]
    assert sub.deadline is not None and sub.deadline.kind == "quarter" and sub.deadline.date == "2024-09-30"
    assert sub.group == "CÔNG TÁC CHỈ ĐẠO"


@pytest.mark.parametrize(
    ("header", "role"),
    [("Cơ quan chủ trì", "lead"), ("Đơn vị phối hợp", "support"), ("Thời gian thực hiện", "deadline"),
     ("Hoạt động/sản phẩm", "deliverable"), ("Theo dõi, đôn đốc", "monitor"), ("Nhiệm vụ", "task"),
     ("Thời gian hoàn thành (năm 2025)", "deadline"), ("Ghi chú", "other")],
)
def test_column_roles(header: str, role: str) -> None:
    assert column_role(header) == role


@pytest.mark.parametrize(
    ("sentence", "lead", "support"),
    [
        ("Giao Sở Nội vụ chủ trì, phối hợp với Sở Tài chính báo cáo UBND tỉnh trước ngày 16/7/2024",
         ["Sở Nội vụ"], ["Sở Tài chính"]),
        ("Sở Tư pháp chủ trì thẩm định, gửi Sở Nội vụ tổng hợp", ["Sở Tư pháp"], []),
        ("Ủy ban nhân dân tỉnh yêu cầu các sở, ban, ngành triển khai ngay", ["Các sở, ban, ngành"], []),
        ("Căn cứ Kế hoạch này, các sở, ban, ngành xây dựng kế hoạch thực hiện", ["Các sở, ban, ngành"], []),
        ("Phối hợp với Sở Nội vụ chuẩn bị tài liệu", [], ["Sở Nội vụ"]),
        # a list of offices as the subject: a bare "Bộ trưởng" opens it; a role spreads over a list of kinds;
        # the honorific "Các đồng chí" is no part of a lead
        ("Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực tiếp chỉ đạo "
         "việc thực hiện các nhiệm vụ nêu trên; chịu trách nhiệm trước Thủ tướng Chính phủ về kết quả",
         ["Bộ trưởng", "Thủ trưởng cơ quan ngang bộ", "Chủ tịch Ủy ban nhân dân các tỉnh, thành phố"], []),
        ("Các đồng chí Bộ trưởng, Thủ trưởng cơ quan ngang Bộ, cơ quan thuộc Chính phủ theo chức năng, nhiệm vụ, "
         "thẩm quyền đề cao trách nhiệm, trực tiếp chỉ đạo thực hiện đồng bộ, quyết liệt, hiệu quả các nhiệm vụ",
         ["Bộ trưởng", "Thủ trưởng cơ quan ngang Bộ", "Thủ trưởng cơ quan thuộc Chính phủ"], []),
        # reporting targets are no leads
        ("Sở Nội vụ tổng hợp, báo cáo Bộ trưởng, Thủ trưởng cơ quan ngang bộ trước ngày 15/12",
         ["Sở Nội vụ"], []),
        ("Báo cáo Bộ trưởng, Thủ trưởng cơ quan ngang bộ kết quả thực hiện", [], []),
        ("Bộ trưởng chỉ đạo các đơn vị thuộc Bộ", [], []),
        ("Chính phủ yêu cầu các Bộ trưởng, Thủ trưởng cơ quan ngang bộ, cơ quan thuộc Chính phủ thực hiện khẩn trương",
         ["Bộ trưởng", "Thủ trưởng cơ quan ngang bộ", "Thủ trưởng cơ quan thuộc Chính phủ"], []),
        ("Các Phó Chủ tịch UBND tỉnh theo lĩnh vực được phân công chỉ đạo các sở", ["Phó Chủ tịch Ủy ban nhân dân tỉnh"], []),
    ],
)
def test_sentence_agencies(sentence: str, lead: list[str], support: list[str]) -> None:
    got_lead, got_support = sentence_agencies(sentence, 0)
    assert [a.name for a in got_lead] == lead
    assert [a.name for a in got_support] == support
    for a in got_lead + got_support:
        assert sentence[a.start:a.end] == a.text


def test_prose_heading_bullets_and_own_lead_override() -> None:
    paras = ["IV. TỔ CHỨC THỰC HIỆN", "1. Sở Nội vụ", "- Tổng hợp kết quả, báo cáo trước ngày 15/12/2025.",
             "- Sở Tài chính bố trí kinh phí thực hiện.", "2. Mục đích", "Nội dung không giao việc."]
    rec = process_source(SourceDoc([Block("para", text=p) for p in paras], "txt"), path="x", sha256="0").record
    got = [(t.text, [a.name for a in t.lead], t.deadline.date if t.deadline else None) for t in rec.tasks]
    assert got == [
        ("Tổng hợp kết quả, báo cáo trước ngày 15/12/2025.", ["Sở Nội vụ"], "2025-12-15"),
        ("Sở Tài chính bố trí kinh phí thực hiện.", ["Sở Tài chính"], None),
    ]


def test_closing_and_recipient_lines_are_not_tasks() -> None:
    paras = ["IV. TỔ CHỨC THỰC HIỆN", "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, phản ánh về Sở Nội vụ để tổng hợp.",
             "Nơi nhận:\n- Sở Nội vụ;\n- Sở Tài chính;"]
    rec = process_source(SourceDoc([Block("para", text=p) for p in paras], "txt"), path="x", sha256="0").record
    assert rec.tasks == []


def _letter(*paras: str, fmt: str = "txt") -> object:
    head = [
        "THỦ TƯỚNG CHÍNH PHỦ",
        "Số: 464/TTg-CĐS",
        "V/v triển khai các Nghị quyết",
        "Hà Nội, ngày 30 tháng 4 năm 2026",
    ]
    blocks = [Block("para", text=t) for t in head + list(paras)]
    return process_source(SourceDoc(blocks, fmt), path="letter.txt", sha256="0").record


def test_addressees_and_recipients_are_no_sections() -> None:
    """The "Kính gửi:" dash list (also when OCR lost "Kính" under a stamp) and the
    "Nơi nhận:" list are no sections; the numbered body is."""
    for salutation in ("Kính gửi:", "gửi:"):
        rec = _letter(
            salutation,
            "- Bộ trưởng, Thủ trưởng cơ quan ngang Bộ;",
            "- Chủ tịch Ủy ban nhân dân các tỉnh, thành phố.",
            "1. Văn phòng Chính phủ theo dõi, đôn đốc việc thực hiện.",
            "2. Bộ Tư pháp tổng hợp, báo cáo Thủ tướng Chính phủ.",
            "Nơi nhận:",
            "- Như trên;",
            "- Lưu: VT.",
        )
        assert [s.id for s in rec.sections] == ["1", "2"], salutation  # type: ignore[attr-defined]


def test_closing_advice_does_not_cancel_a_task() -> None:
    """A task ending in "Trường hợp … vướng mắc, báo cáo …" advice is a task; a paragraph that
    only closes ("Trong quá trình thực hiện, nếu có khó khăn …") or asks for this document to be
    carried out and then closes is not."""
    rec = _letter(
        "1. Các bộ, cơ quan ngang bộ khẩn trương hướng dẫn thi hành các Nghị quyết; hoàn thành trước ngày "
        "20 tháng 5 năm 2026. Trường hợp phát sinh vướng mắc, kịp thời tổng hợp, báo cáo Thủ tướng Chính phủ.",
        "2. Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các Bộ báo cáo Thủ tướng Chính phủ.",
        "3. Yêu cầu Thủ trưởng các cơ quan, đơn vị tổ chức triển khai thực hiện Công văn này. Trường hợp có "
        "phát sinh vướng mắc, các cơ quan kịp thời báo cáo Thủ tướng Chính phủ.",
    )
    tasks = rec.tasks  # type: ignore[attr-defined]
    assert [t.section for t in tasks] == ["1"]
    assert tasks[0].deadline.date == "2026-05-20"


def test_role_list_heading_leads_its_bullets() -> None:
    """ "Các đồng chí Bộ trưởng, Thủ trưởng cơ quan ngang Bộ, cơ quan thuộc Chính phủ …:" heads bullets
    that are tasks led by the three offices; a period after a passive participle ("các nhiệm vụ được
    giao trong năm 2025") is no deadline."""
    rec = _letter(
        "1. Các đồng chí Bộ trưởng, Thủ trưởng cơ quan ngang Bộ, cơ quan thuộc Chính phủ theo chức năng, "
        "nhiệm vụ, thẩm quyền trực tiếp chỉ đạo thực hiện các nhiệm vụ sau:",
        "- Tập trung rà soát các nhiệm vụ; đối với các nhiệm vụ được giao trong năm 2025, tiếp tục rà soát kỹ.",
        "- Khẩn trương hoàn thiện các báo cáo, gửi Bộ Tư pháp trước ngày 05 tháng 12 năm 2025.",
    )
    got = [([a.name for a in t.lead], t.deadline.date if t.deadline else None)
           for t in rec.tasks]  # type: ignore[attr-defined]
    lead = ["Bộ trưởng", "Thủ trưởng cơ quan ngang Bộ", "Thủ trưởng cơ quan thuộc Chính phủ"]
    assert got == [(lead, None), (lead, "2025-12-05")]


def test_list_under_a_plural_head_is_the_subject() -> None:
    """ "a) Các Bộ: Công Thương, …, Y tế nghiên cứu …": the colon opens a list of ministries, not a label;
    the sentence is the task text, every listed ministry leads it, each span is the name as written."""
    sentence = ("Các Bộ: Công Thương, Khoa học và Công nghệ, Nội vụ, Văn hóa, Thể thao và Du lịch, Y tế nghiên cứu "
                "nội dung báo cáo, đề xuất của Bộ Tư pháp, có văn bản gửi Bộ Tư pháp trong ngày 30 tháng 4 năm 2026.")
    rec = _letter("2. Về cắt giảm thủ tục hành chính, yêu cầu:", "a) " + sentence)
    (task,) = rec.tasks  # type: ignore[attr-defined]
    assert task.text == sentence
    assert [a.name for a in task.lead] == ["Bộ Công Thương", "Bộ Khoa học và Công nghệ", "Bộ Nội vụ",
                                           "Bộ Văn hóa, Thể thao và Du lịch", "Bộ Y tế"]
    assert [a.text for a in task.lead][-2:] == ["Văn hóa, Thể thao và Du lịch", "Y tế"]
    assert task.support == [] and task.deadline.date == "2026-04-30"


@pytest.mark.parametrize(
    ("sentence", "lead", "support"),
    [
        ("Ủy ban nhân dân các thành phố: Hà Nội, Cần Thơ thực hiện nghiêm chỉ đạo của Thủ tướng Chính phủ",
         ["Ủy ban nhân dân thành phố Hà Nội", "Ủy ban nhân dân thành phố Cần Thơ"], []),
        ("Các sở, ban, ngành liên quan có trách nhiệm phối hợp với UBND các xã: Đức Trọng, Hiệp Thạnh cung cấp "
         "thông tin", ["Các sở, ban, ngành liên quan"], ["Ủy ban nhân dân xã Đức Trọng", "Ủy ban nhân dân xã Hiệp Thạnh"]),
        ("Giao Sở Tài chính hướng dẫn UBND các xã: Đức Trọng, Hiệp Thạnh về kinh phí", ["Sở Tài chính"], []),
        # a verb right after "phối hợp" or after the partners: the bodies after it are worked on, not partners
        ("Phối hợp hướng dẫn các cơ quan, tổ chức, đơn vị, địa phương thực hiện kiểm kê", [], []),
        ("Sở Nông nghiệp và Môi trường hướng dẫn kiểm kê; phối hợp với Sở Tài chính hướng dẫn các cơ quan, "
         "đơn vị, Ủy ban nhân dân các phường, xã triển khai kiểm kê", ["Sở Nông nghiệp và Môi trường"], ["Sở Tài chính"]),
        ("Giao Sở Tài chính chủ trì, phối hợp với Sở Xây dựng, các địa phương xây dựng phương án",
         ["Sở Tài chính"], ["Sở Xây dựng", "Các địa phương"]),
    ],
)
def test_sentence_agencies_with_lists(sentence: str, lead: list[str], support: list[str]) -> None:
    test_sentence_agencies(sentence, lead, support)


def _plan(*paras: str) -> list[tuple[str, list[str], str | None]]:
    rec = process_source(SourceDoc([Block("para", text=p) for p in ("IV. TỔ CHỨC THỰC HIỆN", *paras)], "txt"),
                         path="x", sha256="0").record
    return [(t.text, [a.name for a in t.lead], t.deadline.kind if t.deadline else None) for t in rec.tasks]


def test_heading_with_a_list_under_a_plural_head() -> None:
    """ "1. Giao UBND các xã: Đức Trọng, Hiệp Thạnh:" heads bullets led by both communes; the heading is no task;
    "UBND các xã: A, B: Phối hợp …" is labelled after the list."""
    xa = ["Ủy ban nhân dân xã Đức Trọng", "Ủy ban nhân dân xã Hiệp Thạnh"]
    assert _plan("1. Giao UBND các xã: Đức Trọng, Hiệp Thạnh:",
                 "- Tập trung hoàn thành hồ sơ quy hoạch gửi Sở Xây dựng trước ngày 24/4/2026.") == [
        ("Tập trung hoàn thành hồ sơ quy hoạch gửi Sở Xây dựng trước ngày 24/4/2026.", xa, "by")]
    assert _plan("2. UBND các xã: Đức Trọng, Hiệp Thạnh: Phối hợp với Sở Xây dựng rà soát quy hoạch.") == [
        ("Phối hợp với Sở Xây dựng rà soát quy hoạch.", xa, None)]


def test_heading_that_lists_its_members() -> None:
    """ "1.3. Các cơ quan tham mưu … (gồm các Sở: Xây dựng, Công Thương)": the bullets are led by the listed
    departments; under "Trong đó:" a "+ Sở Xây dựng: …" line picks one of them out and is the whole task; a
    "Thời gian thực hiện" line closing the sub-points dates the point and all of them."""
    so = ["Sở Xây dựng", "Sở Công Thương"]
    got = _plan(
        "1.3. Các cơ quan tham mưu quản lý ngành, lĩnh vực (gồm các Sở: Xây dựng, Công Thương)",
        "- Phối hợp hướng dẫn các cơ quan, đơn vị thực hiện kiểm kê tài sản kết cấu hạ tầng. Trong đó:",
        "+ Sở Xây dựng: hướng dẫn kiểm kê tài sản kết cấu hạ tầng giao thông.",
        "+ Sở Công Thương: hướng dẫn kiểm kê tài sản kết cấu hạ tầng thương mại là chợ.",
        "Thời gian thực hiện: Từ tháng 11/2025 đến khi kết thúc Tổng kiểm kê.",
        "- Cử công chức chuyên môn tham gia tổ công tác khi có đề nghị.",
    )
    assert got == [
        ("Phối hợp hướng dẫn các cơ quan, đơn vị thực hiện kiểm kê tài sản kết cấu hạ tầng. Trong đó:", so, "event"),
        ("Sở Xây dựng: hướng dẫn kiểm kê tài sản kết cấu hạ tầng giao thông.", ["Sở Xây dựng"], "event"),
        ("Sở Công Thương: hướng dẫn kiểm kê tài sản kết cấu hạ tầng thương mại là chợ.", ["Sở Công Thương"], "event"),
        ("Cử công chức chuyên môn tham gia tổ công tác khi có đề nghị.", so, None),
    ]


def test_task_lists_pattern_examples() -> None:
    from extractor.rules import load_jsonl, rule_pattern

    for e in load_jsonl("task_lists.jsonl"):
        rx = rule_pattern("task_lists.jsonl", e["id"])
        assert all(rx.search(ex) for ex in e["examples"]), e["id"]
        assert not any(rx.search(ex) for ex in e["counter_examples"]), e["id"]


def test_label_of_a_heading_that_names_its_own_bodies_is_stripped() -> None:
    """Only bodies inherited from the item above make a label a pick; a heading's own bodies do not."""
    assert _plan("1. Ngân hàng Nhà nước Việt Nam chỉ đạo các tổ chức tín dụng: khẩn trương khắc phục, phục hồi "
                 "hoạt động tại các điểm giao dịch bị thiệt hại.") == [
        ("khẩn trương khắc phục, phục hồi hoạt động tại các điểm giao dịch bị thiệt hại.",
         ["Ngân hàng Nhà nước Việt Nam"], None)]
