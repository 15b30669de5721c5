from __future__ import annotations

import pytest

from extractor.readers.base import Block, SourceDoc
from extractor.rules import load_jsonl
from extractor.segment.sections import build_sections, flatten, match_marker
from extractor.text.document import build_document


@pytest.mark.parametrize("entry", load_jsonl("sections.jsonl"), ids=lambda e: e["id"])
def test_marker_examples(entry: dict[str, object]) -> None:
    for ex in entry.get("examples", []):  # type: ignore[attr-defined]
        found = match_marker(ex)
        assert found is not None and found[0] == entry["kind"], ex
    for ex in entry.get("counter_examples", []):  # type: ignore[attr-defined]
        found = match_marker(ex)
        assert found is None or found[0] != entry["kind"], ex


def _sections(*paras: str) -> list[tuple[str, str, int]]:
    doc = build_document(SourceDoc([Block("para", text=p) for p in paras], "txt"))
    return [(s.id, s.marker, s.level) for s in flatten(build_sections(doc, []))]


def test_nesting_and_ids() -> None:
    got = _sections(
        "I. MỤC ĐÍCH", "1. Mục đích", "a) Điểm a", "- gạch đầu dòng", "b) Điểm b", "2. Yêu cầu", "2.1. Chi tiết",
        "II. NỘI DUNG", "1. Nội dung một",
    )
    assert got == [
        ("I", "I.", 1), ("I.1", "1.", 2), ("I.1.a", "a)", 3), ("I.1.a.-1", "-", 4), ("I.1.b", "b)", 3),
        ("I.2", "2.", 2), ("I.2.1", "2.1.", 3), ("II", "II.", 1), ("II.1", "1.", 2),
    ]


def test_inline_numbered_list_is_not_a_heading() -> None:
    got = _sections("I. NỘI DUNG", "Gồm các bước: 1. chuẩn bị; 2. triển khai; 3. tổng kết.")
    assert got == [("I", "I.", 1)]


def test_articles_and_appendix() -> None:
    got = _sections("Điều 1. Ban hành", "Điều 2. Hiệu lực", "PHỤ LỤC 2", "I. CÔNG TÁC CHỈ ĐẠO")
    assert got == [("D1", "Điều 1.", 1), ("D2", "Điều 2.", 1), ("PL2", "PHỤ LỤC 2", 1), ("PL2.I", "I.", 2)]


def test_section_spans_cover_their_content() -> None:
    doc = build_document(SourceDoc([Block("para", text=p) for p in ("I. A", "nội dung", "II. B", "khác")], "txt"))
    roots = build_sections(doc, [])
    assert doc.text[roots[0].start:roots[0].end].rstrip("\n") == "I. A\nnội dung"


def test_chapters_hold_their_articles() -> None:
    """Chương I › Điều 1 … ; a chapter after an article's points is a new top-level section
    (it used to nest under the last point), and an article keeps its own id "D4"."""
    got = _sections(
        "Chương I", "Điều 1. Phạm vi", "1. Quy chế này quy định", "Chương II", "Điều 2. Trách nhiệm",
        "1. Giúp Thủ tướng", "a) Chỉ đạo", "Chương III", "Điều 3. Chế độ làm việc",
    )
    assert got == [
        ("CI", "Chương I", 1), ("D1", "Điều 1.", 2), ("D1.1", "1.", 3), ("CII", "Chương II", 1),
        ("D2", "Điều 2.", 2), ("D2.1", "1.", 3), ("D2.1.a", "a)", 4), ("CIII", "Chương III", 1),
        ("D3", "Điều 3.", 2),
    ]
