"""Live mode: daily partitions fetched from a locally served API, landed, and idempotent."""

from __future__ import annotations

import datetime as dt
import json

import dagster as dg
import duckdb
from pytest_httpserver import HTTPServer

from dagster_project.defs.market import build_market_assets, daily_partitions
from dagster_project.defs.resources import PipelineSettings


def test_daily_partition_is_fetched_landed_and_replaced_not_duplicated(
    tmp_path, httpserver: HTTPServer, monkeypatch, histoday
):
    monkeypatch.setenv("MINERPIVOT_ENDPOINT_CRYPTOCOMPARE", httpserver.url_for("").rstrip("/"))
    days = [dt.date(2024, 4, 18), dt.date(2024, 4, 19), dt.date(2024, 4, 20)]
    httpserver.expect_request("/data/v2/histoday").respond_with_json(histoday(days))
    btc = next(a for a in build_market_assets(live=True) if a.key.path[-1] == "btc_price_daily")
    assert btc.partitions_def == daily_partitions
    settings = PipelineSettings(
        mode="live", warehouse_dir=str(tmp_path / "wh"), raw_dir=str(tmp_path / "raw")
    )
    for _ in range(2):  # the same partition twice: replaced, never duplicated
        result = dg.materialize([btc], resources={"pipeline": settings}, partition_key="2024-04-19")
        assert result.success
    with duckdb.connect(str(tmp_path / "wh" / "build.duckdb"), read_only=True) as con:
        rows = con.execute("select date, close, source from raw.btc_price_daily").fetchall()
    assert rows == [(dt.date(2024, 4, 19), 60_200.0, "cryptocompare:histoday")]
    landed = sorted((tmp_path / "raw" / "landing").rglob("*.body"))
    assert len(landed) == 2  # every fetch kept, unchanged, nothing overwritten
    assert json.loads(landed[0].read_bytes())["Response"] == "Success"


def test_live_definitions_partition_the_feeds_and_schedule_yesterday(monkeypatch):
    monkeypatch.setenv("MINERPIVOT_MODE", "live")
    from dagster_project.definitions import build_definitions

    defs = build_definitions()
    job = defs.resolve_job_def("build_warehouse")
    assert job.partitions_def == daily_partitions
    schedule = defs.resolve_schedule_def("nightly_build")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "UTC"
