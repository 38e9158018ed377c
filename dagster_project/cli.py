"""``minerpivot`` command line (plain Python; subcommands are added by other modules)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from dagster_project.extraction.corpus import read_document
from dagster_project.extraction.entities import Resolver, load_aliases
from dagster_project.extraction.rules import extract_facts


@click.group()
def main() -> None:
    """minerpivot: Bitcoin miners pivoting to AI/HPC."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--reference",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="miners.csv with aliases (default: data/raw/reference/miners.csv or the shared one).",
)
@click.option("--language", type=click.Choice(["en", "fr"]), default=None)
def extract(files: tuple[str, ...], reference: Path | None, language: str | None) -> None:
    """Print the facts of FILE... (text or HTML, any encoding) as JSON Lines."""
    resolver = Resolver(load_aliases(reference)) if reference else None
    for name in files:
        doc = read_document(Path(name))
        for fact in extract_facts(doc, resolver=resolver, language=language):
            click.echo(json.dumps(fact.to_dict(), ensure_ascii=False, default=_json_default))


@main.command()
@click.argument("query")
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="DuckDB file (default: the published warehouse, opened read-only).",
)
@click.option("--max-rows", default=50, show_default=True, help="Rows to print.")
def sql(query: str, db: Path | None, max_rows: int) -> None:
    """Run QUERY read-only against the published warehouse and print the result."""
    import duckdb

    from dagster_project.settings import load_settings

    path = db or load_settings().published_db
    if not path.is_file():
        raise click.ClickException(f"no warehouse at {path}: run `make demo` first")
    with duckdb.connect(str(path), read_only=True) as con:
        frame = con.sql(query).pl()
    import polars as pl

    with pl.Config(tbl_rows=max_rows, tbl_cols=-1, tbl_width_chars=200, fmt_str_lengths=60):
        click.echo(frame.head(max_rows))


@main.command()
def summary() -> None:
    """Print each mart's row count and the published warehouse path."""
    from dagster_project.summary import main as summary_main

    raise SystemExit(summary_main())


def _json_default(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


if __name__ == "__main__":
    main()
