from __future__ import annotations

import pytest

from extractor.extract.references import find_references
from extractor.readers.base import Block, SourceDoc
from extractor.text.document import build_document


def _refs(text: str, own: str | None = None) -> list[tuple[str, str, str | None]]:
    doc = build_document(SourceDoc([Block("para", text=text)], "txt"))
    out = find_references(doc, own)
    for r in out:
        assert doc.text[r.start:r.end] == doc.text[r.start:r.end].strip(" ,;.")
    return [(r.reference_code, r.doc_type, r.date) for r in out]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("theo Quyết định số 1397/QĐ-UBND ngày 22 tháng 4 năm 2024 của Chủ tịch", [("1397/QĐ-UBND", "QUYET_DINH", "2024-04-22")]),
        ("Kế hoạch 153/KH-UBND ngày 07/9/2023 của UBND tỉnh", [("153/KH-UBND", "KE_HOACH", "2023-09-07")]),
        ("Nghị quyết số 41/2023/NQ-HĐND", [("41/2023/NQ-HĐND", "NGHI_QUYET", None)]),
        ("Chương trình hành động số 09-CTr/TU ngày 14 tháng 5 năm 2021", [("09-CTr/TU", "OTHER", "2021-05-14")]),
        ("Nghị quyết số 71/NQ -CP ngày 01/4/2025", [("71/NQ-CP", "NGHI_QUYET", "2025-04-01")]),
        ("Thông tư số 06/2022/TT-BTTTT", [("06/2022/TT-BTTTT", "OTHER", None)]),
        ("theo mẫu số 01 và tỷ lệ 100/100", []),
    ],
)
def test_references(text: str, expected: list[tuple[str, str, str | None]]) -> None:
    assert _refs(text) == expected


def test_own_number_and_duplicates_excluded() -> None:
    text = "Kế hoạch số 690/KH-UBND. Quyết định 3532/QĐ-UBND ngày 23/12/2022; Quyết định 3532/QĐ-UBND."
    assert _refs(text, own="690/KH-UBND") == [("3532/QĐ-UBND", "QUYET_DINH", "2022-12-23")]
