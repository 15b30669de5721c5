"""Second looks at OCR tokens: Roman numerals counted from their stems, lone glyphs and
line-opening markers read again (extractor/readers/ocr_repair.py)."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFont

from extractor.readers.ocr_repair import (
    accept_lone,
    accept_marker,
    lone_suspect,
    marker_suspect,
    neighbours,
    numeral_context,
    repair_numerals,
    roman_from_strokes,
    second_look,
    stroke_runs,
)
from extractor.readers.pdf_blocks import find_bands
from extractor.readers.pdf_layout import Word, build_lines, geometry

SERIF = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
needs_serif = pytest.mark.skipif(not SERIF.exists(), reason="fonts-liberation2 is not installed")
DPI = 300
SCALE = 72.0 / DPI


def _render(tokens: list[tuple[str, int, int]], size: int = 55) -> tuple[NDArray[np.uint8], list[Word]]:
    """A white page with ``tokens`` (text, x, y in pixels) in Liberation Serif, and each token's
    tight box as a Word in PDF points (what Tesseract would report, with the text given)."""
    image = Image.new("L", (1600, 400), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(SERIF), size)
    words = []
    for text, x, y in tokens:
        draw.text((x, y), text, font=font, fill=0)
        x0, y0, x1, y1 = draw.textbbox((x, y), text, font=font)
        words.append(Word(x0 * SCALE, y0 * SCALE, x1 * SCALE, y1 * SCALE, text, size * SCALE, 90.0))
    return np.asarray(image), words


def _crop(image: NDArray[np.uint8], w: Word) -> NDArray[np.uint8]:
    return image[round(w.top / SCALE) : round(w.bottom / SCALE), round(w.x0 / SCALE) : round(w.x1 / SCALE)]


@needs_serif
@pytest.mark.parametrize(
    ("printed", "misread", "expected"),
    [
        ("III", "II", "III"),
        ("III", "HI", "III"),
        ("II", "H", "II"),
        ("XII", "XI", "XII"),
        ("VII", "VI", "VII"),
        ("III.", "II.", "III."),
        ("II", "II", "II"),
    ],
)
def test_numeral_counted_from_stems(printed: str, misread: str, expected: str) -> None:
    image, words = _render([(printed, 100, 100)])
    strokes = stroke_runs(_crop(image, words[0]))
    assert strokes is not None
    fixed = roman_from_strokes(misread, strokes)
    assert (fixed or misread) == expected


@needs_serif
def test_numeral_with_year_counts_stems_before_the_slash() -> None:
    image, words = _render([("II/2024", 100, 100)])
    strokes = stroke_runs(_crop(image, words[0]))
    assert strokes is not None
    assert roman_from_strokes("1/2024", strokes) == "II/2024"
    one, ones = _render([("1/2024", 100, 100)])
    strokes = stroke_runs(_crop(one, ones[0]))
    assert strokes is not None
    assert roman_from_strokes("1/2024", strokes) is None  # an Arabic one stays
    comma, commas = _render([("II/2030,", 100, 100)])
    strokes = stroke_runs(_crop(comma, commas[0]))
    assert strokes is not None
    assert roman_from_strokes("1/2030,", strokes) == "II/2030,"  # "Quý II/2030, các sở …"


@needs_serif
def test_repair_numerals_only_in_numeral_places() -> None:
    # "Quý II" (after a numeral word), a heading "II." and a row-opening "II" are
    # numeral places; "ĐƠN VỊ" and "TT" (thứ tự) are words.
    image, words = _render(
        [("Quý", 100, 50), ("III", 260, 50), ("III.", 100, 150), ("Nội", 1200, 150), ("TT", 100, 250)]
    )
    misread = [words[0], Word(*words[1].__dict__.values()), words[2], words[3], words[4]]
    misread[1] = Word(words[1].x0, words[1].top, words[1].x1, words[1].bottom, "II", words[1].size, 80.0)
    misread[2] = Word(words[2].x0, words[2].top, words[2].x1, words[2].bottom, "TH.", words[2].size, 80.0)
    fixed = repair_numerals(misread, image, DPI)
    assert [w.text for w in fixed] == ["Quý", "III", "III.", "Nội", "TT"]
    # The same image read as a word after "Sở" is left alone: not a numeral place.
    ctx = Word(words[0].x0, words[0].top, words[0].x1, words[0].bottom, "Sở", words[0].size, 90.0)
    assert repair_numerals([ctx, misread[1]], image, DPI)[1].text == "II"


def test_neighbours_respect_table_cells() -> None:
    left = Word(100, 100, 130, 110, "địa", 10)
    lone = Word(140, 100, 146, 110, "S", 10)
    assert neighbours([left, lone])[1].left
    cells = [(90.0, 90.0, 135.0, 120.0), (136.0, 90.0, 200.0, 120.0)]
    from extractor.readers.ocr_repair import regions

    near = neighbours([left, lone], regions([left, lone], cells))
    assert not near[1].left and not near[1].right


@pytest.mark.parametrize(
    ("first", "again", "expected"),
    [
        ("S", "3", "3"),
        ("ả", "2", "2"),
        ("k)", "3", "3"),
        ("lô)", "8", "8"),
        ("8", "9.", "9"),
        ("5", "5.", None),  # same number: nothing to change
        ("xã", "1", None),  # a word, not a glyph
        ("I", "1", None),  # a Roman one stays Roman
        ("S", "Sở", None),  # the second reading is no number
    ],
)
def test_accept_lone(first: str, again: str, expected: str | None) -> None:
    assert accept_lone(first, again) == expected


@pytest.mark.parametrize(
    ("first", "again", "expected"),
    [("o.", "5.", "5."), ("S.", "5.", "5."), ("5.", "5.", None), ("a)", "2)", None), ("S.", "S.", None)],
)
def test_accept_marker(first: str, again: str, expected: str | None) -> None:
    assert accept_marker(first, again) == expected


def test_pattern_examples() -> None:
    from extractor.rules import load_jsonl, rule_pattern

    assert lone_suspect() is rule_pattern("ocr.jsonl", "lone-suspect")
    assert marker_suspect() is rule_pattern("ocr.jsonl", "marker-suspect")
    assert numeral_context() is rule_pattern("ocr.jsonl", "numeral-context")
    for entry in load_jsonl("ocr.jsonl"):
        rx = rule_pattern("ocr.jsonl", entry["id"])
        # Tokens are matched whole; an English reading of a number line from its start.
        hit = rx.match if entry["id"] == "number-reading" else rx.fullmatch
        assert all(hit(x) for x in entry["examples"]), entry["id"]
        assert not any(hit(x) for x in entry["counter_examples"]), entry["id"]


def _tsv(words: list[str]) -> str:
    head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [f"5\t{n + 1}\t1\t1\t1\t1\t20\t20\t10\t20\t91.0\t{w}" for n, w in enumerate(words)]
    return "\n".join([head, *rows]) + "\n"


def test_second_look_merges_readings(tmp_path: Path) -> None:
    """A lone 'S' in its cell and an 'o.' opening a line are replaced by what the second runs read."""
    image = np.full((600, 600), 255, dtype=np.uint8)
    image[100:140, 100:120] = 0
    image[300:340, 50:70] = 0
    page = tmp_path / "page.png"
    Image.fromarray(image).save(page)
    lone = Word(100 * SCALE, 100 * SCALE, 120 * SCALE, 140 * SCALE, "S", 10, 60.0)
    marker = Word(50 * SCALE, 300 * SCALE, 70 * SCALE, 340 * SCALE, "o.", 10, 58.0)
    after = Word(80 * SCALE, 300 * SCALE, 140 * SCALE, 340 * SCALE, "Sở", 10, 95.0)
    calls: list[tuple[str, str, int]] = []

    def run(listing: Path, lang: str, psm: str) -> str:
        images = listing.read_text(encoding="utf-8").split()
        calls.append((lang, psm, len(images)))
        return _tsv(["3"] if lang == "vie" else ["5."])

    with ThreadPoolExecutor(1) as pool:
        out = second_look({0: [lone, marker, after]}, {0: page}, {0: []}, DPI, run, pool)
    assert [w.text for w in out[0]] == ["3", "5.", "Sở"]
    assert sorted(calls) == [("eng", "8", 1), ("vie", "8", 1)]
    with ThreadPoolExecutor(1) as pool:
        out = second_look({0: [lone, marker, after]}, {0: page}, {0: []}, DPI, run, pool, english=False)
    assert [w.text for w in out[0]] == ["3", "o.", "Sö"[:0] + "Sở"]


@needs_serif
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
def test_second_look_with_tesseract(tmp_path: Path) -> None:
    """Tesseract itself: a lone '3' first misread as 'S' is read right as one word."""
    from extractor.readers.pdf_ocr import _tesseract_lang, tesseract_path

    image, words = _render([("3", 200, 100)], size=50)
    page = tmp_path / "page.png"
    Image.fromarray(image).save(page)
    w = words[0]
    misread = Word(w.x0, w.top, w.x1, w.bottom, "S", w.size, 66.0)
    exe = tesseract_path()

    def run(listing: Path, lang: str, psm: str) -> str:
        return _tesseract_lang(exe, listing, DPI, lang, psm)

    with ThreadPoolExecutor(1) as pool:
        out = second_look({0: [misread]}, {0: page}, {0: []}, DPI, run, pool)
    assert out[0][0].text == "3"


def test_justified_paragraph_with_a_hole_is_no_band() -> None:
    """Two full-width lines of a justified paragraph with holes at the same place (a glyph
    OCR could not read) are not a two-column band; a letterhead still is."""
    def line(y: float, words: list[tuple[float, float]]) -> list[Word]:
        return [Word(x0, y, x1, y + 12, "chữ", 12) for x0, x1 in words]

    body = [
        line(300 + 16 * k, [(85 + 40 * n, 120 + 40 * n) for n in range(13)]) for k in range(2, 6)
    ]
    holed = [
        line(300, [*[(85 + 40 * n, 120 + 40 * n) for n in range(6)], *[(85 + 40 * n, 120 + 40 * n) for n in range(7, 13)]]),
        line(316, [*[(85 + 40 * n, 120 + 40 * n) for n in range(6)], (331, 371), *[(85 + 40 * n, 120 + 40 * n) for n in range(7, 13)]]),
    ]
    lines = build_lines([w for ln in holed + body for w in ln])
    geo = geometry(lines, 595, 842)
    assert find_bands(lines, geo) == []


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        ("Lầm Hải Giang", "Lâm Hải Giang"),  # only the tone differs from a family name
        ("Nguyên Văn An", "Nguyễn Văn An"),
        ("Lâm Hải Giang", "Lâm Hải Giang"),
        ("Phậm Thị Thanh Trà", "Phậm Thị Thanh Trà"),  # the vowel differs too: left alone
        ("Giang", "Giang"),
    ],
)
def test_repair_surname(read: str, expected: str) -> None:
    from extractor.segment.names import repair_surname

    assert repair_surname(read) == expected


def test_signer_surname_repaired_only_for_ocr() -> None:
    from extractor.readers.base import Block, SourceDoc
    from extractor.segment.header import parse_header
    from extractor.text.document import build_document

    blocks = [
        Block("para", text="ỦY BAN NHÂN DÂN\nTỈNH BÌNH ĐỊNH"),
        Block("para", text="Số: 12/KH-UBND"),
        Block("para", text="Bình Định, ngày 3 tháng 2 năm 2025"),
        Block("para", text="KẾ HOẠCH\nCải cách hành chính năm 2025"),
        Block("para", text="Nội dung kế hoạch."),
        Block("para", text="KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nLầm Hải Giang"),
    ]
    for fmt, expected in (("pdf-ocr", "Lâm Hải Giang"), ("docx", "Lầm Hải Giang")):
        head = parse_header(build_document(SourceDoc(blocks, fmt)))
        assert head.signer_name == expected, fmt


def test_parse_tsv_reads_a_doubled_d_once() -> None:
    from extractor.readers.pdf_ocr import parse_tsv

    head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    tsv = head + "\n5\t1\t1\t1\t1\t1\t100\t100\t200\t40\t93.0\t/QĐÐ-UBND\n"
    words, _ = parse_tsv(tsv, DPI)
    assert [w.text for w in words] == ["/QĐ-UBND"]


def test_empty_number_slot_found_and_read() -> None:
    from extractor.readers.ocr_repair import accept_number, empty_number_slots

    label = Word(131, 101, 147, 113, "Số:", 10)
    symbol = Word(190, 104, 245, 116, "/TTg-CĐS", 10)
    place = Word(341, 105, 359, 115, "Hà", 10)
    assert empty_number_slots([label, symbol, place]) == [(0, 1)]
    filled = Word(150, 101, 170, 113, "12", 10)
    assert empty_number_slots([label, filled, symbol]) == []  # the number is there
    tight = Word(149, 104, 200, 116, "/TTg-CĐS", 10)
    assert empty_number_slots([label, tight]) == []  # "Số: /TTg" printed without a number slot
    assert accept_number("Sé: 464 /TTg-CDS") == "464"
    assert accept_number("So: Att /TTg-CDS") is None


def test_second_look_fills_the_number_slot(tmp_path: Path) -> None:
    page = tmp_path / "page.png"
    Image.fromarray(np.full((600, 1200), 255, dtype=np.uint8)).save(page)
    label = Word(131, 101, 147, 113, "Số:", 10, 93.0)
    symbol = Word(190, 104, 245, 116, "/TTg-CĐS", 10, 68.0)
    runs: list[tuple[str, str]] = []

    def run(listing: Path, lang: str, psm: str) -> str:
        runs.append((lang, psm))
        return _tsv(["Sé: 464 /TTg-CDS"])  # one image, read as one line

    with ThreadPoolExecutor(1) as pool:
        out = second_look({0: [label, symbol]}, {0: page}, {0: []}, DPI, run, pool)
    texts = sorted(out[0], key=lambda w: w.x0)
    assert [w.text for w in texts] == ["Số:", "464", "/TTg-CĐS"]
    assert runs == [("eng", "7")]
