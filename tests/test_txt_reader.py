from __future__ import annotations

from pathlib import Path

import pytest

from extractor.readers.base import ReaderError
from extractor.readers.txt import decode_bytes, parse_text, read_text

CRAWL_TABLE = """Trước bảng.

|
**TT**
|
**Nhiệm vụ**
|
**Cơ quan chủ trì**
|
|
1
|
Phối hợp rà soát, sửa đổi Luật
Quy hoạch.
|
Sở Tài chính
|

Sau bảng.
"""


def test_crawl_table_rows_and_cells() -> None:
    blocks = parse_text(CRAWL_TABLE)
    assert [b.kind for b in blocks] == ["para", "table", "para"]
    rows = blocks[1].rows
    assert [c.text for c in rows[0]] == ["**TT**", "**Nhiệm vụ**", "**Cơ quan chủ trì**"]
    assert [c.text for c in rows[1]] == ["1", "Phối hợp rà soát, sửa đổi Luật\nQuy hoạch.", "Sở Tài chính"]


def test_tab_table() -> None:
    blocks = parse_text("STT\tNội dung\tĐơn vị\n1\tA\tSở B\n")
    assert blocks[0].kind == "table"
    assert [c.text for c in blocks[0].rows[1]] == ["1", "A", "Sở B"]


@pytest.mark.parametrize(
    "data",
    [
        "Sở Nội vụ".encode(),
        b"\xef\xbb\xbf" + "Sở Nội vụ".encode(),
        "Sở Nội vụ".encode("utf-16"),
        "Sở Nội vụ".encode("utf-16-le"),
    ],
)
def test_decodings(data: bytes) -> None:
    assert decode_bytes(data, "x.txt") == "Sở Nội vụ"


def test_empty_and_binary_files_raise_named_errors(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(ReaderError, match="empty.txt"):
        read_text(empty)
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x00\x01\x02\x03" * 100 + b"\x00" * 10)
    with pytest.raises(ReaderError, match="bin.txt"):
        read_text(binary)


def test_gfm_markdown_table() -> None:
    blocks = parse_text("Trước.\n\n| STT | Nhiệm vụ | Cơ quan chủ trì |\n|---|---|---|\n| 1 | Xây dựng kế hoạch | Sở Nội vụ |\n\nSau.")
    assert [b.kind for b in blocks] == ["para", "table", "para"]
    assert [c.text for c in blocks[1].rows[1]] == ["1", "Xây dựng kế hoạch", "Sở Nội vụ"]
    assert len(blocks[1].rows) == 2
