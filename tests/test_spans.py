"""Every span in every output indexes the record's own text (text[start:end] == evidence)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from extractor.model import Record

from .conftest import corpus_documents, processed


def _walk(obj: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    """All dict nodes that carry a span, with their JSON path."""
    out: list[tuple[str, dict[str, Any]]] = []
    if isinstance(obj, dict):
        if isinstance(obj.get("span"), dict):
            out.append((path, obj))
        for k, v in obj.items():
            out.extend(_walk(v, f"{path}.{k}"))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out.extend(_walk(v, f"{path}[{i}]"))
    return out


def check_spans(rec: Record, text: str) -> list[str]:
    errors = []
    for path, node in _walk(rec.model_dump(mode="json")):
        s, e = node["span"]["start"], node["span"]["end"]
        if not 0 <= s <= e <= len(text):
            errors.append(f"{path}: span {s}:{e} outside text of length {len(text)}")
            continue
        evidence = node.get("text")
        # Items whose "text" is verbatim evidence (references, agencies, deadlines) must match exactly.
        if isinstance(evidence, str) and not path.endswith(("tasks", "]")) or path.endswith(("lead]", "support]")):
            if isinstance(evidence, str) and text[s:e] != evidence:
                errors.append(f"{path}: text[{s}:{e}]={text[s:e]!r} != {evidence!r}")
        if text[s:e] != text[s:e].strip() and s != e:
            errors.append(f"{path}: span {s}:{e} has surrounding whitespace")
    return errors


@pytest.mark.parametrize("path", corpus_documents(), ids=lambda p: p.name)
def test_every_span_matches_its_evidence(path: Path) -> None:
    result = processed(path.name)
    errors = check_spans(result.record, result.text)
    assert not errors, "\n".join(errors[:20])
