"""DOCX and PDF from the report's HTML, by LibreOffice (``soffice --headless``).

One renderer (the HTML template) writes the report; LibreOffice's Writer imports it and
exports Word's format or PDF, keeping headings, tables, links and languages. A second
renderer in python-docx would say every sentence twice, and python-docx has no API for
links. Each conversion runs in a fresh temporary folder with its own LibreOffice profile,
so two conversions never share state and nothing is left behind.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

# the filters: open the HTML in Writer proper (not Writer/Web), export each format
IMPORT = "HTML (StarWriter)"
EXPORT = {"docx": "docx:MS Word 2007 XML", "pdf": "pdf:writer_pdf_Export"}
TIMEOUT_S = 300  # a cold LibreOffice start on a busy machine takes tens of seconds


class OfficeError(RuntimeError):
    """LibreOffice is missing or could not convert the report."""


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise OfficeError(
            "DOCX and PDF reports need LibreOffice Writer (Debian: "
            "apt-get install libreoffice-writer-nogui); --format html needs nothing."
        )
    return found


def convert(html: str, fmt: str) -> bytes:
    """The report ``html`` as ``fmt`` (docx or pdf)."""
    if fmt not in EXPORT:
        raise ValueError(f"no conversion to {fmt!r}")
    program = soffice()
    with tempfile.TemporaryDirectory(prefix="kg-report-") as tmp:
        folder = Path(tmp)
        source = folder / "report.html"
        source.write_text(html, encoding="utf-8")
        command = [
            program,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            f"--infilter={IMPORT}",
            "--convert-to",
            EXPORT[fmt],
            "--outdir",
            str(folder / "out"),
            str(source),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
            )
        except subprocess.TimeoutExpired:
            raise OfficeError(f"LibreOffice did not finish within {TIMEOUT_S} s") from None
        made = folder / "out" / f"report.{fmt}"
        if done.returncode != 0 or not made.is_file():
            detail = (done.stderr or done.stdout).strip().splitlines()
            raise OfficeError(
                f"LibreOffice could not write the {fmt.upper()} report"
                + (f": {detail[-1]}" if detail else "")
            )
        return made.read_bytes()
