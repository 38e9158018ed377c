"""Freshness checks of the market feeds (age of the newest row) and their alerts."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from dagster_project.sources.freshness import FEED_CADENCE, Cadence, feed_freshness

TODAY = dt.datetime.now(dt.UTC).date()


def _warehouse(tmp_path: Path, ages: dict[str, int]) -> Path:
    db = tmp_path / "wh" / "minerpivot.duckdb"  # the published file
    db.parent.mkdir(parents=True)
    con = duckdb.connect(str(db))
    con.execute("create schema raw")
    for table, age in ages.items():
        con.execute(
            f"create table raw.{table} as select ?::date as date", [TODAY - dt.timedelta(age)]
        )
    con.close()
    return db


def test_verdict_allows_cadence_plus_slack_and_names_the_age(tmp_path: Path) -> None:
    db = _warehouse(tmp_path, {"btc_price_daily": 2, "network_difficulty": 18})
    assert feed_freshness(db, "btc_price_daily").fresh  # 1 d cadence + 1 d slack
    stale = feed_freshness(db, "network_difficulty")  # 14 d + 3 d
    assert not stale.fresh and stale.age_days == 18
    assert "STALE" in stale.describe() and "18 day(s) old (allowed 17)" in stale.describe()
    missing = feed_freshness(db, "tx_fees_daily")
    assert not missing.fresh and "no observation" in missing.describe()
    assert feed_freshness(db, "btc_price_daily", cadence=Cadence(1, 0, "strict")).fresh is False


def test_stale_feed_fails_its_check_and_alerts_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    ages = {table: 1 for table in FEED_CADENCE} | {"btc_price_daily": 5}
    db = _warehouse(tmp_path, ages)
    monkeypatch.setenv("MINERPIVOT_MODE", "live")
    monkeypatch.setenv("MINERPIVOT_WAREHOUSE_DIR", str(db.parent))
    monkeypatch.delenv("MINERPIVOT_ALERT_WEBHOOK_URL", raising=False)
    from dagster_project.definitions import build_definitions

    defs = build_definitions()
    instance = dg.DagsterInstance.ephemeral()
    job = defs.resolve_job_def("market_freshness_checks")
    result = job.execute_in_process(instance=instance)
    assert result.success
    verdicts = {e.asset_key.path[-1]: e for e in result.get_asset_check_evaluations()}
    assert set(verdicts) == set(FEED_CADENCE)
    assert [t for t, e in verdicts.items() if not e.passed] == ["btc_price_daily"]
    assert verdicts["btc_price_daily"].metadata["age_days"].value == 5
    assert "5 day(s) old (allowed 2)" in verdicts["btc_price_daily"].description

    sensor = defs.resolve_sensor_def("freshness_alerts")
    with caplog.at_level(logging.ERROR, logger="minerpivot.alerts"):
        context = dg.build_sensor_context(instance=instance)
        sensor(context)
        alerts = [r.getMessage() for r in caplog.records if r.name == "minerpivot.alerts"]
        assert len(alerts) == 1
        assert "ALERT [freshness] raw/btc_price_daily:fresh" in alerts[0]
        assert "5 day(s) old" in alerts[0]
        # the same evaluation is not alerted twice
        sensor(dg.build_sensor_context(instance=instance, cursor=context.cursor))
        assert len([r for r in caplog.records if r.name == "minerpivot.alerts"]) == 1
