"""Audit the real-data corpus and the sample folders; print how the audit agrees with the truths.

Usage: python tests/realdata/report.py [--no-write]   (``make realdata``)

Prints a confusion table (files misread, personal data per kind, duplicate_texts on columns that
are not free text, findings per table, the tables that fail and why) and writes it as Markdown
into docs/accuracy.md between the markers. No network: every table comes from an installed package.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # run as a script: make ``tests.realdata`` importable
    sys.path.insert(0, str(REPO))

import readiness  # noqa: E402
from tests.realdata.build import build, load_truths  # noqa: E402
from tests.realdata.judge import NUMERIC_TYPES, Verdict, judge, table_of  # noqa: E402

SAMPLES = REPO / "sample_data"
ACCURACY = REPO / "docs" / "accuracy.md"
BEGIN, END = "<!-- realdata:begin -->", "<!-- realdata:end -->"

# Personal data in the sample folders: the manifests' injected pii plus columns that hold personal
# data by design (a manifest lists defects, so it does not name customer_email as pii).
SAMPLE_PII: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "support": {"tickets.csv": {"customer_email": ("email",), "message": ("email", "phone")}},
    "shop": {"customers.xlsx:customers": {"name": ("person_name",), "email": ("email",)}},
    "churn": {},
    "reviews": {},
}


@dataclass
class Tally:
    """Per-kind column counts: the truth's kinds against the kinds of the tool's pii findings."""

    true_positive: Counter[str] = field(default_factory=Counter)
    false_positive: Counter[str] = field(default_factory=Counter)
    false_negative: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)  # "where: kind" for every false negative
    false_alarms: list[str] = field(default_factory=list)
    on_numeric: list[str] = field(default_factory=list)

    def add(self, where: str, truth: set[str], found: set[str], numeric: bool) -> None:
        for kind in truth & found:
            self.true_positive[kind] += 1
        for kind in found - truth:
            self.false_positive[kind] += 1
            self.false_alarms.append(f"{where} ({kind})")
        for kind in truth - found:
            self.false_negative[kind] += 1
            self.misses.append(f"{where} ({kind})")
        if found and numeric:
            self.on_numeric.append(where)

    def rows(self) -> list[tuple[str, int, int, int, int, int, str, str]]:
        kinds = sorted(set(self.true_positive) | set(self.false_positive) | set(self.false_negative))
        out = []
        for kind in kinds:
            tp, fp, fn = self.true_positive[kind], self.false_positive[kind], self.false_negative[kind]
            out.append((kind, tp + fn, tp + fp, tp, fp, fn, ratio(tp, tp + fp), ratio(tp, tp + fn)))
        return out


def ratio(numerator: int, denominator: int) -> str:
    return f"{numerator / denominator:.2f}" if denominator else "-"


def audit(folder: Path, out: Path, **options: Any) -> tuple[dict[str, Any], float]:
    started = time.perf_counter()
    result = readiness.audit(folder, out=out, profile_enabled=False, **options)
    return json.loads(json.dumps(result.result)), time.perf_counter() - started


def found_kinds(document: dict[str, Any], table: str, column: str) -> set[str]:
    for f in document["findings"]:
        if f["check"] == "pii" and f["table"] == table and f["column"] == column:
            return set((f.get("details") or {}).get("kinds") or ["personal"])
    return set()


def run(write: bool = True) -> str:
    truths = load_truths()
    verdicts: list[Verdict] = []
    timings: dict[str, float] = {}
    tally = Tally()
    with tempfile.TemporaryDirectory(prefix="realdata-") as scratch:
        folders = build(Path(scratch) / "corpus", truths=truths)
        for package, folder in folders.items():
            document, seconds = audit(folder, Path(scratch) / "out")
            timings[package] = seconds
            for truth in truths[package]:
                verdict = judge(truth, document)
                verdicts.append(verdict)
                table = table_of(document, truth.name)
                names = [c["name"] for c in table["columns"]] if table else []
                types = [c["type"] for c in table["columns"]] if table else []
                positions = set(verdict.pii_found) | set(truth.pii)
                for at in sorted(positions):
                    name = names[at] if at < len(names) else f"#{at}"
                    tally.add(f"{package}/{truth.name}:{name}", {truth.pii[at]} if at in truth.pii else set(),
                              set(verdict.pii_found.get(at, ())), at < len(types) and types[at] in NUMERIC_TYPES)
        for sample, expected in SAMPLE_PII.items():
            document, seconds = audit(SAMPLES / sample, Path(scratch) / "out")
            timings[f"sample_data/{sample}"] = seconds
            manifest = json.loads((SAMPLES / "manifests" / f"{sample}.json").read_text(encoding="utf-8"))
            for defect in manifest["defects"]:
                if defect["check"] == "pii":
                    assert defect["column"] in expected.get(defect["table"], {}), (sample, defect)
            for table in document["tables"]:
                for column in table["columns"]:
                    truth = set(expected.get(table["name"], {}).get(column["name"], ()))
                    found = found_kinds(document, table["name"], column["name"])
                    if truth or found:
                        tally.add(f"sample_data/{sample}/{table['name']}:{column['name']}", truth, found,
                                  column["type"] in NUMERIC_TYPES)
    text = render(verdicts, tally, timings) + "\n\n" + labelled_set()
    print(text)
    if write:
        write_markdown(text)
    return text


def render(verdicts: list[Verdict], tally: Tally, timings: dict[str, float]) -> str:
    tables = len(verdicts)
    misread = [v for v in verdicts if v.misread]
    aspects = Counter(p.aspect for v in verdicts for p in v.problems)
    failing = [v for v in verdicts if not v.ok]
    duplicate_texts = sum(1 for v in verdicts for p in v.problems if p.aspect == "duplicate_texts")
    findings = [v.findings for v in verdicts]
    busiest = max(verdicts, key=lambda v: v.findings)
    packages = Counter(v.truth.package for v in verdicts)
    formats = Counter(v.truth.format for v in verdicts)
    lines = [
        f"Corpus: {tables} tables from {len(packages)} packages "
        f"({', '.join(f'{p} {n}' for p, n in sorted(packages.items()))}); formats "
        f"{', '.join(f'{k} {n}' for k, n in sorted(formats.items()))}; plus sample_data/ "
        f"({', '.join(sorted(k.split('/')[1] for k in timings if k.startswith('sample_data/')))}) for personal data.",
        "",
        "| measure | value | goal |",
        "|---|---|---|",
        f"| files misread (status, rows, fields or header differ from the truth) | {len(misread)} of {tables} | 0 |",
        f"| tables with any disagreement | {len(failing)} of {tables} | 0 |",
        f"| personal-data findings on numeric columns | {len(tally.on_numeric)} | 0 |",
        f"| duplicate_texts on constant, categorical or non-text columns | {duplicate_texts} | 0 |",
        f"| findings per table (mean, max) | {sum(findings) / tables:.1f}, {busiest.findings} "
        f"({busiest.truth.package}/{busiest.truth.name}) | |",
        "",
        "Disagreements by aspect (a table can have several): "
        + (", ".join(f"{a} {n}" for a, n in sorted(aspects.items())) or "none") + ".",
        "",
        "Personal data, per kind (columns; corpus and samples; goal precision and recall >= 0.95):",
        "",
        "| kind | truth | found | TP | FP | FN | precision | recall |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in tally.rows():
        lines.append("| " + " | ".join(str(x) for x in row) + " |")
    total_tp = sum(tally.true_positive.values())
    total_fp = sum(tally.false_positive.values())
    total_fn = sum(tally.false_negative.values())
    lines.append(f"| all kinds | {total_tp + total_fn} | {total_tp + total_fp} | {total_tp} | {total_fp} | "
                 f"{total_fn} | {ratio(total_tp, total_tp + total_fp)} | {ratio(total_tp, total_tp + total_fn)} |")
    lines += ["", f"Missed personal data: {'; '.join(tally.misses) or 'none'}.", ""]
    if tally.on_numeric:
        lines += [f"Personal data reported on numeric columns ({len(tally.on_numeric)}): "
                  + "; ".join(tally.on_numeric[:40]) + ("; ..." if len(tally.on_numeric) > 40 else "") + ".", ""]
    lines += [f"Tables that fail ({len(failing)}):", ""]
    for v in failing:
        reasons = "; ".join(f"{p.aspect}: {p.message}" for p in v.problems)
        lines.append(f"- `{v.truth.package}/{v.truth.name}`: {reasons}")
    lines += ["", "Audit time (s): " + ", ".join(f"{k} {s:.1f}" for k, s in timings.items())
              + f"; total {sum(timings.values()):.1f}."]
    return "\n".join(lines)


def labelled_set() -> str:
    """The personal-data detector on the labelled columns of tests/profiling/test_pii_accuracy.py: real
    columns that look risky (decimals, companies, places, titles, ids) and seeded personal ones
    of every kind, each decided as the audit decides it."""
    from tests.profiling.test_pii_accuracy import KINDS, labelled_columns, verdict

    rows = [(source, name, expected, verdict(name, values).kind) for source, name, values, expected in labelled_columns()]
    lines = [f"Personal-data detector on the labelled column set (`tests/profiling/test_pii_accuracy.py`: {len(rows)} columns, "
             f"{sum(1 for r in rows if r[2])} personal, {sum(1 for r in rows if r[2] is None)} not; goal >= 0.95 each):",
             "", "| kind | truth | found | precision | recall |", "|---|---|---|---|---|"]
    for kind in KINDS:
        expected = [r for r in rows if r[2] == kind]
        predicted = [r for r in rows if r[3] == kind]
        hits = [r for r in predicted if r[2] == kind]
        lines.append(f"| {kind} | {len(expected)} | {len(predicted)} | {ratio(len(hits), len(predicted))} | "
                     f"{ratio(len(hits), len(expected))} |")
    wrong = [f"{r[0]}:{r[1]} ({r[2]} -> {r[3]})" for r in rows if r[2] != r[3]]
    lines += ["", f"Wrong verdicts: {'; '.join(wrong) or 'none'}."]
    return "\n".join(lines)


def write_markdown(text: str) -> None:
    document = ACCURACY.read_text(encoding="utf-8")
    if BEGIN not in document or END not in document:
        raise SystemExit(f"{ACCURACY}: the markers {BEGIN} and {END} are missing")
    head, rest = document.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    ACCURACY.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}", encoding="utf-8")
    print(f"\nwritten to {ACCURACY.relative_to(REPO)}")


if __name__ == "__main__":
    os.environ.setdefault("READINESS_NO_PROFILE", "1")
    run(write="--no-write" not in sys.argv[1:])
