"""The packet's maintenance plan: refresh cadence, drift baselines, retraining triggers, who monitors,
and the GX suites (packet.zip monitoring/) a scheduled audit runs on production exports.

Works from the shared readiness.json (already redacted) and the shared suites only, so nothing
here can reach a personal value. Pure functions: no I/O, no clock.
"""

from __future__ import annotations

import math
import shlex
from typing import Any

from readiness.profile.names import visible
from readiness.settings import Settings

# --- drift baselines ----------------------------------------------------------------------------

# The one rule for which columns the history keeps a summary of (drift.summarise, counts.column_stats):
# not personal data, not an id (type "id"), and numbers or categories. Text and dates get none.
BASELINE_TYPES = ("integer", "numeric", "categorical", "boolean")


def has_baseline(column: dict[str, Any]) -> bool:
    """Whether an audit stores this column's distribution (the drift baseline) in its history."""
    return column.get("pii") is None and column.get("type") in BASELINE_TYPES


# --- cadence -----------------------------------------------------------------------------------

# (largest typical spacing in days, how often rows arrive, how often to audit, cron), fastest first
CADENCES = (
    (1.5, "daily", "week", "0 6 * * 1"),
    (10.0, "weekly", "month", "0 6 1 * *"),
    (45.0, "monthly", "quarter", "0 6 1 */3 *"),
)
AUDIT_EVERY = {"week": "every Monday at 06:00", "month": "on the 1st of each month at 06:00",
               "quarter": "on the 1st of every third month at 06:00", "delivery": "each time a new export lands"}
STALE_FACTOR = 3  # no new rows for this many typical spacings: the export has probably stopped
STALE_MIN_DAYS = 7
REGRESSION_POINTS = 5
PRODUCTION_FOLDER = "<production-export-folder>"


def _arrival(spacing: float | None) -> tuple[str, str]:
    """How often rows arrive (in words) and how often to audit, from the typical spacing of dates."""
    if spacing is None:
        return "irregularly (too few distinct dates to tell)", "delivery"
    for largest, words, every, _ in CADENCES:
        if spacing <= largest:
            return words, every
    return f"every {spacing:.0f} days or so", "delivery"


