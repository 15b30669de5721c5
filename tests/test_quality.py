"""Static checks run as tests: ruff (lint) and mypy (strict on the package)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff() -> None:
    assert shutil.which("ruff") or _run("ruff", "--version").returncode == 0, "ruff is not installed (pip install -e .[dev])"
    paths = [p for p in ("extractor", "tests", "scripts", "benchmarks") if (ROOT / p).exists()]
    res = _run("ruff", "check", *paths)
    assert res.returncode == 0, res.stdout + res.stderr


def test_mypy_strict() -> None:
    res = _run("mypy", "--strict", "extractor")
    assert res.returncode == 0, res.stdout[-5000:] + res.stderr[-2000:]
