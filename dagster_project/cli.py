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


def _json_default(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


if __name__ == "__main__":
    main()
