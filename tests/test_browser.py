"""The HTML case report as a reader's browser shows it: headless Chromium (Debian's
``chromium``; ``.ci/run`` installs it) opens it, takes a screenshot, and the page is no
wider than the window and logs nothing on the console. Skipped, saying why, only where no
Chromium is installed."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from asylum_sim.render.pdf import find_browser, headless_args
from conftest import SCENARIOS

BROWSER = find_browser()
pytestmark = pytest.mark.skipif(
    BROWSER is None, reason="no headless Chromium installed (apt-get install chromium)")

CASES = ["eu-pact-so-2026", "refugee-sy-2023"]
EPOCH = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01: the same page every day

PROBE = """<script>
function topOf(selector) {
  const found = document.querySelector(selector);
  return found ? found.getBoundingClientRect().top : -1;
}
document.body.setAttribute("data-probe", [document.documentElement.scrollWidth,
  window.innerWidth, document.querySelectorAll("svg rect").length, topOf(".warning"),
  topOf("figure")].join(" "));
</script>"""
"""Written into a copy of the page: the page's width against the window's, the bars of
the timeline, where the warning and the timeline stand."""


def _run(args: list[str], tmp: Path) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    command = [*headless_args(BROWSER, str(tmp / "profile")), "--enable-logging=stderr",
               "--v=0", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def _console(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def _report(tmp: Path, case: str, lang: str, cli) -> Path:
    page = tmp / f"{case}.{lang}.html"
    result = cli("replay", SCENARIOS / f"{case}.yaml", "--format", "html", "--lang", lang,
                 "-o", page)
    assert result.returncode == 0, result.stderr
    return page


@pytest.fixture
def cli(monkeypatch):
    from test_cli import cli as run

    for key, value in EPOCH.items():
        monkeypatch.setenv(key, value)
    return run


@pytest.mark.parametrize("width", [1280, 820])
@pytest.mark.parametrize("case", CASES)
def test_report_fits_the_window_without_console_messages(case, width, tmp_path, cli) -> None:
    """At a desktop and a narrow window: no horizontal scrolling, nothing logged, the
    timeline drawn, and the warning (when the case has one) above the timeline."""
    page = _report(tmp_path, case, "nl", cli)
    probed = tmp_path / "probed.html"
    probed.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"),
                      encoding="utf-8")
    done = _run([f"--window-size={width},900", "--dump-dom", probed.as_uri()], tmp_path)
    match = re.search(r'data-probe="([-\d. ]+)"', done.stdout)
    assert match, done.stderr[-2000:]
    scroll, inner, bars, warning, figure = (float(x) for x in match.group(1).split())
    assert scroll <= inner, f"page {scroll}px wide in a {inner}px window"
    assert bars > 20, "the timeline has its bars"
    if case == "eu-pact-so-2026":
        assert 0 <= warning < figure, "the warning comes first, before the timeline"
    assert _console(done.stderr) == []


@pytest.mark.parametrize("lang", ["nl", "fr"])
def test_screenshot_of_the_eu_pact_report(lang, tmp_path, cli) -> None:
    """A screenshot is taken (a PNG of the window, not blank)."""
    page = _report(tmp_path, "eu-pact-so-2026", lang, cli)
    shot = tmp_path / f"eu-pact.{lang}.png"
    done = _run([f"--screenshot={shot}", "--window-size=1280,1600", "--hide-scrollbars",
                 page.as_uri()], tmp_path)
    assert shot.is_file(), done.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 50_000
    assert _console(done.stderr) == []


def test_pdf_is_printed_by_chromium(tmp_path, cli) -> None:
    """--format pdf prints the report to a PDF file."""
    out = tmp_path / "report.pdf"
    result = cli("replay", SCENARIOS / "refugee-sy-2023.yaml", "--format", "pdf", "-o", out)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]
