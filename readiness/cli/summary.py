"""The human summary an audit prints in a terminal: the score, the top findings, where the run is.

Reads the finished readiness.json document; rich is imported here only, inside functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

GRADE_STYLE = {"ready": "bold green", "needs-work": "bold yellow", "not-ready": "bold red"}
SEVERITY_STYLE = {"blocker": "bold red", "major": "red", "minor": "yellow", "info": "dim"}


def _safe(text: str) -> str:
    """Client text shown in a terminal: control characters (and bidi overrides) made visible."""
    from readiness.profile.names import visible

    return visible(text)


def render_summary(result: dict[str, Any], run_dir: str, console: Any, top: int = 5) -> None:
    from rich.table import Table as RichTable
    from rich.text import Text

    header = Text()
    header.append("readiness ", style="bold")
    header.append(_safe(result["dataset"]["name"]))
    header.append(f"   run {result['run_id']}", style="dim")
    console.print(header)
    line = Text()
    line.append(f"Score {result['score']:.2f} / 100", style="bold")
    line.append("   grade ")
    line.append(result["grade"], style=GRADE_STYLE.get(result["grade"], ""))
    line.append(f"   Data Readiness Level band {result['band']}", style="bold")
    line.append(f"   task {result['task']}", style="dim")
    console.print(line)
    if result.get("headline"):
        console.print(Text(_safe(result["headline"]), style="bold"))
    notice = (result.get("label_guess") or {}).get("notice")
    if notice:
        console.print(Text(_safe(notice[:1].upper() + notice[1:]), style="yellow"))
    for name, dim in result["dimensions"].items():
        filled = int(round(dim["score"] / 10))
        bar = Text(f"  {name:<16}")
        bar.append("█" * filled, style="cyan")
        bar.append("░" * (10 - filled), style="dim")
        bar.append(f" {dim['score']:6.1f}" + ("" if dim["applicable"] else "  (not applicable)"))
        console.print(bar)
    ok = sum(1 for f in result["files"] if f["status"] == "ok")
    rejected = sum(1 for f in result["files"] if f["status"] == "rejected")
    skipped = sum(1 for f in result["files"] if f["status"] == "skipped")
    rows = sum(t["rows"] for t in result["tables"])
    count = len(result["tables"])
    console.print(Text(f"  {count} table{'' if count == 1 else 's'}, {rows:,} rows; files: {ok} ok, {rejected} rejected, "
                       f"{skipped} skipped", style="dim"))
    for media in result.get("media") or []:
        labels = media.get("labels")
        classes = f", {len(labels.get('classes') or {})} classes, {labels['labeled']:,} labeled" if labels else ", no labels"
        console.print(Text(f"  {_safe(media['name'])}: {media['files']:,} {media['kind']} files ({media['ok']:,} ok, "
                           f"{media['rejected']:,} rejected){classes}", style="dim"))
    findings = [f for f in result["findings"] if not f["waived"]]
    if findings:
        table = RichTable(title=f"Top findings ({min(top, len(findings))} of {len(findings)})", title_justify="left")
        table.add_column("severity")
        table.add_column("finding")
        table.add_column("count", justify="right")
        table.add_column("%", justify="right")
        for finding in findings[:top]:
            table.add_row(Text(finding["severity"], style=SEVERITY_STYLE[finding["severity"]]),
                          Text(_safe(finding["message"])), f"{finding['count']:,}",
                          f"{finding['fraction'] * 100:.1f}")
        console.print(table)
    else:
        console.print("No findings.")
    console.print(Text(f"Run written to {_safe(run_dir)}"))
    console.print(Text(f"  {_safe(str(Path(run_dir) / 'readiness.json'))}", style="dim"))


def render_disclosure(lines: Sequence[str], run_dir: str, console: Any) -> None:
    """What the packet discloses, so the client can check it before sending it to anyone."""
    from rich.text import Text

    console.print(Text(f"Briefing packet: {_safe(str(Path(run_dir) / 'briefing.html'))}", style="bold"))
    pdf = Path(run_dir) / "briefing.pdf"
    if pdf.is_file():  # written by --pdf
        console.print(Text(f"Briefing PDF: {_safe(str(pdf))}", style="bold"))
    console.print(Text(f"  also briefing.md, briefing.txt{', briefing.pdf' if pdf.is_file() else ''} and packet.zip; "
                       "internal/ stays with you", style="dim"))
    console.print(Text("Before you share it, check what the packet discloses:"))
    for line in lines:
        console.print(Text(f"  - {_safe(line)}"))
