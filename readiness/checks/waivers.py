"""Waivers from readiness.toml applied to findings: an active waiver marks its finding waived (it
no longer counts in the score or the verdict); an expired one is noted on the finding.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from readiness.models import Finding
from readiness.settings import Settings


def waive(findings: list[Finding], settings: Settings, today: date) -> list[Finding]:
    by_id = {w.finding: w for w in settings.waivers}
    out = []
    for finding in findings:
        waiver = by_id.get(finding.id)
        if waiver is None:
            out.append(finding)
            continue
        note = {"reason": waiver.reason, "expires": waiver.expires.isoformat() if waiver.expires else None}
        if waiver.active(today):
            out.append(replace(finding, waived=True, details={**finding.details, "waiver": note}))
        else:
            out.append(replace(finding, details={**finding.details, "waiver_expired": note}))
    return out


__all__ = ["waive"]
