"""The case report as PDF: the HTML report printed by a headless Chromium, when one is
installed (nothing is downloaded)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from asylum_sim.i18n import tr
from asylum_sim.model.errors import InputError
from asylum_sim.render.output import write_atomic

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
ENV_VAR = "ASYLUM_SIM_CHROMIUM"
"""Path of the browser to use instead of the first of :data:`BROWSERS` on the PATH."""

TIMEOUT = 120
"""Seconds a print may take (a long case on a busy machine takes a few)."""


def find_browser() -> str | None:
    """The headless browser to print with, or None."""
    chosen = os.environ.get(ENV_VAR)
    if chosen:
        return chosen if shutil.which(chosen) else None
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def headless_args(browser: str, profile: str) -> list[str]:
    """A browser started for one job: no network of its own, no profile left behind."""
    args = [browser, "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-extensions", f"--user-data-dir={profile}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to start its sandbox as root
    return args


def html_to_pdf(html: str, lang: str) -> bytes:
    """Print ``html`` to PDF (A4, the page's print CSS) with the headless browser."""
    browser = find_browser()
    if browser is None:
        raise InputError(tr("cli.pdf_no_browser", lang, names=", ".join(BROWSERS),
                            env=ENV_VAR))
    with tempfile.TemporaryDirectory(prefix="asylum-sim-pdf-") as tmp:
        page, pdf = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
        page.write_text(html, encoding="utf-8")
        command = [*headless_args(browser, str(Path(tmp) / "profile")),
                   "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT,
                                  check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise InputError(tr("cli.pdf_failed", lang, browser=browser, why=str(exc))) from None
        if not pdf.is_file() or pdf.stat().st_size == 0:
            why = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
            raise InputError(tr("cli.pdf_failed", lang, browser=browser, why=why))
        return pdf.read_bytes()


def write_pdf(html: str, output: Path | None, lang: str) -> None:
    """Write the PDF to ``output`` (atomically), or to stdout when it is not a terminal."""
    if output is None and sys.stdout.isatty():
        raise InputError(tr("cli.pdf_needs_output", lang))
    data = html_to_pdf(html, lang)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        write_atomic(output, data)
