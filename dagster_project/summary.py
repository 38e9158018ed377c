"""Print what the published warehouse holds: each mart's row count and the file's path."""

from __future__ import annotations

import sys

from dagster_project.settings import load_settings
from dagster_project.warehouse import connect


def mart_row_counts() -> dict[str, int]:
    """Row count of every table in the ``marts`` schema of the published warehouse."""
    path = load_settings().published_db
    if not path.is_file():
        raise FileNotFoundError(f"no published warehouse at {path}: run `make demo` first")
    with connect(path, read_only=True) as con:
        names = [
            n
            for (n,) in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"
            ).fetchall()
        ]
        return {
            n: int(con.execute(f'select count(*) from marts."{n}"').fetchall()[0][0]) for n in names
        }


def main() -> int:
    settings = load_settings()
    try:
        counts = mart_row_counts()
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 1
    width = max(len(n) for n in counts) if counts else 10
    print(f"Published warehouse: {settings.published_db}")
    for name, rows in counts.items():
        print(f"  marts.{name:<{width}}  {rows:>7} rows")
    print(f"Query it: duckdb -readonly {settings.published_db}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
