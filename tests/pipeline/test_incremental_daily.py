"""Nightly (incremental) dbt builds of the daily models give the same tables as a full build.

On the real snapshot: build everything on feeds cut at 2024-03-01 (the preferred Yahoo equities
file and the secondary one both run past it), then add the days back in two nightly builds (5
days, in which the Yahoo file ends and the secondary file takes over, then the remaining ~22
months at once), and compare every row of every incremental model with a fresh full build of
the whole data. Only appended days are in scope: a revision older than the lookback window
needs a full refresh (docs/performance.md).
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import duckdb
import pytest

from dagster_project.dbt_project import DBT_DIR, dbt_executable
from dagster_project.schemas.validation import validate_parts
from dagster_project.settings import load_settings
from dagster_project.sources.market_feeds import FEEDS, read_offline
from dagster_project.warehouse import load_raw

pytestmark = pytest.mark.slow

SELECT = "+btc_price_daily +hashprice_daily +miner_equities_daily"
CUT = dt.date(2024, 3, 1)
END = dt.date(2100, 1, 1)


def _load_feeds(build_db: Path) -> None:
    settings = load_settings()
    for feed in FEEDS:
        result = validate_parts(
            read_offline(settings, feed), feed.model, dataset=feed.table, fail_on_bad_rows=False
        )
        load_raw(build_db, feed.table, result.valid, result.quarantine)


def _cut(build_db: Path, source: Path, market_end: dt.date) -> None:
    """raw.* of ``build_db`` = the full feeds in ``source`` up to ``market_end``."""
    with duckdb.connect(str(build_db)) as con:
        con.execute("attach ? as full_feeds (read_only)", [str(source)])
        con.execute("create schema if not exists raw")
        for feed in FEEDS:
            con.execute(
                f"create or replace table raw.{feed.table} as "
                f"select * from full_feeds.raw.{feed.table} where date <= ?",
                [market_end],
            )


def _dbt(build_db: Path, target: Path, *extra: str) -> None:
    env = {**os.environ, "MINERPIVOT_BUILD_DB": str(build_db), "DBT_TARGET_PATH": str(target)}
    env.pop("MINERPIVOT_DBT_FULL_REFRESH", None)
    proc = subprocess.run(
        [dbt_executable(), "build", "--select", SELECT, "--profiles-dir", ".", *extra],
        cwd=DBT_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout[-4000:]


def _incremental_models(target: Path) -> list[str]:
    import json

    manifest = json.loads((target / "manifest.json").read_text())
    return sorted(
        f"{n['schema']}.{n['alias']}"
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model" and n["config"]["materialized"] == "incremental"
    )


def _fingerprint(db: Path, table: str) -> tuple[int, int, list]:
    """Row count, an order-free hash of every row, and the first rows in key order."""
    with duckdb.connect(str(db), read_only=True) as con:
        count, digest = con.execute(
            f"select count(*), sum(hash(t)::hugeint) from {table} as t"
        ).fetchall()[0]
        head = con.execute(f"select * from {table} order by all limit 3").fetchall()
    return count, digest, head


def test_nightly_incremental_builds_equal_a_full_build(tmp_path):
    feeds = tmp_path / "feeds" / "build.duckdb"
    feeds.parent.mkdir()
    _load_feeds(feeds)
    target = tmp_path / "target"

    nightly = tmp_path / "nightly" / "build.duckdb"
    nightly.parent.mkdir()
    _cut(nightly, feeds, CUT)
    _dbt(nightly, target)
    before = _fingerprint(nightly, "marts.btc_price_daily")
    _cut(nightly, feeds, CUT + dt.timedelta(days=5))
    _dbt(nightly, target)
    _cut(nightly, feeds, END)
    _dbt(nightly, target)

    full = tmp_path / "full" / "build.duckdb"
    full.parent.mkdir()
    _cut(full, feeds, END)
    _dbt(full, target, "--full-refresh")

    models = _incremental_models(target)
    assert {"marts.btc_price_daily", "marts.hashprice_daily", "marts.miner_equities_daily"} <= set(
        models
    ), models
    assert len(models) >= 8, models
    assert _fingerprint(nightly, "marts.btc_price_daily")[0] > before[0]
    for table in models:
        assert _fingerprint(nightly, table) == _fingerprint(full, table), table
