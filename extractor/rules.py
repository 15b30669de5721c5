"""Load the rule data of ``patterns/`` (rules are data; code holds mechanisms).

Every JSONL entry has an ``id``; entries may carry ``examples`` and
``counter_examples`` that tests run.  The folder is found next to the package
(``<repo>/patterns``) or at ``$EXTRACTOR_PATTERNS``.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import regex


class RuleError(Exception):
    """A pattern file is missing or malformed."""


def patterns_dir() -> Path:
    env = os.environ.get("EXTRACTOR_PATTERNS")
    return Path(env) if env else Path(__file__).resolve().parents[1] / "patterns"


@cache
def load_jsonl(name: str) -> tuple[dict[str, Any], ...]:
    """Entries of ``patterns/<name>``; raises :class:`RuleError` naming file and line."""
    path = patterns_dir() / name
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise RuleError(f"[R001] cannot read rule file {path}: {exc.strerror}") from exc
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for no, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RuleError(f"[R002] {path.name}:{no}: invalid JSON ({exc.msg})") from exc
        if not isinstance(entry, dict) or "id" not in entry:
            raise RuleError(f"[R003] {path.name}:{no}: entry must be an object with an 'id'")
        if entry["id"] in seen:
            raise RuleError(f"[R004] {path.name}:{no}: duplicate id {entry['id']!r}")
        seen.add(entry["id"])
        out.append(entry)
    return tuple(out)


@cache
def load_tsv(name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of ``patterns/<name>`` (tab-separated; ``#`` lines are comments and name the columns: no header row)."""
    path = patterns_dir() / name
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise RuleError(f"[R001] cannot read rule file {path}: {exc.strerror}") from exc
    rows = [tuple(c.strip() for c in ln.split("\t")) for ln in lines if ln.strip() and not ln.startswith("#")]
    return tuple(rows)


@cache
def rule_pattern(name: str, rule_id: str) -> regex.Pattern[str]:
    """The ``pattern`` of entry ``rule_id`` of ``patterns/<name>``, compiled (flag ``i``: case-insensitive)."""
    for entry in load_jsonl(name):
        if entry["id"] == rule_id:
            return regex.compile(entry["pattern"], regex.IGNORECASE if "i" in entry.get("flags", "") else 0)
    raise RuleError(f"[R005] patterns/{name} has no entry {rule_id!r}")


@cache
def rule_words(name: str, rule_id: str) -> tuple[str, ...]:
    """The ``words`` of entry ``rule_id`` of ``patterns/<name>``."""
    for entry in load_jsonl(name):
        if entry["id"] == rule_id:
            return tuple(entry["words"])
    raise RuleError(f"[R005] patterns/{name} has no entry {rule_id!r}")
