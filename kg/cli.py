"""The ``kg`` command line: build, validate and query the knowledge graph.

Exit codes: 0 success (the graph conforms), 1 SHACL violations, 2 an error (a broken
table, an unreadable file, a bad query).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from kg import __version__
from kg.config import LANGUAGES
from kg.config import default
from kg.config import from_env
from kg.formats import RESULT_FORMATS
from kg.tables.read import DataError

ENGINE = click.Choice(["turbo", "pyshacl"])


def _config(**options: object):
    try:
        return from_env(**options)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None


def _fail(message: str, code: int = 2) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(code)


class Commands(click.Group):
    """Every command: an operating-system error (disk full, permission denied, a folder
    that vanished) is one line and exit 2, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except OSError as exc:
            where = f": {exc.filename}" if exc.filename else ""
            _fail(f"kg: {exc.strerror or exc}{where}")


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def cli() -> None:
    """Latvia's integration policy cycle as a validated knowledge graph.

    Settings come from KG_* environment variables (see the README); options override them.
    """


def data_options(fn):
    fn = click.option("--base", help="Base IRI of minted IRIs [KG_BASE].")(fn)
    fn = click.option(
        "--data",
        type=click.Path(path_type=Path),
        help="Folder of source tables, or a workbook (FILE.xlsx) holding them "
        "[KG_DATA, default ./data].",
    )(fn)
    fn = click.option(
        "--engine",
        type=ENGINE,
        help="SHACL engine: turbo (default) or pyshacl (reference) [KG_SHACL_ENGINE].",
    )(fn)
    return fn


def release_option(fn):
    """``--out``: the build folder whose published release (OUT/dist) a command uses."""
    return click.option(
        "--out",
        type=click.Path(file_okay=False, path_type=Path),
        help="Build folder whose published release to use [KG_OUT].",
    )(fn)


@cli.command()
@data_options
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder; the release is published as OUT/dist [KG_OUT, default ./build].",
)
def build(base: str | None, data: Path | None, engine: str | None, out: Path | None) -> None:
    """Build the graph from the tables, validate it, and publish the dumps.

    Writes TriG, N-Quads, Turtle, N-Triples, JSON-LD and RDF/XML plus SHA256SUMS to a staging
    folder and swaps it in atomically; on any error or SHACL violation nothing is published.
    """
    from kg.build.pipeline import NotConformingError
    from kg.build.pipeline import build as run_build
    from kg.build.publish import BusyError
    from kg.build.validate import report_text
    from kg.rdfio import RdfInputError

    config = _config(base=base, data=data, out=out, shacl_engine=engine)
    try:
        result = run_build(config)
    except (DataError, RdfInputError, BusyError) as exc:
        _fail(f"Build failed; nothing published.\n{exc}")
    except NotConformingError as exc:
        click.echo(report_text(exc.report, origin=exc.origin), err=True)
        _fail(f"Build refused: {exc}", 1)
    counts = result.report.counts()
    click.echo(
        f"Built {result.quads} quads in {result.graphs} named graphs "
        f"({counts['Violation']} violations, {counts['Warning']} warnings, "
        f"{counts['Info']} infos)."
    )
    click.echo(f"Published {config.dist} -> {result.release}")
    for path in sorted(result.release.iterdir()):
        click.echo(f"  {config.dist / path.name}  ({path.stat().st_size} bytes)")


@cli.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@data_options
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the JSON report [default OUT/validation-report.json].",
)
@click.option(
    "--lang",
    type=click.Choice(["lv", "en"]),
    default="en",
    show_default=True,
    help="Language of the messages printed.",
)
def validate(
    file: Path | None,
    base: str | None,
    data: Path | None,
    engine: str | None,
    report_path: Path | None,
    lang: str,
) -> None:
    """Check the tables (or an RDF FILE) against the SHACL shapes.

    Prints a readable report and writes a machine-readable JSON one. Exits 0 if the graph
    conforms, 1 if it has violations, 2 on an error. Warnings and infos never fail.
    """
    from kg.build.pipeline import check
    from kg.build.validate import load_shapes
    from kg.build.validate import report_json
    from kg.build.validate import report_text
    from kg.build.validate import union_store
    from kg.build.validate import validate_store
    from kg.rdfio import RdfInputError
    from kg.rdfio import read_quads

    config = _config(base=base, data=data, shacl_engine=engine)
    origin = None
    try:
        if file is None:
            checked = check(config)
            report, origin = checked.report, checked.facts.origin
        else:
            store = union_store(read_quads(file))
            report = validate_store(
                store, load_shapes(config.shapes, config.base), config.shacl_engine
            )
    except (DataError, RdfInputError) as exc:
        _fail(f"Validation error:\n{exc}")
    target = report_path or config.out / "validation-report.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(report_json(report), encoding="utf-8")
    click.echo(report_text(report, lang, origin), nl=False)
    click.echo(f"JSON report: {target}")
    sys.exit(0 if report.conforms else 1)


