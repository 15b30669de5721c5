"""CLI behaviour: help/version everywhere, exit codes, outputs, error records, determinism."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor import __version__
from extractor.cli import main

from .conftest import DOCS

SEED = DOCS / "003_9c6f599622bc699a.txt"


@pytest.mark.parametrize("cmd", [[], ["extract"], ["schema"], ["eval"]])
def test_help_and_version(cmd: list[str]) -> None:
    runner = CliRunner()
    for flag in ("-h", "--help"):
        res = runner.invoke(main, [*cmd, flag])
        assert res.exit_code == 0, res.output
        assert "Usage:" in res.output
    res = runner.invoke(main, [*cmd, "--version"])
    assert res.exit_code == 0
    assert __version__ in res.output


def test_single_file_prints_json() -> None:
    res = CliRunner().invoke(main, ["extract", str(SEED)])
    assert res.exit_code == 0
    rec = json.loads(res.stdout)
    assert rec["metadata"]["reference_code"] == "690/KH-UBND"


def test_folder_mirrors_subfolders_and_reports_failures(tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "a.txt").write_bytes(SEED.read_bytes())
    (src / "broken.docx").write_bytes(b"this is not a zip")
    (src / "ignored.xyz").write_text("x")
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["extract", str(src), "-o", str(out)])
    assert res.exit_code == 1
    assert "broken.docx" in res.stderr
    assert (out / "sub" / "a.json").exists() and (out / "sub" / "a.txt").exists()
    err = json.loads((out / "broken.json").read_text(encoding="utf-8"))
    assert err["error"]["code"] == "DOCX_UNREADABLE"
    assert "broken.docx" in err["error"]["message"]
    assert not (out / "broken.txt").exists()
    assert not list(out.rglob("*.tmp"))


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["extract", str(tmp_path / "missing.txt")]).exit_code == 2
    assert runner.invoke(main, ["extract", str(DOCS)]).exit_code == 2  # several docs need -o
    assert runner.invoke(main, ["nope"]).exit_code == 2


def test_output_is_byte_identical_across_runs(tmp_path: Path) -> None:
    runner = CliRunner()
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        assert runner.invoke(main, ["extract", str(SEED), str(DOCS / "002_cb22d10497566f9f.txt"), "-o", str(out)]).exit_code == 0
    for f in sorted(a.iterdir()):
        assert f.read_bytes() == (b / f.name).read_bytes(), f.name


def test_schema_command_matches_committed_schema(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["schema"])
    assert res.exit_code == 0
    committed = (Path(__file__).resolve().parents[1] / "schemas" / "record.schema.json").read_text(encoding="utf-8")
    assert res.stdout == committed, "schemas/ drifted from extractor/model.py: run `extractor schema -o schemas/record.schema.json`"
