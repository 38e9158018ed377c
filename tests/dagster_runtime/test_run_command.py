"""``python -m dagster_project.run`` (what ``make run`` calls) records a build_warehouse run in
$DAGSTER_HOME, reports failure through its exit code, and rejects an empty selection."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb

from dagster_project.instance import write_dagster_yaml
from dagster_project.settings import REPO_ROOT


def _run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    home = tmp_path / "home"
    write_dagster_yaml(home)
    environ = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "MINERPIVOT_WAREHOUSE_DIR": str(tmp_path / "warehouse"),
        "MINERPIVOT_BUILD_DB": str(tmp_path / "warehouse" / "build.duckdb"),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "dagster_project.run", *args],
        cwd=REPO_ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_selected_run_is_recorded_in_the_instance(tmp_path: Path):
    done = _run(tmp_path, "--select", 'key:"raw/miners"')
    assert done.returncode == 0, done.stderr[-2000:]
    run_id = done.stdout.strip().splitlines()[-1].split()[1].rstrip(":")
    instance = dg.DagsterInstance.from_config(str(tmp_path / "home"))
    try:
        run = instance.get_run_by_id(run_id)
        assert run is not None
        assert run.job_name == "build_warehouse"
        assert run.status == dg.DagsterRunStatus.SUCCESS
        assert instance.get_latest_materialization_event(dg.AssetKey(["raw", "miners"]))
    finally:
        instance.dispose()
    with duckdb.connect(str(tmp_path / "warehouse" / "build.duckdb"), read_only=True) as con:
        assert con.sql("select count(*) from raw.miners").fetchall()[0][0] == 13


def test_failed_run_exits_non_zero(tmp_path: Path):
    done = _run(
        tmp_path,
        "--select",
        'key:"raw/btc_price_daily"',
        MINERPIVOT_SNAPSHOT_DIR=str(tmp_path / "no-snapshot-here"),
    )
    assert done.returncode == 1
    assert "FAILED" in done.stdout
    assert "no-snapshot-here" in done.stdout + done.stderr


def test_selection_matching_nothing_is_an_error(tmp_path: Path):
    done = _run(tmp_path, "--select", 'key:"raw/nothing_like_this"')
    assert done.returncode == 2
    assert "matches no asset" in done.stderr


def test_live_partition_from_the_command_line(tmp_path: Path, httpserver, histoday):
    """``--partition`` runs one day of the partitioned live job (API served locally)."""
    days = [dt.date(2024, 4, 19), dt.date(2024, 4, 20)]
    httpserver.expect_request("/data/v2/histoday").respond_with_json(histoday(days))
    done = _run(
        tmp_path,
        "--select",
        'key:"raw/btc_price_daily"',
        "--partition",
        "2024-04-20",
        MINERPIVOT_MODE="live",
        MINERPIVOT_RAW_DIR=str(tmp_path / "raw"),
        MINERPIVOT_ENDPOINT_CRYPTOCOMPARE=httpserver.url_for("").rstrip("/"),
    )
    assert done.returncode == 0, done.stderr[-2000:]
    with duckdb.connect(str(tmp_path / "warehouse" / "build.duckdb"), read_only=True) as con:
        rows = con.sql("select date, source from raw.btc_price_daily").fetchall()
    assert rows == [(dt.date(2024, 4, 20), "cryptocompare:histoday")]
