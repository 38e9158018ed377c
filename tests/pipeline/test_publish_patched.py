"""The nightly (patched) publish: a copy of the published file with only the run's tables brought
up to date equals the build, stays about the same size night after night, and refuses (leaving
the published file as it was) when the build changed rows older than its window.

Synthetic test data made here: a dated feed of 400 days x 500 rows and a small mart.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from dagster_project.warehouse import (
    PATCH_DAYS,
    PatchMismatchError,
    publish,
    publish_patched,
)

START = dt.date(2024, 1, 1)
TABLES = {"raw.feed": "date", "marts.summary": ""}


def _night(build: Path, day: int, first: int | None = None) -> None:
    """One nightly build: day ``day`` appended, the days from ``first`` (default: three days
    before) revised, the mart recomputed."""
    with duckdb.connect(str(build)) as con:
        con.execute("create schema if not exists raw")
        con.execute("create schema if not exists marts")
        con.execute("create table if not exists raw.feed (date date, ticker varchar, value double)")
        first = max(day - 3, 0) if first is None else first
        con.execute("delete from raw.feed where date >= ?", [START + dt.timedelta(days=first)])
        con.execute(
            """insert into raw.feed
               select ?::date + d::int, 'T' || t, (d * 1000 + t + ?) / 7.0
               from range(?, ? + 1) as r(d), range(500) as s(t)""",
            [START, day, first, day],
        )
        con.execute(
            "create or replace table marts.summary as "
            "select ticker, max(date) as last_day, avg(value) as mean from raw.feed group by 1"
        )


def _fingerprint(db: Path) -> dict[str, tuple[int, int]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            t: con.execute(f"select count(*), sum(hash(x)::hugeint) from {t} as x").fetchone()
            for t in TABLES
        }


def test_patched_publishes_equal_the_build_and_stay_about_the_same_size(tmp_path):
    build, published = tmp_path / "build.duckdb", tmp_path / "minerpivot.duckdb"
    _night(build, 399, first=0)  # a long history, built and published whole
    publish(build, published)
    sizes = []
    for day in range(400, 410):
        _night(build, day)
        publish_patched(build, published, TABLES)
        assert _fingerprint(published) == _fingerprint(build), day
        sizes.append(published.stat().st_size)
    assert sizes[-1] <= sizes[0] * 1.25, sizes


def test_a_change_older_than_the_window_is_refused_and_nothing_is_replaced(tmp_path):
    build, published = tmp_path / "build.duckdb", tmp_path / "minerpivot.duckdb"
    _night(build, 200, first=0)
    publish(build, published)
    before = _fingerprint(published)
    with duckdb.connect(str(build)) as con:
        con.execute(
            "delete from raw.feed where date = ?", [START + dt.timedelta(days=200 - PATCH_DAYS - 5)]
        )
    with pytest.raises(PatchMismatchError, match="raw.feed"):
        publish_patched(build, published, TABLES)
    assert _fingerprint(published) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build.duckdb", "minerpivot.duckdb"]


def test_a_full_build_not_published_since_makes_the_nightly_publish_a_full_copy():
    import dagster as dg

    from dagster_project.defs.publish import PUBLISHED_KEY, _built_since_last_publish

    patch = {"marts.btc_price_daily": "price_date"}
    with dg.instance_for_test() as instance:
        context = dg.build_asset_context(instance=instance)

        def built(key: list[str]) -> None:
            instance.report_runless_asset_event(dg.AssetMaterialization(key))

        built(["marts", "hpc_contracts"])  # a full build, never published
        assert _built_since_last_publish(context, patch) == ["marts/hpc_contracts"]
        built(PUBLISHED_KEY.path)
        assert _built_since_last_publish(context, patch) == []
        built(["marts", "btc_price_daily"])  # the nightly's own tables do not count
        assert _built_since_last_publish(context, patch) == []
        built(["marts", "hpc_contracts"])  # a full build whose publish failed
        assert _built_since_last_publish(context, patch) == ["marts/hpc_contracts"]
