"""Whole-pipeline runs on corrupted copies of the real inputs (tests/reliability/corpus.py).

The issue's cases: one duplicated line in miners.csv removed a miner from three marts (rows
80→72, 793→732, 78→72) in a green run, and one duplicated BTC day removed the day. Exact
duplicates are now collapsed, so the marts are byte-identical to the clean build's; a
conflicting duplicate fails the reference asset naming both rows.
"""

from __future__ import annotations

import dagster as dg
import duckdb
import pytest

from dagster_project.defs.reference import build_reference_assets
from dagster_project.defs.resources import PipelineSettings
from tests.reliability import corpus as c
from tests.reliability.test_determinism import table_hashes


@pytest.mark.slow
def test_duplicated_miner_and_btc_day_leave_every_mart_unchanged(
    pipeline_run, pipeline_runner, snapshot_dir, tmp_path, monkeypatch
):
    inputs = c.copy_inputs(tmp_path, snapshot_dir)
    miner_copy = c.duplicate_line(inputs.raw_dir / c.MINERS, 2)
    btc_copy = c.duplicate_line(inputs.snapshot_dir / c.BTC, 500)
    monkeypatch.setenv("MINERPIVOT_RAW_DIR", str(inputs.raw_dir))
    run = pipeline_runner(tmp_path / "wh", inputs.snapshot_dir)
    assert run.result.success

    published = run.settings.settings().published_db
    clean = pipeline_run.settings.settings().published_db
    assert table_hashes(published) == table_hashes(clean)
    with duckdb.connect(str(published), read_only=True) as con:
        counts = {
            t: con.execute(f"select count(*) from marts.{t}").fetchone()[0]
            for t in ("miner_power_capacity", "per_mw_economics", "mining_vs_hpc_scenarios")
        }
        notices = con.execute(
            'select dataset, "row", reason from raw.quarantine '
            "where \"check\" = 'exact_duplicate' order by dataset"
        ).fetchall()
    assert counts == {
        "miner_power_capacity": 84,  # 80 before the dated site/capacity rows of issue 15 round 2
        "per_mw_economics": 793,
        "mining_vs_hpc_scenarios": 78,
    }
    assert [(d, r) for d, r, _ in notices] == [
        ("btc_price_daily", btc_copy),
        ("miners", miner_copy),
    ]
    assert str(inputs.raw_dir / c.MINERS) in notices[1][2]


def test_conflicting_miner_rows_fail_the_reference_asset_naming_both(tmp_path, snapshot_dir):
    inputs = c.copy_inputs(tmp_path, snapshot_dir)
    path = inputs.raw_dir / c.MINERS
    copy = c.duplicate_line(path, 4, change={"sec_cik": "0000000001"})
    miners = [a for a in build_reference_assets() if dg.AssetKey(["raw", "miners"]) in a.keys]
    result = dg.materialize(
        miners,
        resources={
            "pipeline": PipelineSettings(
                raw_dir=str(inputs.raw_dir), warehouse_dir=str(tmp_path / "wh")
            )
        },
        raise_on_error=False,
    )
    assert not result.success
    error = result.get_step_failure_events()[0].step_failure_data.error.cause
    assert error.cls_name == "DuplicateKeyError"
    ticker = c.cell(path, 4, "ticker")
    assert f"rows 4 and {copy} share key ticker={ticker!r} but differ in sec_cik" in error.message
    assert str(path) in error.message
