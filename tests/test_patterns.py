"""The rule data of patterns/: every file loads, ids are unique, and examples do what they say."""

from __future__ import annotations

import regex

from extractor.extract.task_common import cues, exclude_line_rx
from extractor.extract.task_tables import column_role
from extractor.rules import load_jsonl, patterns_dir
from extractor.segment.header import doc_type_rules, vocab


def test_every_jsonl_file_loads_with_unique_ids() -> None:
    for path in sorted(patterns_dir().glob("*.jsonl")):
        entries = load_jsonl(path.name)
        assert entries, path.name
        assert len({e["id"] for e in entries}) == len(entries), path.name


def test_header_vocabulary_examples() -> None:
    v = vocab()
    assert len(v.issuer_heads.findall("UBND TỈNH LÂM ĐỒNG SỞ NỘI VỤ")) >= 2
    assert v.incomplete_issuer.fullmatch("BAN THƯỜNG TRỰC")
    tail = v.position_tail.search("KT. CHỦ TỊCH PHÓ CHỦ TỊCH")
    assert tail is not None and tail.group(1) == "PHÓ CHỦ TỊCH"
    assert v.authority_head.match("ỦY BAN NHÂN DÂN TỈNH")
    for e in load_jsonl("header.jsonl"):
        if e["id"] == "subject-stop":
            assert all(v.subject_stop.match(x) for x in e["examples"])
        if e["id"] == "subject-weak-stop":
            assert all(v.subject_weak_stop.match(x) for x in e["examples"])


def test_doc_type_labels_unique() -> None:
    labels = [r.label for r in doc_type_rules()]
    assert len(labels) == len(set(labels))


def test_reference_type_words_examples() -> None:
    from extractor.extract.references import find_references
    from extractor.readers.base import Block, SourceDoc
    from extractor.text.document import build_document

    for e in load_jsonl("references.jsonl"):
        for ex in e.get("examples", []):
            doc = build_document(SourceDoc([Block("para", text=ex)], "txt"))
            refs = find_references(doc, None)
            assert refs, ex
            if "word" in e:
                assert refs[0].doc_type == e["doc_type"], ex


def test_task_column_examples() -> None:
    for e in load_jsonl("task_columns.jsonl"):
        for ex in e.get("examples", []):
            assert column_role(ex) == e["role"], ex


def test_task_cue_examples() -> None:
    for e in load_jsonl("task_cues.jsonl"):
        if e["kind"] == "exclude_line":
            for ex in e.get("examples", []):
                assert exclude_line_rx().search(ex), ex
            for ex in e.get("counter_examples", []):
                assert not exclude_line_rx().search(ex), ex
    assert cues()["lead_after"] and cues()["support"]
    assert regex.search("phối hợp với", " ".join(cues()["support"]))


def test_task_pattern_examples() -> None:
    from extractor.extract.task_common import task_pattern

    for e in load_jsonl("task_patterns.jsonl"):
        rx = task_pattern(e["id"])
        for ex in e.get("examples", []):
            assert rx.search(ex.lstrip("- ")), (e["id"], ex)
        for ex in e.get("counter_examples", []):
            assert not rx.search(ex.lstrip("- ")), (e["id"], ex)


def test_letter_and_closing_pattern_examples() -> None:
    """Pattern entries added for letters (salutation, recipients label) and closings (this document)."""
    from extractor.rules import rule_pattern

    for name, rule_id, how in (
        ("header.jsonl", "salutation", "match"),
        ("header.jsonl", "recipients-label", "match"),
        ("task_patterns.jsonl", "this-document", "search"),
    ):
        entry = next(e for e in load_jsonl(name) if e["id"] == rule_id)
        rx = rule_pattern(name, rule_id)
        assert all(getattr(rx, how)(x) for x in entry["examples"]), rule_id
        assert not any(getattr(rx, how)(x) for x in entry["counter_examples"]), rule_id
