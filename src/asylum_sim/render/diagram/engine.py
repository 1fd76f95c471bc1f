"""Turn DOT source into SVG or PNG with whichever Graphviz is at hand.

Order: a system ``dot`` on PATH (the reference implementation, when installed), then
``graphviz-pure``, the single-binary port that ``pip install`` puts in the environment's
scripts folder (it installs no ``dot`` command and has no Python API). A renderer that fails
(e.g. a system ``dot`` built without PNG support) is skipped for the next one.

PDF: graphviz-pure 0.2 writes no PDF (``-Tpdf`` is "not recognized"; it knows svg, png,
json, plain and the dot formats), so PDF comes from a system ``dot`` only; without one the
error says so in the user's language.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

from asylum_sim.i18n import default_lang, tr
from asylum_sim.model.errors import InputError

FORMATS = ("svg", "png", "pdf", "json")
PURE_FORMATS = ("svg", "png", "json")
"""What graphviz-pure can write."""
TIMEOUT_SECONDS = 120


@dataclass(frozen=True)
class Renderer:
    name: str
    binary: Path


@dataclass(frozen=True)
class Rendered:
    data: bytes
    renderer: Renderer


def _graphviz_pure() -> Path | None:
    """The ``graphviz-pure`` binary: on PATH, or beside this interpreter (a venv that is
    not activated), or in the scripts folder of this installation."""
    found = shutil.which("graphviz-pure")
    if found:
        return Path(found)
    exe = "graphviz-pure.exe" if sys.platform == "win32" else "graphviz-pure"
    for folder in (Path(sys.executable).parent, Path(sysconfig.get_path("scripts"))):
        candidate = folder / exe
        if candidate.is_file():
            return candidate
    return None


def available_renderers() -> list[Renderer]:
    """The renderers found on this machine, in the order they are tried."""
    found = []
    system_dot = shutil.which("dot")
    if system_dot:
        found.append(Renderer("dot", Path(system_dot)))
    pure = _graphviz_pure()
    if pure is not None:
        found.append(Renderer("graphviz-pure", pure))
    return found


def render_with(
    renderer: Renderer, source: str, fmt: str, options: tuple[str, ...] = ()
) -> bytes:
    """Run one renderer on ``source``; :class:`RuntimeError` with its message on failure.

    ``options`` are extra command-line options, e.g. ``-Gdpi=150``.
    """
    if fmt not in FORMATS:
        raise InputError(f"cannot render {fmt!r}; renderable formats: {', '.join(FORMATS)}")
    try:
        done = subprocess.run(
            [str(renderer.binary), f"-T{fmt}", *options],
            input=source.encode("utf-8"),
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RuntimeError(f"{renderer.name} ({renderer.binary}): {exc}") from None
    if done.returncode != 0 or not done.stdout:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = message[-1] if message else f"exit status {done.returncode}"
        raise RuntimeError(f"{renderer.name} ({renderer.binary}): {reason}")
    return done.stdout


def render(
    source: str,
    fmt: str,
    renderers: list[Renderer] | None = None,
    options: tuple[str, ...] = (),
    lang: str | None = None,
) -> Rendered:
    """Render ``source`` with the first renderer that works.

    Raises :class:`InputError` when none is installed or all fail, saying what to install.
    """
    candidates = available_renderers() if renderers is None else renderers
    if fmt not in PURE_FORMATS:
        candidates = [r for r in candidates if r.name != "graphviz-pure"]
        if not candidates and fmt == "pdf":
            raise InputError(tr("diagram.error.no_pdf", lang or default_lang()))
    if not candidates:
        raise InputError(
            f"no Graphviz renderer for {fmt}: install Graphviz (the 'dot' command) or the "
            "'graphviz-pure' package (pip install graphviz-pure); --format dot or mermaid "
            "need neither"
        )
    failures = []
    for renderer in candidates:
        try:
            return Rendered(render_with(renderer, source, fmt, options), renderer)
        except RuntimeError as exc:
            failures.append(str(exc))
    raise InputError(f"could not render {fmt}: " + "; ".join(failures))
