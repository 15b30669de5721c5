"""The batch runner: inputs → outputs, in parallel, atomically, failure-isolated.

Only this module and the CLI touch the disk.  One bad document never stops a
batch: it gets an error record (``{"error": {"code", "message"}}``) next to
the others, a line on stderr, and counts as a failure in the summary.  Files
are written to a temporary name and renamed, so a crash never leaves a
half-written record.
"""

from __future__ import annotations

import json
import os
import tempfile
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..model import ErrorRecord, Record, Source, Warning
from ..readers import SUPPORTED_SUFFIXES
from ..readers.base import ReaderError


@dataclass(frozen=True)
class Job:
    path: Path
    rel: Path  # output path relative to the output folder, without suffix
    ocr: str = "auto"
    ocr_workers: int = 1


@dataclass(frozen=True)
class Outcome:
    job: Job
    ok: bool
    json_text: str
    plain_text: str | None
    error: str | None = None


def collect_inputs(inputs: list[Path]) -> list[Job]:
    """Expand files and folders (recursive, sorted) into jobs with mirrored output names.

    Raises:
        FileNotFoundError: an input does not exist.
    """
    jobs: list[Job] = []
    for inp in inputs:
        if not inp.exists():
            raise FileNotFoundError(f"input not found: {inp}")
        if inp.is_dir():
            files = sorted(
                p for p in inp.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
            )
            for f in files:
                jobs.append(Job(f, f.relative_to(inp).with_suffix("")))
        else:
            jobs.append(Job(inp, Path(inp.stem)))
    # Two inputs with one stem (a.doc, a.pdf) must not overwrite each other.
    seen: dict[Path, int] = {}
    out: list[Job] = []
    for j in jobs:
        if j.rel in seen:
            j = Job(j.path, j.rel.with_name(j.rel.name + j.path.suffix.lower().replace(".", "_")))
        seen[j.rel] = 1
        out.append(j)
    return out


def dump_json(model: Record | ErrorRecord) -> str:
    """Deterministic JSON: fixed key order, UTF-8, two-space indent, trailing newline."""
    data = model.model_dump(mode="json")
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def run_one(job: Job) -> Outcome:
    """Process one file; never raises."""
    from ..pipeline import process_file

    try:
        result = process_file(job.path, display_path=job.path.as_posix(), ocr=job.ocr, ocr_workers=job.ocr_workers)
        return Outcome(job, True, dump_json(result.record), result.text)
    except ReaderError as exc:
        code, message = exc.code, exc.message
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the batch
        code = "INTERNAL_ERROR"
        message = f"{job.path.name}: {type(exc).__name__}: {exc}"
        if os.environ.get("EXTRACTOR_DEBUG"):
            message += "\n" + traceback.format_exc()
    import hashlib

    try:
        sha = hashlib.sha256(job.path.read_bytes()).hexdigest()
    except OSError:
        sha = ""
    err = ErrorRecord(
        source=Source(path=job.path.as_posix(), sha256=sha, format=job.path.suffix.lower().lstrip("."),
                      extractor_version=__version__),
        error=Warning(code=code, message=message),
    )
    return Outcome(job, False, dump_json(err), None, f"[{code}] {message}")


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def run(jobs: list[Job], jobs_n: int = 1) -> Iterator[Outcome]:
    """Yield outcomes in input order, processing with ``jobs_n`` worker processes."""
    if jobs_n <= 1 or len(jobs) <= 1:
        for j in jobs:
            yield run_one(j)
        return
    with ProcessPoolExecutor(max_workers=jobs_n) as pool:
        yield from pool.map(run_one, jobs, chunksize=1)


def write_outcome(out_dir: Path, outcome: Outcome) -> None:
    """Write ``<rel>.json`` and, for successes, ``<rel>.txt``; remove a stale ``.txt`` on failure."""
    base = out_dir / outcome.job.rel
    atomic_write(base.with_name(base.name + ".json"), outcome.json_text)
    txt = base.with_name(base.name + ".txt")
    if outcome.plain_text is not None:
        atomic_write(txt, outcome.plain_text)
    elif txt.exists():
        txt.unlink()


ProgressFn = Callable[[Outcome, int, int], None]
