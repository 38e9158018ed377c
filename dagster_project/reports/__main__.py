"""``python -m dagster_project.reports``: charts + index.html from the published warehouse."""

from __future__ import annotations

import sys

from dagster_project.reports.summary import reports_dir, write_report
from dagster_project.settings import load_settings
from dagster_project.warehouse import connect


def main() -> int:
    db = load_settings().published_db
    if not db.exists():
        print(f"error: {db} does not exist; run `make run` first", file=sys.stderr)
        return 1
    out = reports_dir()
    with connect(db, read_only=True) as con:
        for path in write_report(con, out):
            print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
