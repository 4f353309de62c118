"""The command line: a thin shell that calls the API and turns user errors into ``Error: ...``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from readiness.base.errors import EXIT_GATE_FAILED, EXIT_OK, EXIT_USAGE, ReadinessError, UsageError
from readiness.base.version import __version__
from readiness.settings import environment

app = typer.Typer(
    name="readiness",
    help="Audit a client's dataset folder for ML readiness and write a briefing packet.",
    epilog=("\b\nExamples:\n"
            "  readiness audit data/ --label intent  audit; the packet goes to reports/\n"
            "  readiness init data/ --interview      write readiness.toml and suites\n"
            "  readiness history                     recorded audits and their trend\n"
            "  readiness diff                        what changed since the last audit\n"
            "Exit codes: 0 ran, 1 a gate failed, 2 usage, config or no data, 3 a bug."),
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)

TASK_HELP = "classification, regression, forecasting, text-classification or unsupervised"
OUT_HELP = "Where runs and history.sqlite are written; default reports/ (or READINESS_OUT)."
OUT_ENV = environment.OUT_VARIABLE
SUPPORTED = ("CSV, TSV (and .gz), Parquet, JSON (array of records), JSONL (and .gz), Excel .xlsx; images, audio "
             "and documents (docs/media.md)")


EXIT_INTERNAL = 3  # a bug: one line, the traceback with READINESS_DEBUG=1


def _visible(text: str) -> str:
    """Text for the terminal: control characters written out, one line."""
    from readiness.profile.names import visible

    return visible(text)


def fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    typer.echo(f"Error: {_visible(message)}", err=True)
    return typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"readiness {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def root(
    version: Annotated[bool, typer.Option("-V", "--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """readiness: how ready is a dataset for an ML project, and what to fix first."""


AUDIT_EXAMPLES = (
    "\b\nExamples:\n"
    "  readiness audit data/                        a folder (or one file)\n"
    "  readiness audit data/ --label intent         name the label column\n"
    "  readiness audit data/ --out /srv/reports -q  for cron: errors only\n"
    "  readiness audit data/ --fail-on-new blocker  a gate for schedulers\n"
    "  readiness audit data/ --json > result.json   the result on stdout\n"
    "  readiness audit postgresql://me@db.host/shop --schema public   a database (docs/databases.md)\n"
    "Exit codes: 0 ran, 1 a gate failed, 2 usage, config or no data, 3 a bug."
)


@app.command(short_help="Audit a folder: score, findings, packet.", epilog=AUDIT_EXAMPLES)
def audit(
    path: Annotated[str, typer.Argument(metavar="PATH", help="The dataset folder (or one file) to audit, or a database "
                                        "URL: postgresql://user@host/db, sqlite:///file.db, duckdb:///file.duckdb.")],
    out: Annotated[Path, typer.Option("--out", envvar=OUT_ENV, show_envvar=False, help=OUT_HELP)] = Path("reports"),
    name: Annotated[str | None, typer.Option("--name", help="Dataset name; default: the folder's name.")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="A readiness.toml; default: PATH/readiness.toml.")] = None,
    label: Annotated[str | None, typer.Option("--label", help="The label (target) column.")] = None,
    label_table: Annotated[str | None, typer.Option("--label-table", help="Only this table holds the label.")] = None,
    task: Annotated[str | None, typer.Option("--task", help=TASK_HELP)] = None,
    fail_under: Annotated[float | None, typer.Option("--fail-under", help="Exit 1 when the score is below this (0-100).")] = None,
    fail_on_grade: Annotated[str | None, typer.Option(
        "--fail-on-grade", help="Exit 1 when the grade is this or worse: not-ready or needs-work.")] = None,
    fail_on_regression: Annotated[float | None, typer.Option(
        "--fail-on-regression", help="Exit 1 when the score fell more than POINTS since the previous run.")] = None,
    fail_on_new: Annotated[str | None, typer.Option(
        "--fail-on-new", help="Exit 1 on a new finding of this severity or worse: blocker or major "
                              "(on a first audit, every such finding is new).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print readiness.json instead of the summary.")] = False,
    engine: Annotated[str, typer.Option("--engine", help="Execution engine: pandas or spark (pip install -e '.[spark]').")] = "pandas",
    spark_master: Annotated[str, typer.Option("--spark-master", help="Spark master URL for --engine spark.")] = "local[*]",
    now: Annotated[str | None, typer.Option("--now", help="The audit's 'now' (ISO date); default: the clock.")] = None,
    no_profile: Annotated[bool, typer.Option("--no-profile", help="Skip the visual HTML profile (faster).")] = False,
    pdf: Annotated[bool, typer.Option("--pdf", help="Also write briefing.pdf (and put it in packet.zip) with headless Chromium.")] = False,
    paper: Annotated[str | None, typer.Option("--paper", help="Page size for the PDF and for printing: a4 or letter; default: the locale's (Letter in the US, Canada, Mexico...).")] = None,
    chromium: Annotated[Path | None, typer.Option("--chromium", help="The Chromium or Chrome executable for --pdf (implies --pdf); default: found on PATH or in /Applications.")] = None,
    schema: Annotated[list[str] | None, typer.Option(
        "--schema", help="A database URL: only these schemas (default: every non-system schema); repeat or comma-separate.")] = None,
    tables: Annotated[list[str] | None, typer.Option(
        "--tables", help="A database URL: only tables matching these globs on schema.table (e.g. 'public.order*').")] = None,
    exclude: Annotated[list[str] | None, typer.Option(
        "--exclude", help="A database URL: leave out tables matching these globs on schema.table.")] = None,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="Print nothing but errors.")] = False,
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="Print each stage with its elapsed time.")] = False,
    color: Annotated[str, typer.Option("--color", help="auto, always or never (NO_COLOR in the environment: never).")] = "auto",
) -> None:
    """Audit a dataset folder: score, grade, band, ranked findings and a briefing packet.

    Progress goes to stderr: a live display in a terminal, one line per stage with its elapsed
    time elsewhere (cron, CI, Airflow logs)."""
    if fail_under is not None and not 0 <= fail_under <= 100:
        raise fail(f"--fail-under must be a score from 0 to 100, not {fail_under:g}")
    if fail_on_regression is not None and not 0 <= fail_on_regression <= 100:
        raise fail(f"--fail-on-regression must be points from 0 to 100, not {fail_on_regression:g}")
    if fail_on_new is not None and fail_on_new not in ("blocker", "major"):
        raise fail(f"--fail-on-new must be blocker or major, not {fail_on_new!r}")
    fail_on_grade = fail_on_grade.replace("_", "-") if fail_on_grade is not None else None
    if fail_on_grade is not None and fail_on_grade not in ("not-ready", "needs-work"):
        raise fail(f"--fail-on-grade must be not-ready or needs-work, not {fail_on_grade!r}")
    if color not in ("auto", "always", "never"):
        raise fail(f"--color must be auto, always or never, not {color!r}")
    from readiness import api
    from readiness.cli import summary
    from readiness.cli.display import console_for, reporter_for

    reporter = reporter_for(quiet=quiet, verbose=verbose, color=color)
    try:
        result = api.audit(
            path, out=out, name=name, config=config, label=label, label_table=label_table, task=task,
            now=now, profile_enabled=False if no_profile else None, engine=engine, spark_master=spark_master,
            pdf=pdf or chromium is not None, paper=paper, chromium=chromium,
            progress=reporter, schema=schema, tables=tables, exclude=exclude,
        )
    except ReadinessError as exc:
        reporter.finish(ok=False)
        raise fail(str(exc), exc.exit_code) from None
    except BaseException:
        reporter.finish(ok=False)
        raise
    reporter.finish(ok=result.readable)  # no "done" line before the one-line error below
    if as_json:
        typer.echo(api.dumps(result.result))
    if not result.readable:  # one line, no scorecard: the run is written so its packet shows why
        shown = result.result["dataset"]["path"] if _is_url(path) else path  # a URL without its password
        raise fail(no_table_message(shown, result.result.get("files") or [], result.run_dir))
    if not as_json and not quiet:
        console = console_for(color)
        summary.render_summary(result.result, str(result.run_dir), console)
        from readiness.report.brief import warning

        brief_warning = warning(result.brief_missing, path if not _is_url(path) and Path(path).is_dir() else None,
                                result.settings.config_path)
        if brief_warning:
            typer.echo(f"Warning: {_visible(brief_warning)}", err=True)
        summary.render_disclosure(result.disclosure, str(result.run_dir), console)
    if result.pdf_problem:
        typer.echo(f"Warning: {_visible(result.pdf_problem)}", err=True)
    from readiness.history.gates import Gates

    failed, notes = result.gate_failures(Gates(fail_under, fail_on_regression, fail_on_new, fail_on_grade))
    for note in notes if not quiet else []:
        typer.echo(f"Note: {_visible(note)}", err=True)
    for reason in failed:
        typer.echo(f"Gate failed: {_visible(reason)}", err=True)
    if failed:
        raise typer.Exit(EXIT_GATE_FAILED)


def _is_url(path: str) -> bool:
    from readiness.ingest.database import is_url

    return is_url(path)


def no_table_message(path: str | Path, files: list[dict[str, object]], run_dir: Path) -> str:
    """The one line for a PATH where no table could be read: what was found, what is read."""
    if not files:
        found = "it holds no files"
    else:
        statuses = [str(f.get("status")) for f in files]
        parts = [f"{statuses.count(s)} {s}" for s in ("rejected", "skipped") if s in statuses]
        found = f"found {len(files)} file{'s' if len(files) != 1 else ''} ({', '.join(parts)})"
    return (f"{path}: no table could be read: {found}; supported formats: {SUPPORTED}; "
            f"why each file was not read: {run_dir / 'readiness.json'}")


INIT_EXAMPLES = (
    "\b\nExamples:\n"
    "  readiness init data/                 data/readiness.toml, data/expectations/\n"
    "  readiness init data/ --label intent  with the label column named\n"
    "  readiness init data/ --interview     also ask for the project brief\n"
    "  readiness init data/ --force         overwrite files written before"
)


@app.command(short_help="Write PATH/readiness.toml and suites to edit.", epilog=INIT_EXAMPLES)
def init(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="The dataset folder to write readiness.toml and suites into.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
    label: Annotated[str | None, typer.Option("--label", help="The label (target) column.")] = None,
    label_table: Annotated[str | None, typer.Option("--label-table", help="Only this table holds the label.")] = None,
    task: Annotated[str | None, typer.Option("--task", help=TASK_HELP)] = None,
    interview: Annotated[bool, typer.Option(
        "--interview", help="Ask for the project brief (goal, budget, labeling, ...) and write the answers.")] = False,
) -> None:
    """Write PATH/readiness.toml and the inferred GX suites, for you to edit."""
    from readiness.cli import init as init_module

    def ask_brief(inferred_task: str) -> dict[str, object]:
        from readiness.report import brief

        def ask(question: str, default: str) -> str:
            return str(typer.prompt(question, default=default, show_default=bool(default)))

        return brief.interview(ask, lambda line: typer.echo(line), inferred_task)

    try:
        written, kept = init_module.init(path, force=force, label=label, label_table=label_table, task=task,
                                         interview=ask_brief if interview else None)
    except ReadinessError as exc:
        raise fail(str(exc), exc.exit_code) from None
    except (typer.Abort, EOFError):
        raise fail(f"{path}: the interview ended before its answers were complete (input closed or Ctrl-C); "
                   "nothing was written. Run it in a terminal, or fill [project] in readiness.toml by hand") from None
    for item in written:
        typer.echo(f"wrote {item}")
    for item in kept:
        typer.echo(f"kept {item} (it exists; --force overwrites it)")


HISTORY_EXAMPLES = (
    "\b\nExamples:\n"
    "  readiness history                     every dataset recorded\n"
    "  readiness history --name shop --json  one dataset's runs as JSON\n"
    "  readiness history prune --keep 10     keep 10 runs of each dataset\n"
    "  READINESS_OUT=/srv/reports readiness history"
)
history_app = typer.Typer(help="List recorded audits, newest first; prune old runs.", no_args_is_help=False,
                          rich_markup_mode=None, epilog=HISTORY_EXAMPLES,
                          context_settings={"help_option_names": ["-h", "--help"]})
app.add_typer(history_app, name="history", short_help="List recorded audits; prune old runs.")
SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(scores: list[float]) -> str:
    return "".join(SPARKS[min(len(SPARKS) - 1, int(score / 100 * len(SPARKS)))] for score in scores)


@history_app.callback(invoke_without_command=True)
def history_command(
    context: typer.Context,
    out: Annotated[Path, typer.Option("--out", envvar=OUT_ENV, show_envvar=False, help=OUT_HELP)] = Path("reports"),
    name: Annotated[str | None, typer.Option("--name", help="Only this dataset.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """List recorded audits, newest first, with a score trend per dataset."""
    if context.invoked_subcommand is not None:
        return
    from readiness.history import store as history

    runs = history.list_runs(out / "history.sqlite", name)
    if as_json:
        typer.echo(json.dumps(runs, indent=2))
        return
    if not runs:
        typer.echo(f"No audits recorded in {out / 'history.sqlite'}" + (f" for {name}" if name else "")
                   + f"; audits are looked for under --out (default reports/, or {OUT_ENV}).")
        return
    by_dataset: dict[str, list[dict[str, object]]] = {}
    for run in runs:
        by_dataset.setdefault(str(run["dataset"]), []).append(run)
    for dataset, items in by_dataset.items():
        scores = [float(str(r["score"])) for r in reversed(items)]
        typer.echo(f"{dataset}  {len(items)} audits  trend {sparkline(scores[-30:])}  "
                   f"latest {scores[-1]:.2f}")
        for run in items:
            typer.echo(f"  {run['finished_at']}  {float(str(run['score'])):6.2f}  {run['grade']:<10} band {run['band']}  "
                       f"{run['run_id']}")


@history_app.command("prune", epilog="\b\nExample:\n  readiness history prune --keep 10 --out /srv/reports")
def history_prune(
    keep: Annotated[int, typer.Option("--keep", min=1, help="Runs to keep per dataset, newest first.")],
    out: Annotated[Path, typer.Option("--out", envvar=OUT_ENV, show_envvar=False, help=OUT_HELP)] = Path("reports"),
    name: Annotated[str | None, typer.Option("--name", help="Only this dataset.")] = None,
) -> None:
    """Remove all but the newest N runs of each dataset: history rows and run folders."""
    from readiness.history import prune

    try:
        removed = prune.prune(out, keep, name)
    except ReadinessError as exc:
        raise fail(str(exc), exc.exit_code) from None
    typer.echo(f"Removed {len(removed)} runs" + (f": {', '.join(removed)}" if removed else "."))


DIFF_EXAMPLES = (
    "\b\nExamples:\n"
    "  readiness diff                     the last two audits\n"
    "  readiness diff --name shop         the last two audits of shop\n"
    "  readiness diff RUN_A RUN_B --json  two runs by id, as JSON"
)


@app.command(short_help="Compare two audits: what changed.", epilog=DIFF_EXAMPLES)
def diff(
    run_a: Annotated[str | None, typer.Argument(metavar="[RUN_A]", help="The older run id (default: the second newest).")] = None,
    run_b: Annotated[str | None, typer.Argument(metavar="[RUN_B]", help="The newer run id (default: the newest).")] = None,
    out: Annotated[Path, typer.Option("--out", envvar=OUT_ENV, show_envvar=False, help=OUT_HELP)] = Path("reports"),
    name: Annotated[str | None, typer.Option("--name", help="The dataset (needed when the history holds several).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Compare two audits: score, findings, schema drift, row counts, label and distribution drift."""
    from readiness.history import difference

    try:
        result = difference.between(out, run_a, run_b, name)
    except ReadinessError as exc:
        raise fail(str(exc), exc.exit_code) from None
    from readiness.profile import names, pii

    # the history keeps the real names; what is printed masks personal data in them (a pasted diff is shared)
    result = names.map_strings(result, lambda text: names.visible(pii.mask(text)))
    if as_json:
        typer.echo(json.dumps(result, indent=2))
    else:
        typer.echo(difference.render(result))


def main() -> None:
    """Entry point: user errors end as one ``Error:`` line, never a traceback."""
    try:
        app()
    except ReadinessError as exc:
        typer.echo(f"Error: {_visible(str(exc))}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        typer.echo("Error: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # an internal fault: one line, the traceback only when asked for
        if environment.current().debug:
            import traceback

            traceback.print_exc()
            sys.exit(EXIT_INTERNAL)  # the same code with the traceback: 1 would read as a failed gate
        # the exception's text may quote a value of the data: only its type is named
        typer.echo(f"Error: internal error ({type(exc).__name__}); re-run with READINESS_DEBUG=1 "
                   "and report it", err=True)
        sys.exit(EXIT_INTERNAL)


__all__ = ["app", "main", "UsageError"]
