"""Publish gates: a build that lost data (empty or truncated feed, shrinking mart, lost miner)
fails with a message naming the file and what is missing; the published file stays."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb

from dagster_project.publish_gates import check_build, gate_problems, snapshot

BTC = "market/btc_usd_daily_cccagg.csv"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _copy_published(pipeline_run, tmp_path: Path) -> tuple[Path, Path]:
    published = tmp_path / "published.duckdb"
    build = tmp_path / "build.duckdb"
    shutil.copyfile(pipeline_run.warehouse_dir / "minerpivot.duckdb", published)
    shutil.copyfile(pipeline_run.warehouse_dir / "minerpivot.duckdb", build)
    return build, published


def test_the_real_build_passes_its_gates(pipeline_run):
    db = pipeline_run.warehouse_dir / "minerpivot.duckdb"
    assert gate_problems(db, db) == []


def test_a_hole_in_the_btc_feed_is_named_with_the_missing_days(pipeline_run, tmp_path):
    build, published = _copy_published(pipeline_run, tmp_path)
    with duckdb.connect(str(build)) as con:
        con.execute(
            "delete from raw.btc_price_daily where date between '2024-04-01' and '2024-04-10'"
        )
    problems = gate_problems(build, published)
    assert any(
        "raw.btc_price_daily" in p
        and "btc_usd_daily_cccagg.csv" in p
        and "10 of the" in p
        and "2024-04-01..2024-04-10" in p
        for p in problems
    ), problems


def test_a_feed_cut_in_half_and_shrinking_marts_are_refused(pipeline_run, tmp_path):
    build, published = _copy_published(pipeline_run, tmp_path)
    with duckdb.connect(str(build)) as con:
        last = con.execute("select max(date) from raw.btc_price_daily").fetchone()[0]
        con.execute("delete from raw.btc_price_daily where date > '2023-06-30'")
        con.execute("delete from marts.hashprice_daily where day > '2023-06-30'")
    problems = gate_problems(build, published)
    text = "\n".join(problems)
    assert f"missing 2023-07-01..{last}" in text
    assert "marts.hashprice_daily would shrink" in text
    # A deliberate removal can be published with allow_shrink.
    assert gate_problems(build, published, allow_shrink=True) == []


def test_a_lost_miner_is_refused(pipeline_run, tmp_path):
    build, published = _copy_published(pipeline_run, tmp_path)
    with duckdb.connect(str(build)) as con:
        con.execute("delete from marts.per_mw_economics where ticker = 'IREN'")
    problems = gate_problems(build, published, max_shrink=0.5)
    assert problems == ["mart marts.per_mw_economics would lose ticker(s) IREN"]


def test_an_empty_feed_names_the_file_it_should_come_from(pipeline_run, tmp_path):
    build, _ = _copy_published(pipeline_run, tmp_path)
    with duckdb.connect(str(build)) as con:
        con.execute("delete from raw.btc_price_daily")
        snap = snapshot(con)
        problems = check_build(
            snap, None, build_con=con, expected_feed_files={"btc_price_daily": "/x/" + BTC}
        )
    assert problems[0] == (
        "feed raw.btc_price_daily is empty: /x/market/btc_usd_daily_cccagg.csv gave no valid row"
    )


def test_header_only_btc_file_fails_the_run_and_keeps_the_published_file(
    tmp_path, snapshot_dir, pipeline_run, pipeline_runner
):
    warehouse = tmp_path / "wh"
    warehouse.mkdir()
    published = warehouse / "minerpivot.duckdb"
    shutil.copyfile(pipeline_run.warehouse_dir / "minerpivot.duckdb", published)
    before = _digest(published)
    snap = tmp_path / "snapshot"
    shutil.copytree(snapshot_dir / "market", snap / "market")
    path = snap / BTC
    path.write_text(path.read_text().splitlines()[0] + "\n")
    run = pipeline_runner(warehouse, snap)
    assert not run.result.success
    failures = [e for e in run.result.all_events if e.event_type_value == "STEP_FAILURE"]
    messages = [e.step_failure_data.error.message for e in failures]
    assert any(
        "publish gate: feed raw.btc_price_daily is empty" in m and str(path) in m for m in messages
    ), messages
    assert _digest(published) == before