@cli.command()
@click.argument("query_file", type=click.File("r", encoding="utf-8"))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", *(f.suffix for f in RESULT_FORMATS)]),
    default="table",
    show_default=True,
    help="Output format of SELECT results.",
)
@release_option
@click.option("--base", help="Base IRI, for the id:/st:/graph: prefixes [KG_BASE].")
@click.option(
    "--release",
    "release_id",
    metavar="ID",
    help="Run on a kept release (an id of /releases), to reproduce a cited result.",
)
def query(query_file, fmt: str, out: Path | None, base: str | None, release_id: str | None) -> None:
    """Run the SPARQL query in QUERY_FILE ('-' for standard input) on the published graph.

    The default graph is the union of all named graphs; GRAPH ?g names each fact's source.
    The project's prefixes (lvp:, skos:, st:, id:, …) may be used without declaring them.
    """
    from kg.backends import make_backend
    from kg.config import setting
    from kg.query import render
    from kg.query import run
    from kg.releases import find

    config = _config(out=out, base=base)
    try:
        source = config.dist
        if release_id is not None:
            kept = find(config.dist, release_id)
            if kept is None:
                _fail(f"No release {release_id!r} in {config.out / 'releases'}.")
            source = kept.path
        endpoint = None if release_id else setting("KG_SPARQL_ENDPOINT")
        backend = make_backend(source, endpoint, setting("KG_SPARQL_DEFAULT_GRAPH"))
        result = run(backend, query_file.read(), config.base)
        click.echo(render(result, fmt), nl=False)
    except (FileNotFoundError, SyntaxError, ValueError, OSError) as exc:
        _fail(f"Query failed: {exc}")


@cli.command()
@click.option(
    "--endpoint",
    required=True,
    help="Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store (Oxigraph), "
    "http://host:3030/ds/data (Fuseki), http://host:8890/sparql-graph-crud-auth (Virtuoso).",
)
@click.option(
    "--union-graph",
    metavar="IRI",
    help="Put the union into this graph, not into the server's default graph: for a server "
    "whose default graph is the union of all its graphs (Virtuoso); then serve with "
    "KG_SPARQL_DEFAULT_GRAPH set to it.",
)
@click.option(
    "--user",
    help="Log in as this user (digest or basic authentication); the password is read from "
    "KG_STORE_PASSWORD.",
)
@release_option
def load(endpoint: str, union_graph: str | None, user: str | None, out: Path | None) -> None:
    """Push the published release into a SPARQL server (every named graph and the union)."""
    from kg.load import load as push

    config = _config(out=out)
    from kg.config import setting

    password = setting("KG_STORE_PASSWORD")
    if user and password is None:
        _fail("Set KG_STORE_PASSWORD to the password of --user.")
    try:
        sent = push(config.dist, endpoint, union_graph=union_graph, user=user, password=password)
    except (OSError, ValueError) as exc:
        _fail(f"Load failed: {exc}")
    click.echo(f"Loaded {sum(sent.values())} statements in {len(sent)} graphs into {endpoint}")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--workers",
    default=2,
    show_default=True,
    type=int,
    help="Server processes; each runs its own query workers (KG_SPARQL_WORKERS), all forked "
    "from one zygote that holds the one copy of the store; the per-client limits are "
    "shared by all.",
)
@click.option(
    "--threads",
    type=int,
    default=default("KG_SERVER_THREADS"),
    show_default=True,
    envvar="KG_SERVER_THREADS",
    help="Threads per server process that run requests [KG_SERVER_THREADS].",
)
@release_option
def serve(host: str, port: int, workers: int, threads: int, out: Path | None) -> None:
    """Serve the browser and /sparql with a production HTTP server (granian).

    Answers from the embedded store of the published release, or from the SPARQL endpoint
    in KG_SPARQL_ENDPOINT. Requests whose headers or body take longer than KG_READ_TIMEOUT
    are closed (408). Run 'kg build' first.
    """
    from kg.serving import run_server  # the one place kg reaches the web layer

    config = _config(out=out)
    from kg.config import SETTINGS
    from kg.config import setting
    from kg.release import Release

    try:
        for name in SETTINGS:  # every KG_* the server reads, refused here with its reason
            setting(name)
    except ValueError as exc:
        _fail(str(exc))
    served = Release(setting("KG_RELEASE") or config.dist)  # what the app will serve
    try:
        served.load_file()
        served.verify()  # a release cut short is never served
    except (FileNotFoundError, ValueError) as exc:
        _fail(str(exc))
    from kg.serving import PortHeldError
    from kg.serving import address_in_use
    from kg.serving import holding_port

    try:
        with holding_port(host, port):
            busy = address_in_use(host, port)
            if busy:
                _fail(f"Cannot listen on {host}:{port}: {busy} (is another server running there?)")
            environ = {
                "KG_OUT": str(config.out.resolve()),
                # every server process serves the release checked here, and only once
                "KG_RELEASE": str(served.path.resolve()),
                "KG_RELEASE_VERIFIED": str(served.path.resolve()),
            }
            run_server(host, port, workers, threads, environ)
    except PortHeldError as exc:
        _fail(f"Cannot listen on {host}:{port}: {exc}.")


