"""Command line: click commands only; the library does the work.

Data goes to stdout or files, progress and errors to stderr.  Exit codes:
0 all documents ok, 1 some documents failed, 2 usage error.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import click

from . import __version__
from .batch.runner import collect_inputs, run, write_outcome

CONTEXT = {"help_option_names": ["-h", "--help"]}


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="extractor")
def main() -> None:
    """Turn Vietnamese administrative documents (.txt .md .docx .doc .pdf) into structured JSON."""


@main.command(context_settings=CONTEXT)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder: writes <stem>.json and <stem>.txt per input, mirroring sub-folders.")
@click.option("-j", "--jobs", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes.")
@click.option("--ocr", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="OCR PDF pages without a usable text layer (auto), every page, or none.")
@click.option("--ocr-workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="PDF pages OCR'd in parallel within one document (Tesseract runs single-threaded).")
@click.option("-q", "--quiet", is_flag=True, help="No progress lines on stderr.")
@click.version_option(__version__, "--version", prog_name="extractor")
def extract(inputs: tuple[Path, ...], out_dir: Path | None, jobs: int, ocr: str, ocr_workers: int, quiet: bool) -> None:
    """Extract records from INPUT files or folders (recursive, sorted).

    With a single file and no -o, the JSON record is printed on stdout.

    PDF text layers are read with pypdfium2; set EXTRACTOR_PDF_ENGINE=plumber
    to read them with pdfplumber instead (it also reads any page pdfium fails on).
    """
    try:
        job_list = [dataclasses.replace(j, ocr=ocr, ocr_workers=ocr_workers) for j in collect_inputs(list(inputs))]
    except FileNotFoundError as exc:
        raise click.UsageError(str(exc)) from exc
    if not job_list:
        raise click.UsageError("no supported documents (.txt .md .docx .doc .pdf) in the given inputs")
    single_stdout = out_dir is None and len(job_list) == 1 and Path(inputs[0]).is_file()
    if out_dir is None and not single_stdout:
        raise click.UsageError("several documents need an output folder: add -o DIR")
    failed = 0
    for i, outcome in enumerate(run(job_list, jobs), 1):
        if not outcome.ok:
            failed += 1
            click.echo(f"error: {outcome.job.path}: {outcome.error}", err=True)
        if single_stdout:
            click.echo(outcome.json_text, nl=False)
        else:
            assert out_dir is not None
            write_outcome(out_dir, outcome)
            if not quiet:
                click.echo(f"[{i}/{len(job_list)}] {'ok ' if outcome.ok else 'ERR'} {outcome.job.path}", err=True)
    if not quiet and not single_stdout:
        click.echo(f"{len(job_list)} documents: {len(job_list) - failed} ok, {failed} failed", err=True)
    sys.exit(1 if failed else 0)


@main.command(context_settings=CONTEXT)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the schema to this file instead of stdout.")
@click.version_option(__version__, "--version", prog_name="extractor")
def schema(output: Path | None) -> None:
    """Print (or write) the JSON Schema of the output record."""
    from .schema import schema_text

    text = schema_text()
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


@main.command(name="eval", context_settings=CONTEXT)
@click.argument("corpus", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--only", multiple=True, help="Score only these document stems.")
@click.option("-v", "--verbose", is_flag=True, help="List every mismatch.")
@click.option("--skip-suffix", multiple=True, help="Leave out documents with this suffix (e.g. .pdf).")
@click.version_option(__version__, "--version", prog_name="extractor")
def evaluate(corpus: Path, as_json: bool, only: tuple[str, ...], verbose: bool, skip_suffix: tuple[str, ...]) -> None:
    """Score extraction against CORPUS/gold/*.json (documents in CORPUS/documents/)."""
    from .evaluate import evaluate_corpus, format_report

    report = evaluate_corpus(corpus, only=set(only) or None, skip_suffixes=skip_suffix)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report, verbose=verbose))
    sys.exit(1 if report.failures else 0)