def cadence(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """One entry per time column of every table (personal-data dates are never summarised)."""
    out = []
    for table in doc["tables"]:
        for column, time in (table.get("time") or {}).items():
            spacing = time.get("typical_spacing_days")
            arrives, every = _arrival(spacing)
            stale_after = None if spacing is None else max(STALE_MIN_DAYS, math.ceil(STALE_FACTOR * spacing))
            out.append({"table": table["name"], "column": column, "arrives": arrives, "audit_every": every,
                        "spacing_days": spacing, "oldest": time.get("oldest"), "newest": time.get("newest"),
                        "days_since_newest": time.get("days_since_newest"), "gaps": time.get("gaps", 0),
                        "stale_after_days": stale_after})
    return out


def _fastest(entries: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The time column that moves fastest: it sets how often to audit."""
    spaced = [e for e in entries if e["spacing_days"] is not None]
    if spaced:
        return min(spaced, key=lambda e: (e["spacing_days"], e["table"], e["column"]))
    return entries[0] if entries else None


# --- the schedule ------------------------------------------------------------------------------


def schedule(dataset: str, every: str) -> dict[str, Any]:
    """The command a scheduler runs on each production export, as a cron line, CI job and Airflow task."""
    name = shlex.quote(f"{dataset}-production")
    gates = f"--fail-on-regression {REGRESSION_POINTS} --fail-on-new blocker"
    command = f"readiness audit {PRODUCTION_FOLDER} --name {name} {gates}"
    runnable = f'readiness audit "$EXPORT" --name {name} {gates}'
    cron = next((c for _, _, e, c in CADENCES if e == every), None)
    if cron:
        cron_text = (f"EXPORT=/path/to/production-export\n# m h dom mon dow: {AUDIT_EVERY[every]}\n"
                     f"{cron}  {runnable} >> /var/log/readiness-production.log 2>&1")
        trigger = f'  schedule: [{{cron: "{cron}"}}]\n  workflow_dispatch: {{}}'
        airflow_schedule = repr(cron)
    else:
        cron_text = f"# no fixed schedule: run this when a new export lands\nEXPORT=/path/to/production-export {runnable}"
        trigger = "  push: {paths: [\"production-export/**\"]}\n  workflow_dispatch: {}"
        airflow_schedule = "None  # triggered by the job that delivers the export"
    github = (f"name: production-data-monitoring\non:\n{trigger}\njobs:\n  audit:\n    runs-on: ubuntu-latest\n"
              f"    env: {{EXPORT: production-export}}\n    steps:\n      - uses: actions/checkout@v4\n"
              f"      - uses: actions/setup-python@v5\n        with: {{python-version: \"3.11\"}}\n"
              f"      - run: pip install readiness\n      - run: {runnable}")
    airflow = (f"from airflow import DAG\nfrom airflow.operators.bash import BashOperator\n\n"
               f"with DAG(\"production_data_monitoring\", schedule={airflow_schedule}, catchup=False):\n"
               f"    BashOperator(\n        task_id=\"readiness_audit\",\n"
               f"        bash_command={runnable!r},\n"
               f"        env={{\"EXPORT\": \"/path/to/production-export\"}},\n        append_env=True,\n    )")
    return {"every": every, "when": AUDIT_EVERY[every], "cron": cron, "command": command,
            "cron_text": cron_text, "github_actions": github, "airflow": airflow,
            "production_name": f"{dataset}-production", "regression_points": REGRESSION_POINTS}


# --- the plan ----------------------------------------------------------------------------------


def _triggers(doc: dict[str, Any], psi: float, fastest: dict[str, Any] | None,
              success_metric: str | None) -> list[dict[str, Any]]:
    checks = {f["check"] for f in doc["findings"] if not f.get("waived")}
    label = doc.get("label")
    triggers = [
        {"signal": "feature drift", "seen_now": False,
         "when": f"a feature's distribution moves with PSI above {psi:g} between two audits "
                 "(a distribution_drift finding)",
         "then": "check the feature's source first; retrain when the shift is real and the live metric falls"},
        {"signal": "label drift", "seen_now": "label_drift" in checks,
         "when": "the class mix of the label moves (a label_drift finding, or labelled feedback whose class "
                 "shares differ from the training data's)",
         "then": "retrain on recent labelled rows and evaluate on the latest period"},
        {"signal": "schema change", "seen_now": "schema_drift" in checks,
         "when": "a column is added, removed or retyped (a schema_drift finding) or a monitoring expectation fails",
         "then": "fix the export or update the features before scoring more rows; retrain if a feature changed meaning"},
        {"signal": "score drop", "seen_now": False,
         "when": f"the readiness score falls more than {REGRESSION_POINTS} points since the previous audit "
                 f"(--fail-on-regression {REGRESSION_POINTS})",
         "then": "read readiness diff, and fix the data before retraining on it"},
        {"signal": "new classes", "seen_now": "label_not_in_set" in checks,
         "when": ("labelled feedback holds a class outside the "
                  + (f"{len(label['classes'])} classes of the training data" if label and label.get("classes")
                     else "training data's classes")
                  + ", or a category the monitoring suite does not know appears in a feature"),
         "then": "decide with the owner whether it is a new class; retrain once it has enough examples"},
    ]
    if fastest is not None and fastest["stale_after_days"] is not None:
        triggers.append({"signal": "stale data", "seen_now": "stale_data" in checks,
                         "when": f"the newest {fastest['column']} in {fastest['table']} is more than "
                                 f"{fastest['stale_after_days']} days old at an audit (new rows arrive "
                                 f"{fastest['arrives']})",
                         "then": "the export or the pipeline has stopped: fix it before trusting the model's inputs"})
    else:
        triggers.append({"signal": "stale data", "seen_now": "stale_data" in checks,
                         "when": "a delivery brings no rows newer than the previous one",
                         "then": "the export or the pipeline has stopped: fix it before trusting the model's inputs"})
    if success_metric:
        triggers.append({"signal": "live metric", "seen_now": False,
                         "when": f"the model's live result falls short of the success metric: {success_metric}",
                         "then": "retrain, and compare the new model with the old one on the latest period"})
    return triggers


def plan(doc: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """The maintenance plan the packet shows, from the shared (redacted) readiness.json."""
    entries = cadence(doc)
    fastest = _fastest(entries)
    every = fastest["audit_every"] if fastest else "delivery"
    baselines = []
    for table in doc["tables"]:
        columns = [c["name"] for c in table["columns"] if has_baseline(c)]
        if columns:
            baselines.append({"table": table["name"], "columns": columns})
    psi = settings.thresholds.drift_psi
    owner = getattr(settings.brief, "owner", None)
    dataset = doc["dataset"]["name"]
    label = (doc.get("label") or {}).get("column")
    example = next((c for b in baselines for c in b["columns"] if c != label), "a column")
    return {
        "cadence": entries,
        "fastest": fastest,
        "baselines": baselines,
        "baseline_columns": sum(len(b["columns"]) for b in baselines),
        "run_id": doc["run_id"],
        "run_date": doc["finished_at"][:10],
        "psi_threshold": psi,
        "drift_alert": (f"a distribution_drift finding, e.g. \"the distribution of "
                        f"{example} moved since the previous "
                        f"audit (PSI 0.31, threshold {psi:g})\" among that audit's findings, counted under its changes "
                        "since the previous audit"),
        "triggers": _triggers(doc, psi, fastest, settings.brief.success_metric),
        "owner": owner if isinstance(owner, str) and owner.strip() else None,
        "schedule": schedule(dataset, every),
        "monitoring_files": [f"monitoring/{_slug(t['name'])}.json" for t in doc["tables"]],
    }


def _slug(name: str) -> str:
    from readiness.base.text import slug

    return slug(name)


# --- monitoring suites -------------------------------------------------------------------------

MARGIN = 0.02  # production may be this much worse than the audited data before an expectation fails
MOSTLY_TYPES = frozenset({
    "expect_column_values_to_not_be_null", "expect_column_values_to_be_null", "expect_column_values_to_match_regex",
    "expect_column_values_to_not_match_regex", "expect_column_values_to_match_regex_list",
    "expect_column_values_to_not_match_regex_list", "expect_column_values_to_be_between",
    "expect_column_values_to_be_unique", "expect_column_values_to_be_in_set", "expect_column_values_to_not_be_in_set",
    "expect_column_value_lengths_to_be_between", "expect_column_value_lengths_to_equal",
    "expect_column_values_to_match_strftime_format", "expect_column_values_to_be_dateutil_parseable",
    "expect_compound_columns_to_be_unique",
})
# on a personal-data column only what shows no value: is it there, filled, unique
PERSONAL_SAFE = frozenset({"expect_column_values_to_not_be_null", "expect_column_values_to_be_unique",
                           "expect_column_to_exist"})
LABEL_CHECKS = ("label_missing", "label_not_in_set")


def _mostly(rate: float) -> float:
    return math.floor(round((rate - MARGIN) * 100, 6)) / 100


def _observed(doc: dict[str, Any], table: str,
              entries: dict[str, list[dict[str, Any]]] | None = None) -> dict[tuple[str, str | None], float]:
    """The share of values that passed each expectation in this run, by (type, column).
    ``entries``: the validation entries by table, when the caller looks up many tables."""
    rates: dict[tuple[str, str | None], float] = {}
    if entries is None:
        entries = _entries_by_table(doc)
    for entry in entries.get(table, []):
        for result in entry["results"]:
            total, bad = result.get("element_count"), result.get("unexpected_count")
            if result.get("error") or not total or bad is None:
                continue
            key = (result["type"], result.get("column"))
            rates[key] = min(rates.get(key, 1.0), 1 - bad / total)
    return rates


def _entries_by_table(doc: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for entry in (doc.get("validation") or {}).get("tables", []):
        out.setdefault(entry["table"], []).append(entry)
    return out


def _has_redacted(kwargs: dict[str, Any]) -> bool:
    """Whether redact.redact_suite took a value set or pattern out of these arguments (it puts its
    marker in place of the argument's whole value)."""
    return any(isinstance(v, str) and v.startswith("[redacted") for v in kwargs.values())


def _monitoring_meta(meta: Any) -> dict[str, Any]:
    """An expectation's meta without readiness's check id: a built-in check's failures are counted by
    the check itself and never reported from GX, but a monitoring threshold that breaks must be."""
    # a copy two levels deep (meta holds {"readiness": {...}}): json's round trip cost 10,000 tables seconds
    out = {k: (dict(v) if isinstance(v, dict) else v) for k, v in meta.items()} if isinstance(meta, dict) else {}
    mine = out.get("readiness")
    if isinstance(mine, dict) and "check" in mine:
        mine["monitors"] = mine.pop("check")
    return out


def monitoring_suite(suite: dict[str, Any], table: dict[str, Any], doc: dict[str, Any],
                     entries: dict[str, list[dict[str, Any]]] | None = None) -> dict[str, Any]:
    """One table's suite for production exports (rows without a label yet), from its shared suite."""
    columns = {c["name"]: c for c in table["columns"]}
    personal = {name for name, c in columns.items() if c.get("pii")}
    label = doc.get("label") or {}
    labels = {label["column"]} if label.get("column") in columns else set()
    for item in suite.get("expectations", []):
        check = ((item.get("meta") or {}).get("readiness") or {}).get("check")
        if check in LABEL_CHECKS and isinstance(item.get("kwargs", {}).get("column"), str):
            labels.add(item["kwargs"]["column"])
    observed = _observed(doc, table["name"], entries)
    features = [name for name in columns if name not in labels]
    expectations: list[dict[str, Any]] = [
        {"type": "expect_table_columns_to_match_set", "kwargs": {"column_set": features, "exact_match": False},
         "meta": {"readiness": {"monitors": "schema_drift"}}},
    ]
    for item in suite.get("expectations", []):
        kind, kwargs = item["type"], dict(item.get("kwargs") or {})
        column = kwargs.get("column") if isinstance(kwargs.get("column"), str) else None
        if column in labels or _has_redacted(kwargs):
            continue  # production rows have no label yet; a personal value set or regex is never shared
        if column in personal and kind not in PERSONAL_SAFE:
            continue
        if isinstance(kwargs.get("column_list"), list):
            kwargs["column_list"] = [c for c in kwargs["column_list"] if c not in labels]
            if len(kwargs["column_list"]) < 2:
                continue
        meta = _monitoring_meta(item.get("meta"))
        if kind in MOSTLY_TYPES:
            rate = observed.get((kind, column), 1.0)
            if kind == "expect_column_values_to_not_be_null" and column in columns:
                rate = min(rate, 1 - columns[column]["missing_fraction"])
            elif kind == "expect_column_values_to_match_regex" and column in columns \
                    and columns[column].get("format_conformance") is not None:
                rate = min(rate, columns[column]["format_conformance"])
            mostly = _mostly(rate)
            if isinstance(kwargs.get("mostly"), (int, float)):
                mostly = min(mostly, float(kwargs["mostly"]))
            if mostly <= 0:
                continue  # (nearly) never true in the audited data: nothing to hold production to
            kwargs["mostly"] = mostly
            meta.setdefault("readiness", {})["observed"] = round(rate, 4)
        expectations.append({"type": kind, "kwargs": kwargs, "meta": meta})
    have_sets = {e["kwargs"].get("column") for e in expectations if e["type"] == "expect_column_values_to_be_in_set"}
    for name, column in columns.items():
        examples = column.get("examples") or []
        # every category is shown in the packet already (each seen at least 5 times): a complete set
        if (column.get("type") == "categorical" and not column.get("pii") and name not in labels
                and name not in have_sets and column.get("examples_kind") == "categories"
                and examples and column.get("distinct") == len(examples)):
            expectations.append({"type": "expect_column_values_to_be_in_set",
                                 "kwargs": {"column": name, "value_set": list(examples), "mostly": _mostly(1.0)},
                                 "meta": {"readiness": {"monitors": "new_category"}}})
    return {
        "name": f"{table['name']} (production)",
        "expectations": expectations,
        "meta": {"generated_by": "readiness", "table": table["name"], "purpose": "production monitoring",
                 "baseline_run": doc["run_id"],
                 "note": f"mostly = this audit's pass rate minus {MARGIN:g}; label expectations left out "
                         "(production rows have no label yet). Edit freely."},
        "notes": None,
    }


def monitoring_suites(shared_suites: dict[str, dict[str, Any]], doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """monitoring/<slug>.json for each table with a shared suite: file name -> suite JSON."""
    out = {}
    entries = _entries_by_table(doc)  # once: a folder of 10,000 tables would look 10,000 x 10,000 times
    for table in doc["tables"]:
        suite = shared_suites.get(table["name"])
        if suite is not None:
            out[f"{_slug(table['name'])}.json"] = monitoring_suite(suite, table, doc, entries)
    return out


def monitoring_readme(maintenance: dict[str, Any], files: list[str], dataset: str) -> str:
    """monitoring/README.txt: what the suites are and how the scheduled audit runs them."""
    when = maintenance["schedule"]
    lines = [
        f"Monitoring suites for production data of {dataset}",
        f"Made by readiness from audit {maintenance['run_id']} ({maintenance['run_date']}).",
        "",
        "One Great Expectations (GX 1.x) suite per table, for exports of production data: the rows the",
        "model scores, which have no label yet (label expectations are left out). Each checks that the",
        "columns are there, filled and well formed about as often as in the audited data (mostly = this",
        f"audit's pass rate minus {MARGIN:g}), and that categories stay within the ones seen. Personal-data",
        "columns are checked for presence only: no value, value set or pattern of theirs is in these files.",
        "",
        "How to use them:",
        "1. Export production data to one folder, with the same file names as the audited data.",
        "2. Copy each file here into that folder as expectations/<same file name>: readiness runs a",
        "   suite it finds there instead of its built-in one. A table renamed for sharing: name the",
        "   file after the table's real name.",
        f"3. Audit the folder {when['when']}:",
        "",
        f"   {when['command']}",
        "",
        "   as a cron line:",
        "",
        *[f"   {line}" for line in when["cron_text"].splitlines()],
        "",
        "   The audit exits with code 1 when the score fell more than "
        f"{REGRESSION_POINTS} points since the previous production audit",
        "   or a new blocker appears. A broken expectation here is an expectation_failed finding in",
        "   that run's briefing.html and readiness.json, which trips no gate by itself: read each run's",
        "   findings.",
        "",
        "Files: " + ", ".join(files),
        "",
    ]
    return "\n".join(visible(line) for line in lines)  # a name's control characters written out