@cli.command()
@click.argument("plan")
@click.option(
    "--period", metavar="ID", help="Only results and figures of this period (2019, 2019-2020 …)."
)
@click.option(
    "--lang",
    type=click.Choice(list(LANGUAGES)),
    default=LANGUAGES[0],
    show_default=True,
    help="The report's language.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "docx", "pdf"]),
    default="html",
    show_default=True,
    help="HTML needs nothing; DOCX and PDF are converted by LibreOffice.",
)
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to FILE (default: standard output).",
)
@click.option(
    "--release",
    "release_id",
    metavar="ID",
    help="Write it from a kept release (an id of /releases).",
)
@click.option(
    "--build",
    "build_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Build folder whose published release to use [KG_OUT].",
)
def report(
    plan: str,
    period: str | None,
    lang: str,
    fmt: str,
    out_file: Path | None,
    release_id: str | None,
    build_dir: Path | None,
) -> None:
    """Write the informative report on PLAN (its id, as in /plans/<id>, or its IRI) from
    the published graph: measures by status, results by direction and goal with their
    institutions, indicators target against actual, funding, what the graph does not
    hold, and the sources. Every number has a note giving its fact, source and quoted words.
    """
    from kg.backends import make_backend
    from kg.explore.plan import by_slug
    from kg.releases import find
    from kg.releases import served
    from kg.report.make import report as write_report
    from kg.report.office import OfficeError

    config = _config(out=build_dir)
    kept = served(config.dist) if release_id is None else find(config.dist, release_id)
    if kept is None:
        _fail(f"No release {release_id!r} in {config.out / 'releases'}.")
    from kg.release import Release

    # the base its build minted IRIs under (an example's differs from the project's)
    base = str(Release(kept.path).info.get("base") or config.base)
    try:
        backend = make_backend(kept.path)
        plans = by_slug(backend, base)
        iri = plans.get(plan) or (plan if plan in plans.values() else None)
        if iri is None:
            _fail(f"No plan {plan!r}; the graph has: {', '.join(sorted(plans))}.")
        period_iri = None if period is None else f"{base}id/period/{period}"
        made = write_report(
            backend,
            base,
            iri,
            lang=lang,
            fmt=fmt,
            period=period_iri,
            release=kept.id,
            when=kept.published.isoformat(),
        )
    except (OfficeError, ValueError, FileNotFoundError) as exc:
        _fail(f"Report failed: {exc}")
    if out_file is None:
        sys.stdout.buffer.write(made)
        sys.stdout.flush()
    else:
        out_file.write_bytes(made)
        click.echo(f"Wrote {out_file} ({len(made)} bytes).", err=True)


