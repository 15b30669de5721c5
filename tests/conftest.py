"""Shared fixtures: the bundled corpus and processed records (cached per session)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from extractor.pipeline import Result, process_file

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
DOCS = CORPUS / "documents"
GOLD = CORPUS / "gold"
SHARED = ROOT.parent / "shared"


def corpus_documents(suffixes: tuple[str, ...] = (".txt", ".md", ".docx", ".doc")) -> list[Path]:
    return sorted(p for p in DOCS.iterdir() if p.suffix.lower() in suffixes)


@cache
def processed(name: str) -> Result:
    return process_file(DOCS / name, display_path=name)


def gold_for(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((GOLD / f"{path.stem}.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS
