"""Rendering the briefing's view: Jinja2 with autoescape on (Markdown and text escape through
their filters instead), every printed value's control characters written out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from readiness.profile.names import visible
from readiness.report.mdtext import md_code, md_escape, plain, wrap

TEMPLATES = Path(__file__).parent / "templates"


def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_visible,
    )
    env.filters["pct"] = lambda x: "-" if x is None else f"{x * 100:.1f}%"
    env.filters["num"] = lambda x: f"{x:,}" if isinstance(x, int) else f"{x:,.2f}"
    env.filters["human_bytes"] = human_bytes
    env.filters["md"] = md_escape
    env.filters["md_code"] = md_code
    env.filters["plain"] = plain
    env.filters["wrap"] = wrap
    env.filters["days"] = lambda d: f"{d:g} day" + ("" if d == 1 else "s")
    env.filters["day_range"] = lambda r: f"{r[0]:g}-{r[1]:g} days"
    return env


def _visible(value: Any) -> Any:
    """Every value a template prints: control characters in client text written out (``\\x1b``)."""
    from markupsafe import Markup

    if isinstance(value, Markup):
        return Markup(visible(str(value)))
    return visible(value) if isinstance(value, str) else value


def human_bytes(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def render_html(context: dict[str, Any]) -> str:
    return str(_environment().get_template("briefing.html.j2").render(**context))


def render_markdown(context: dict[str, Any]) -> str:
    env = _environment()
    env.autoescape = False  # Markdown: every client string goes through the md filter instead
    return str(env.get_template("briefing.md.j2").render(**context))


def render_text(context: dict[str, Any]) -> str:
    """briefing.txt: the Markdown briefing's sections as plain text, to paste where Markdown is not read."""
    env = _environment()
    env.autoescape = False  # plain text: nothing is markup; control characters are written out (finalize)
    return str(env.get_template("briefing.txt.j2").render(**context))