@cli.group("round")
def round_group() -> None:
    """A reporting round: one workbook per responsible institution (open), its returns
    checked and merged into the tables (collect)."""


@round_group.command("open")
@click.argument("plan")
@click.argument("period")
@click.option("--data", type=click.Path(path_type=Path), help="Folder of tables [KG_DATA].")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the workbooks [default: round-PLAN-PERIOD].",
)
@click.option("--due", metavar="DATE", help="The day returns are due (recorded in the tables).")
@click.option("--on", "day", metavar="DATE", help="The day the round is opened [today].")
def round_open(
    plan: str,
    period: str,
    data: Path | None,
    out_dir: Path | None,
    due: str | None,
    day: str | None,
) -> None:
    """Write one workbook per institution responsible for a measure of PLAN, asking how its
    measures stood in PERIOD: their statuses, indicators and funding, with the previous
    period's values and the plan's targets shown read-only. With --due, the round's notice
    and due date go into the tables (a source and a deadline of the plan), so that the
    round's page can say who is late."""
    from kg.round.issue import RoundError
    from kg.round.issue import issues
    from kg.round.issue import notice
    from kg.round.issue import read
    from kg.round.issue import status_choices
    from kg.round.tables import merge
    from kg.round.workbook import write

    config = _config(data=data)
    target = out_dir or Path(f"round-{plan}-{period}")
    try:
        tables = read(config.data)
        found = issues(tables, plan, period)
    except (DataError, RoundError) as exc:
        _fail(f"Round not opened: {exc}")
    import datetime

    try:
        on = datetime.date.fromisoformat(day) if day else datetime.date.today()
        if due is not None:
            datetime.date.fromisoformat(due)
    except ValueError:
        _fail(f"Not a date: {due if day is None else day!r}; write 2027-01-31.")
    if due is not None:
        if not config.data.is_dir():
            _fail(f"A round's due date goes into a folder of CSV tables; {config.data} is not one.")
        merge(config.data, [notice(tables, found, on.isoformat(), due)])
        click.echo(f"due {due}: recorded in {config.data} (deadlines.csv, sources.csv)")
    target.mkdir(parents=True, exist_ok=True)
    choices = list(status_choices(tables))
    for institution, issue in sorted(found.items()):
        path = target / f"{period}-{institution}.xlsx"
        write(issue, choices, path)
        measures = len(issue.sheet("Statusi").rows)
        click.echo(f"{path}  ({issue.name_lv}: {measures} measures)")


@round_group.command("collect")
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--data", type=click.Path(path_type=Path), help="Folder of tables [KG_DATA].")
@click.option(
    "--reports",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for each institution's report [default: FOLDER/reports].",
)
@click.option("--on", "day", metavar="DATE", help="The day the returns count as received [today].")
def round_collect(folder: Path, data: Path | None, reports: Path | None, day: str | None) -> None:
    """Check every workbook in FOLDER against what its round issued, write each
    institution a report of its problems (sheet, row, column, value, what is accepted; in
    Latvian and English), and merge the valid returns into the tables, all or none per
    institution. Exit 0 when every return was merged, 1 when some were refused."""
    import datetime

    from kg.round.collect import collect
    from kg.round.issue import RoundError

    config = _config(data=data)
    if not config.data.is_dir():
        _fail(f"Returns merge into a folder of CSV tables; {config.data} is not one.")
    try:
        on = datetime.date.fromisoformat(day) if day else datetime.date.today()
    except ValueError:
        _fail(f"--on {day!r} is not a date: write 2026-03-01.")
    try:
        outcomes = collect(config.data, folder, reports or folder / "reports", on)
    except (DataError, RoundError) as exc:
        _fail(f"Returns not collected: {exc}")
    for outcome in outcomes:
        who = outcome.institution or outcome.path.name
        if outcome.merged:
            warned = len(outcome.findings)
            extra = f", {warned} warnings in {outcome.report}" if warned else ""
            click.echo(f"merged   {who}: {outcome.facts} rows{extra}")
        else:
            click.echo(f"refused  {who}: {len(outcome.errors)} problems in {outcome.report}")
    if not outcomes:
        click.echo(f"No workbooks (*.xlsx) in {folder}.")
    sys.exit(0 if all(o.merged for o in outcomes) else 1)


