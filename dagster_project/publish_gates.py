"""Publish gates: a build that lost data never replaces the published warehouse.

Plain Python (no Dagster import). Before publishing, the new build is compared with what it is
about to replace and with what each source promises:

* every mart has rows;
* the daily BTC price feed covers every day between its first and last date (a file with a
  hole, or a header only, is caught here with the file named);
* against the currently published file: no mart shrinks by more than ``max_shrink`` of its
  rows, no mart loses a ticker it had, and no daily feed covers fewer days than before (a
  file cut in half names the file and the days that went missing).

The last group can be waived for one run with ``allow_shrink`` (``make run ARGS=--allow-shrink``
or the publish asset's run config), for a deliberate removal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

#: Daily raw feeds compared with the published build: table -> date column.
DAILY_FEEDS = {
    "btc_price_daily": "date",
    "network_hashrate_daily": "date",
    "block_reward_daily": "date",
    "tx_fees_daily": "date",
    "miner_equities_daily": "date",
}
#: Feeds that must have no missing day between their first and last date.
GAPLESS_FEEDS = ("btc_price_daily",)
DEFAULT_MAX_SHRINK = 0.10


@dataclass(frozen=True)
class FeedCoverage:
    table: str
    rows: int
    first: dt.date | None
    last: dt.date | None
    days: int
    sources: tuple[str, ...]

    @property
    def span(self) -> int:
        return (self.last - self.first).days + 1 if self.first and self.last else 0

    def where(self) -> str:
        """The file(s) the rows came from, for messages."""
        return ", ".join(self.sources) if self.sources else "no source rows"


@dataclass
class Snapshot:
    """Row counts, tickers and feed coverage of one warehouse file."""

    mart_rows: dict[str, int] = field(default_factory=dict)
    mart_tickers: dict[str, set[str]] = field(default_factory=dict)
    feeds: dict[str, FeedCoverage] = field(default_factory=dict)


def _tables(con: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    rows = con.execute(
        "select table_name from duckdb_tables() where schema_name = ? order by 1", [schema]
    ).fetchall()
    return [r[0] for r in rows]


def _columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> set[str]:
    rows = con.execute(
        "select column_name from duckdb_columns() where schema_name = ? and table_name = ?",
        [schema, table],
    ).fetchall()
    return {r[0] for r in rows}


def snapshot(con: duckdb.DuckDBPyConnection) -> Snapshot:
    """What the gates compare, read from an open warehouse."""
    snap = Snapshot()
    for mart in _tables(con, "marts"):
        snap.mart_rows[mart] = con.execute(f'select count(*) from marts."{mart}"').fetchone()[0]
        if "ticker" in _columns(con, "marts", mart):
            tickers = con.execute(
                f'select distinct ticker from marts."{mart}" where ticker is not null'
            ).fetchall()
            snap.mart_tickers[mart] = {t[0] for t in tickers}
    raw = set(_tables(con, "raw"))
    for table, column in DAILY_FEEDS.items():
        if table not in raw:
            continue
        has_source = "source" in _columns(con, "raw", table)
        rows, first, last, days = con.execute(
            f'select count(*), min("{column}"), max("{column}"), count(distinct "{column}") '
            f"from raw.{table}"
        ).fetchone()
        sources: tuple[str, ...] = ()
        if has_source:
            sources = tuple(
                r[0]
                for r in con.execute(
                    f"select distinct source from raw.{table} where source is not null order by 1"
                ).fetchall()
            )
        snap.feeds[table] = FeedCoverage(table, rows, first, last, days, sources)
    return snap


def _missing_ranges(con: duckdb.DuckDBPyConnection, table: str, column: str) -> list[str]:
    rows = con.execute(
        f"""
        with days as (select distinct "{column}"::date as d from raw.{table}),
        gaps as (
            select d + 1 as gap_start, lead(d) over (order by d) - 1 as gap_end from days
        )
        select gap_start, gap_end from gaps where gap_end >= gap_start order by gap_start limit 3
        """
    ).fetchall()
    return [f"{a}..{b}" if a != b else str(a) for a, b in rows]


def check_build(
    build: Snapshot,
    published: Snapshot | None,
    *,
    build_con: duckdb.DuckDBPyConnection | None = None,
    expected_feed_files: dict[str, str] | None = None,
    allow_shrink: bool = False,
    max_shrink: float = DEFAULT_MAX_SHRINK,
) -> list[str]:
    """Every reason not to publish ``build`` over ``published``; empty when it may go out.

    ``expected_feed_files`` names, per raw feed, the file it should have been read from (used
    in messages when a feed came out empty and so names no source).
    """
    files = expected_feed_files or {}
    problems: list[str] = []
    for table, cov in build.feeds.items():
        origin = cov.where() if cov.sources else files.get(table, f"raw.{table}")
        if cov.rows == 0:
            problems.append(f"feed raw.{table} is empty: {origin} gave no valid row")
            continue
        if table in GAPLESS_FEEDS and cov.days < cov.span and build_con is not None:
            missing = cov.span - cov.days
            ranges = ", ".join(_missing_ranges(build_con, table, DAILY_FEEDS[table]))
            problems.append(
                f"feed raw.{table} ({origin}) misses {missing} of the {cov.span} days between "
                f"{cov.first} and {cov.last}: {ranges}"
            )
    for mart, rows in sorted(build.mart_rows.items()):
        if rows == 0:
            problems.append(f"mart marts.{mart} is empty")
    if published is None or allow_shrink:
        return problems
    for table, old in published.feeds.items():
        new = build.feeds.get(table)
        if new is None or old.rows == 0 or new.rows == 0:
            continue
        lost = []
        if old.first and new.first and new.first > old.first:
            lost.append(f"{old.first}..{new.first - dt.timedelta(days=1)}")
        if old.last and new.last and new.last < old.last:
            lost.append(f"{new.last + dt.timedelta(days=1)}..{old.last}")
        if lost:
            problems.append(
                f"feed raw.{table} ({new.where()}) now covers {new.first}..{new.last}, "
                f"{new.days} days; the published warehouse had {old.first}..{old.last}, "
                f"{old.days} days: missing {', '.join(lost)}"
            )
    for mart, old_rows in sorted(published.mart_rows.items()):
        new_rows = build.mart_rows.get(mart)
        if new_rows is None:
            problems.append(f"mart marts.{mart} is published but was not built")
            continue
        if old_rows and new_rows < old_rows * (1 - max_shrink):
            problems.append(
                f"mart marts.{mart} would shrink from {old_rows} to {new_rows} rows "
                f"(more than {max_shrink:.0%})"
            )
        lost_tickers = published.mart_tickers.get(mart, set()) - build.mart_tickers.get(mart, set())
        if lost_tickers:
            problems.append(
                f"mart marts.{mart} would lose ticker(s) {', '.join(sorted(lost_tickers))}"
            )
    return problems


def gate_problems(
    build_db: Path,
    published_db: Path,
    *,
    allow_shrink: bool = False,
    max_shrink: float = DEFAULT_MAX_SHRINK,
    expected_feed_files: dict[str, str] | None = None,
) -> list[str]:
    """Open both files read-only and run :func:`check_build`."""
    with duckdb.connect(str(build_db), read_only=True) as con:
        build = snapshot(con)
        published = None
        if published_db.exists():
            with duckdb.connect(str(published_db), read_only=True) as pub:
                published = snapshot(pub)
        return check_build(
            build,
            published,
            build_con=con,
            expected_feed_files=expected_feed_files,
            allow_shrink=allow_shrink,
            max_shrink=max_shrink,
        )
