"""Reading a PDF back as text, the way a person copying from it would: Debian's pdftotext (poppler-utils)."""

import shutil
import subprocess

import pytest


def pdf_text(data: bytes, tmp_path) -> str:
    """The PDF's text laid out as pdftotext reads it; a missing pdftotext fails the test (never a skip)."""
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (Debian poppler-utils) is not installed")
    path = tmp_path / "read-back.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
