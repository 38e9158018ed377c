"""How fresh each market feed is: last observation date in the published warehouse vs its cadence.

Plain Python (no Dagster import); the asset checks in ``defs/freshness.py`` call it on the
published file (what analysts see; never locked by the writer, so a check can run during a
build). A feed is stale when the age of its newest row (today UTC minus ``max(date)``)
exceeds its cadence plus slack. Cadences are those of the live sources
(``/work/shared/notes/live-apis.md``): daily series land the previous UTC day at 02:00, so a
healthy daily feed is 1-2 days old; the difficulty series changes only at each retarget
(2,016 blocks, about two weeks); equities have no bar on weekends and exchange holidays.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from dagster_project.warehouse import connect


@dataclass(frozen=True)
class Cadence:
    """Expected days between observations, and the slack allowed on top."""

    every_days: int
    slack_days: int
    why: str

    @property
    def max_age_days(self) -> int:
        return self.every_days + self.slack_days


FEED_CADENCE: dict[str, Cadence] = {
    "btc_price_daily": Cadence(1, 1, "one bar per UTC day, fetched the next night"),
    "network_hashrate_daily": Cadence(1, 1, "one estimate per UTC day, fetched the next night"),
    "tx_fees_daily": Cadence(1, 1, "one total per UTC day, fetched the next night"),
    "block_reward_daily": Cadence(1, 1, "one total per UTC day, fetched the next night"),
    "network_difficulty": Cadence(14, 3, "one value per retarget (2,016 blocks, ~14 days)"),
    "miner_equities_daily": Cadence(1, 3, "trading days only: a weekend plus a holiday"),
}


@dataclass(frozen=True)
class Freshness:
    """The verdict for one table."""

    table: str
    last_date: dt.date | None
    age_days: int | None
    max_age_days: int

    @property
    def fresh(self) -> bool:
        return self.age_days is not None and self.age_days <= self.max_age_days

    def describe(self) -> str:
        if self.last_date is None:
            return (
                f"raw.{self.table}: no observation at all (expected every ≤ {self.max_age_days} d)"
            )
        state = "fresh" if self.fresh else "STALE"
        return (
            f"raw.{self.table}: {state}, last observation {self.last_date} is {self.age_days} "
            f"day(s) old (allowed {self.max_age_days})"
        )


def last_observation(db: Path, table: str, column: str = "date") -> dt.date | None:
    """``max(column)`` of ``raw.<table>``, or None when the table is missing or empty."""
    if not db.is_file():
        return None
    with connect(db, read_only=True) as con:
        try:
            row = con.execute(f'select max("{column}") from raw."{table}"').fetchone()
        except duckdb.CatalogException:
            return None
    return row[0] if row else None


def feed_freshness(
    db: Path, table: str, today: dt.date | None = None, *, cadence: Cadence | None = None
) -> Freshness:
    """Age of the newest row of a market feed against its :data:`FEED_CADENCE`."""
    cadence = cadence or FEED_CADENCE[table]
    today = today or dt.datetime.now(dt.UTC).date()
    last = last_observation(db, table)
    age = (today - last).days if last is not None else None
    return Freshness(table=table, last_date=last, age_days=age, max_age_days=cadence.max_age_days)
