"""The one plain sentence a packet and the terminal open with: is the data ready, and what first.

Built from readiness.json alone (the shared document, or the packet's redacted view of it), so
the terminal, readiness.json, briefing.html, .md and .txt all say the same thing.
"""

from __future__ import annotations

from typing import Any

from readiness.checks import explain

SEVERITY_ORDER = {"blocker": 0, "major": 1, "minor": 2, "info": 3}


def days_phrase(days: float) -> str:
    """0.5 -> "half a day", 1 -> "a day", 2.5 -> "2.5 days"."""
    if days <= 0.25:
        return "a quarter of a day"
    if days <= 0.5:
        return "half a day"
    if days <= 0.75:
        return "three quarters of a day"
    if days == 1:
        return "a day"
    return f"{days:g} days"


def _sentence(text: str) -> str:
    text = text.strip().rstrip(".")
    return text  # never capitalised: a message may start with a column name


def _effort(finding: dict[str, Any]) -> float:
    return explain.effort_days(finding["check"], finding["count"], finding["fraction"], finding.get("details") or {})


def headline(doc: dict[str, Any]) -> str:
    """"Not ready: 30 rows of test.csv also appear in train.csv. Fix that first (about a day)." and the like."""
    findings = sorted((f for f in doc.get("findings") or [] if not f.get("waived")),
                      key=lambda f: (SEVERITY_ORDER.get(f["severity"], 9), -f["fraction"], f["id"]))
    if not doc.get("tables") and not any(m.get("ok") for m in doc.get("media") or []):
        rejected = sum(1 for f in doc.get("files") or [] if f.get("status") == "rejected")
        return (f"Not ready: no table{', image, recording or document' if doc.get('media') else ''} could be read "
                f"({rejected} rejected file{'s' if rejected != 1 else ''}). Re-export the files named below first.")
    blockers = [f for f in findings if f["severity"] == "blocker"]
    majors = [f for f in findings if f["severity"] == "major"]
    if blockers:
        first = blockers[0]
        more = len(blockers) - 1
        rest = f" {more} more blocker{'s' if more > 1 else ''} after it." if more else ""
        return f"Not ready: {_sentence(first['message'])}. Fix that first (about {days_phrase(_effort(first))}).{rest}"
    if doc.get("grade") == "not-ready":
        worst = findings[0] if findings else None
        return (f"Not ready: the score is {doc['score']:.2f}, below the needs-work line"
                + (f"; the largest problem: {worst['message'].rstrip('.')}." if worst else "."))
    if majors:
        first = majors[0]
        more = len(majors) - 1
        rest = f" {more} more major finding{'s' if more > 1 else ''} after it." if more else ""
        return (f"Needs work: {_sentence(first['message'])}. Fix that first (about {days_phrase(_effort(first))})."
                + rest)
    if doc.get("grade") == "needs-work":
        return (f"Needs work: the score is {doc['score']:.2f}, below the ready line; "
                f"{len(findings)} smaller finding{'s' if len(findings) != 1 else ''} to review.")
    minor = sum(1 for f in findings if f["severity"] == "minor")
    task = doc.get("task") or "the task"
    return (f"Ready for {task}: no blocker or major finding"
            + (f"; {minor} minor finding{'s' if minor != 1 else ''} to review." if minor else "."))
