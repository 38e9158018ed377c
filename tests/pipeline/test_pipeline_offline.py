"""A full offline materialization: row counts, values, schemas and the published file."""

from __future__ import annotations

import base64
import datetime as dt

import duckdb
import pytest

from dagster_project.dbt_project import dbt_project
from dagster_project.settings import load_settings


@pytest.fixture(scope="module")
def published(pipeline_run) -> duckdb.DuckDBPyConnection:
    path = pipeline_run.warehouse_dir / "minerpivot.duckdb"
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


def test_published_file_has_the_four_schemas_by_name(published):
    schemas = {
        r[0] for r in published.execute("select schema_name from duckdb_tables()").fetchall()
    }
    assert {"raw", "staging", "intermediate", "marts"} <= schemas
    assert not any(s.startswith("main_") for s in schemas)


def test_btc_price_mart_has_one_row_per_snapshot_day(published, snapshot_dir):
    n_days = sum(1 for _ in open(snapshot_dir / "market/btc_usd_daily_cccagg.csv")) - 1
    rows, distinct, first, last = published.execute(
        "select count(*), count(distinct price_date), min(price_date), max(price_date) "
        "from marts.btc_price_daily"
    ).fetchone()
    assert rows == distinct == n_days == 2015
    assert (first, last) == (dt.date(2020, 7, 12), dt.date(2026, 1, 16))


def test_btc_price_values_and_averages(published):
    close, sma7, month_close = published.execute(
        "select close_usd, sma_7d_usd, month_close_usd from marts.btc_price_daily "
        "where price_date = '2024-04-19'"
    ).fetchone()
    assert close == pytest.approx(63848.26)
    expected_sma = published.execute(
        "select avg(close_usd) from marts.btc_price_daily "
        "where price_date between '2024-04-13' and '2024-04-19'"
    ).fetchone()[0]
    assert sma7 == pytest.approx(expected_sma)
    april_last = published.execute(
        "select close_usd from marts.btc_price_daily where price_date = '2024-04-30'"
    ).fetchone()[0]
    assert month_close == pytest.approx(april_last)


def test_hashprice_shows_the_april_2024_halving(published):
    rows = dict(
        published.execute(
            "select day, subsidy_per_block_btc from marts.hashprice_daily "
            "where day in ('2024-04-19', '2024-04-20')"
        ).fetchall()
    )
    assert rows == {dt.date(2024, 4, 19): 6.25, dt.date(2024, 4, 20): 3.125}
    before, after = published.execute(
        "select avg(hashprice_usd_per_ph_day) filter (day between '2024-04-10' and '2024-04-18'),"
        " avg(hashprice_usd_per_ph_day) filter (day between '2024-04-22' and '2024-04-30')"
        " from marts.hashprice_daily"
    ).fetchone()
    assert after < 0.75 * before  # the subsidy halved; fees and price softened the drop a little


def test_hashprice_range_and_flags(published):
    first, n, subsidy_only, with_fees = published.execute(
        "select min(day), count(*), count(*) filter (where is_subsidy_only),"
        " count(*) filter (where not is_subsidy_only) from marts.hashprice_daily"
    ).fetchone()
    assert first == dt.date(2021, 1, 1)
    assert with_fees == 363  # the fee file covers 2024-02-06 → 2025-02-02
    assert subsidy_only == n - 363
    lo, median, hi = published.execute(
        "select min(hashprice_usd_per_ph_day), median(hashprice_usd_per_ph_day),"
        " max(hashprice_usd_per_ph_day) from marts.hashprice_daily where day >= '2024-05-01'"
    ).fetchone()
    # Post-halving hashprice mostly lived between $35 and $65 per PH/s per day; the top is a
    # fee spike day (2024-06-07).
    assert 25 < lo < median < hi < 100
    assert 35 < median < 65


def test_equities_prefer_yahoo_then_secondary(published):
    by_source = dict(
        published.execute(
            "select source like '%yahoo%', max(trade_date)"
            " from marts.miner_equities_daily group by 1"
        ).fetchall()
    )
    assert by_source[True] == dt.date(2024, 3, 8)
    assert by_source[False] > dt.date(2025, 1, 1)
    secondary_market_volume = published.execute(
        "select count(market_volume_shares) from marts.miner_equities_daily "
        "where source not like '%yahoo%'"
    ).fetchone()[0]
    assert secondary_market_volume == 0


def test_materialization_metadata_has_row_counts(pipeline_run):
    mats = pipeline_run.result.get_asset_materialization_events()
    counts = {
        "/".join(e.asset_key.path): e.materialization.metadata.get("dagster/row_count")
        for e in mats
    }
    assert counts["raw/btc_price_daily"].value == 2015
    assert counts["marts/hashprice_daily"].value == 1842


def test_dbt_tests_surface_as_asset_checks(pipeline_run):
    evals = pipeline_run.result.get_asset_check_evaluations()
    names = {(tuple(e.asset_key.path), e.check_name) for e in evals}
    assert (("marts", "hashprice_daily"), "unique_hashprice_daily_day") in names
    assert all(e.passed for e in evals if e.check_name.startswith("unique_"))


def test_dbt_events_reach_dagster_as_json_while_its_file_log_stays_text(pipeline_run):
    """dagster-dbt needs JSON lines on stdout; dbt.log stays in the (cheaper) text format."""
    evals = pipeline_run.result.get_asset_check_evaluations()
    mats = pipeline_run.result.get_asset_materialization_events()
    assert len(evals) >= 200  # every dbt test arrived as a check evaluation
    # 10 marts incl. miner_source_coverage and seed_claims (issue 15)
    assert sum(e.asset_key.path[0] == "marts" for e in mats) == 10
    log = dbt_project.project_dir / dbt_project.target_path / "dbt.log"
    last = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-1]
    assert not last.startswith("{"), last[:200]
    assert "[debug]" in last


def test_marts_carry_a_preview_and_charts_as_metadata(pipeline_run):
    """Drawn from the build file once dbt has let go of it (defs/dbt.py)."""
    mats = {
        "/".join(e.asset_key.path): e.materialization.metadata
        for e in pipeline_run.result.get_asset_materialization_events()
    }
    marts = {k: v for k, v in mats.items() if k.startswith("marts/")}
    assert len(marts) == 10
    assert all("| " in m["preview"].value for m in marts.values())
    for mart, chart in (
        ("marts/per_mw_economics", "mining_vs_hpc_per_mw_year"),
        ("marts/hpc_revenue_share", "hpc_share_by_quarter"),
    ):
        markdown = marts[mart][chart].value
        encoded = markdown.split("data:image/png;base64,", 1)[1].rstrip(")")
        assert base64.b64decode(encoded).startswith(b"\x89PNG")


def test_default_settings_point_at_repo_warehouse():
    s = load_settings()
    assert s.published_db.name == "minerpivot.duckdb"
    assert s.build_db.name == "build.duckdb"
