"""Reader for Word 97-2003 ``.doc`` files, through LibreOffice.

LibreOffice (headless) converts the file to ``.docx`` in a fresh temporary
directory, then :func:`~extractor.readers.docx.read_docx` reads the result, so
both Word formats come out the same way (automatic numbering included: the
converter keeps it as ``numbering.xml``).

Each call uses its own LibreOffice profile directory, so conversions can run
in parallel (a shared profile makes a second ``soffice`` hand its job to the
first one, or fail on the profile lock).  The input is copied under an ASCII
name because LibreOffice mishandles some non-ASCII paths.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from .base import ReaderError, SourceDoc
from .docx import read_docx

__all__ = ["find_soffice", "read_doc"]


def find_soffice() -> str | None:
    """Return the path of the LibreOffice binary, or ``None`` when not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill the converter and its children (``soffice`` forks ``soffice.bin``)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.communicate()


_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _check_content(path: Path, data: bytes) -> str | None:
    """Refuse what LibreOffice would silently import as plain-text garbage.

    Word 97-2003 (and 6.0/95) files are OLE compound files holding a
    ``WordDocument`` stream; RTF and HTML/XML saved under a ``.doc`` name are
    common too and convert well.  Anything else is refused up front.

    Returns:
        The LibreOffice import filter to force, if any: HTML must be opened
        in Writer proper (Writer/Web cannot export ``.docx``).
    """
    if not data:
        raise ReaderError("DOC_CONVERT_FAILED", f"{path.name}: the file is empty (0 bytes)")
    if data.startswith(_CFB_MAGIC):
        if "WordDocument".encode("utf-16-le") in data:
            return None
        if "EncryptedPackage".encode("utf-16-le") in data:
            reason = "the document is password-protected (encrypted)"
        else:
            reason = "an Office file without Word content (Excel, PowerPoint?) or a damaged file"
        raise ReaderError("DOC_CONVERT_FAILED", f"{path.name}: {reason}")
    head = data[:512].lstrip(b"\xef\xbb\xbf\xff\xfe\r\n\t ").lower()
    if b"<html" in head or b"<!doctype html" in head:
        return "HTML (StarWriter)"
    if head.startswith((b"{\\rtf", b"<", b"mime-version")):
        return None
    raise ReaderError("DOC_CONVERT_FAILED", f"{path.name}: not a Word 97-2003 document (unrecognised content)")


def _last_line(data: bytes) -> str:
    lines = [ln.strip() for ln in data.decode("utf-8", "replace").splitlines() if ln.strip()]
    # LibreOffice prints a harmless Java warning on machines without a JRE.
    lines = [ln for ln in lines if "javaldx" not in ln]
    return lines[-1] if lines else "no message"


def read_doc(path: Path, *, timeout: float = 120.0) -> SourceDoc:
    """Read a Word 97-2003 ``.doc`` file by converting it with LibreOffice.

    Args:
        path: The ``.doc`` file (RTF or HTML saved as ``.doc`` works too).
        timeout: Seconds to wait for LibreOffice before giving up.

    Returns:
        A :class:`SourceDoc` with ``format == "doc"`` (``"docx"`` when the
        file is in fact a ``.docx`` package, read directly).

    Raises:
        ReaderError: ``LIBREOFFICE_MISSING`` when neither ``soffice`` nor
            ``libreoffice`` is on the PATH, ``DOC_TIMEOUT`` when the
            conversion takes longer than ``timeout``, ``DOC_CONVERT_FAILED``
            when the file cannot be opened, is not a Word document or cannot
            be converted.
    """
    binary = find_soffice()
    if binary is None:
        raise ReaderError(
            "LIBREOFFICE_MISSING",
            f"{path.name}: reading .doc files needs LibreOffice, which is not installed "
            "(install libreoffice-writer-nogui, e.g. apt-get install libreoffice-writer-nogui)",
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReaderError("DOC_CONVERT_FAILED", f"{path.name}: cannot open the file ({exc.strerror or exc})") from exc
    if data.startswith(b"PK\x03\x04"):  # a .docx saved under a .doc name
        return read_docx(path)
    infilter = _check_content(path, data)
    work = Path(tempfile.mkdtemp(prefix="extractor-doc-"))
    try:
        source = work / "in" / "input.doc"
        outdir = work / "out"
        source.parent.mkdir()
        outdir.mkdir()
        source.write_bytes(data)
        command = [
            binary,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            *([f"--infilter={infilter}"] if infilter else []),
            "--convert-to",
            "docx",
            "--outdir",
            str(outdir),
            str(source),
        ]
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,  # LibreOffice prints its errors on stdout
            start_new_session=True,  # own process group, so a timeout kills soffice.bin too
        )
        try:
            output, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise ReaderError(
                "DOC_TIMEOUT",
                f"{path.name}: LibreOffice did not finish converting within {timeout:g} s "
                "(the file may be very large, damaged or password-protected)",
            ) from None
        result = outdir / "input.docx"
        if not result.is_file():
            raise ReaderError(
                "DOC_CONVERT_FAILED",
                f"{path.name}: LibreOffice could not convert the file (exit code "
                f"{proc.returncode}: {_last_line(output)}); it may be damaged, "
                "password-protected or not a Word document",
            )
        try:
            doc = read_docx(result)
        except ReaderError as exc:
            raise ReaderError(
                "DOC_CONVERT_FAILED",
                f"{path.name}: the converted document is unreadable ({exc.message.removeprefix(result.name + ': ')})",
            ) from exc
        doc.format = "doc"
        return doc
    finally:
        shutil.rmtree(work, ignore_errors=True)