@cli.command()
@click.argument("name")
def slug(name: str) -> None:
    """Print the ASCII slug for a Latvian NAME, to mint a new id in a table."""
    from kg.slugs import slug as make_slug

    click.echo(make_slug(name))


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--triples", type=int, default=100_000, show_default=True, help="About how many facts."
)
@click.option(
    "--seed", type=int, default=42, show_default=True, help="The same seed, the same tables."
)
def generate(folder: Path, triples: int, seed: int) -> None:
    """Write FICTIONAL tables of the same shape as data/ into FOLDER, for benchmarks and
    scale tests: a synthetic plan, its measures, institutions, results and figures. Never
    data to publish: every title says it is synthetic."""
    from kg.build.generate import generate as write

    existing = folder / "dataset.csv"
    if existing.is_file() and "Synthetic" not in existing.read_text(encoding="utf-8"):
        _fail(f"{folder} holds tables that are not synthetic: choose another folder.")
    counts = write(folder, triples, seed)
    click.echo(f"{folder}: {counts['measures']} measures, {counts['institutions']} institutions")


@cli.group()
def tables() -> None:
    """The source tables as one workbook a spreadsheet program edits, and back."""


@tables.command("export")
@click.argument("workbook", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--data",
    type=click.Path(path_type=Path),
    help="Folder of source tables (or a workbook) to export [KG_DATA, default ./data].",
)
def tables_export(workbook: Path, data: Path | None) -> None:
    """Write every table as a sheet of WORKBOOK (.xlsx): drop-down lists for coded columns
    and for ids of other tables, each column's meaning in Latvian and English. Build from
    it with `kg build --data WORKBOOK`; files the tables name (sources/…) are looked for
    beside it."""
    from kg.tables.workbook_export import export

    if workbook.suffix.lower() != ".xlsx":
        _fail("The workbook must be an .xlsx file.")
    config = _config(data=data)
    try:
        counts = export(config.data, workbook)
    except DataError as exc:
        _fail(f"Export failed; nothing written.\n{exc}")
    except OSError as exc:
        _fail(f"Export failed: {exc}")
    click.echo(f"Wrote {sum(counts.values())} rows in {len(counts)} sheets to {workbook}")


@tables.command("docs")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the page to this file (default: print it).",
)
def tables_docs(out: Path | None) -> None:
    """Write docs/tables.md, every table and column in Latvian and English, from the
    tables' schema (data/csv-metadata.json, W3C CSV on the Web)."""
    from kg.tables.schema import load
    from kg.tables.schema import project_schema
    from kg.tables.schema_docs import tables_markdown

    text = tables_markdown(load(project_schema()))
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")


@tables.command("import")
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def tables_import(workbook: Path, folder: Path) -> None:
    """Write the sheets of WORKBOOK as the CSV tables of FOLDER (UTF-8, comma-separated),
    after the checks a build makes of them; nothing is written if a sheet has a problem."""
    from kg.tables.workbook_export import write_tables

    try:
        written = write_tables(workbook, folder)
    except DataError as exc:
        _fail(f"Import failed; nothing written.\n{exc}")
    except OSError as exc:
        _fail(f"Import failed: {exc}")
    click.echo(f"Wrote {len(written)} tables to {folder}")


@cli.command("export-site")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@release_option
def export_site(folder: Path, out: Path | None) -> None:
    """Write the browser as static files into FOLDER, for any web host: every page in
    Latvian and English, its JSON and RDF forms, the dumps, the catalogue, sitemap.xml and
    robots.txt, with an nginx server block (nginx.conf) and an Apache .htaccess that
    reproduce the 303 from /id/ and the content negotiation. Search and /sparql need
    `kg serve`."""
    from kg.release import Release
    from kg.serving import export_site as run_export

    config = _config(out=out)
    try:
        Release(config.dist).load_file()
        counts = run_export(config.dist, config.base, folder)
    except (OSError, RuntimeError, ValueError) as exc:
        _fail(f"Export failed; nothing written.\n{exc}")
    click.echo(f"Wrote {sum(counts.values())} files ({counts}) to {folder}")
