"""The front door at `/`: a small Chinese page that says what runs here and links to it.

A newcomer who opens http://127.0.0.1:5000/ after `make run` used to get a bare English 404.
The page links the console always, the sandbox only when this process runs it (a production
process never does), and the README's walk-through, served from the checkout's README.md as
plain text so it needs no Markdown renderer and cannot drift from the file.
"""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, render_template

bp = Blueprint("landing", __name__, template_folder="templates")

README = Path(__file__).resolve().parents[2] / "README.md"
WALKTHROUGH_HEADING = "### A two-minute walk-through"


def walkthrough_text(readme: Path | None = None) -> str | None:
    """The README's walk-through section (its heading up to the next section), or None if absent."""
    try:
        lines = (readme or README).read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    start = next((i for i, line in enumerate(lines) if line.startswith(WALKTHROUGH_HEADING)), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith(("## ", "### "))), len(lines))
    return "\n".join(lines[start:end]).strip()


@bp.get("/")
def index():
    return render_template("landing/index.html", sandbox="sandbox" in current_app.extensions)


@bp.get("/walkthrough")
def walkthrough():
    text = walkthrough_text()
    if text is None:
        abort(404)
    return render_template("landing/walkthrough.html", text=text)
