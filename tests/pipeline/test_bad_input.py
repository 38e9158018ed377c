"""Bad input: row problems are quarantined (or fail the run) naming file, row and column;
whole-file problems fail clearly; a failed run leaves the published warehouse as it was."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from dagster_project.defs.market import build_market_assets
from dagster_project.defs.resources import PipelineSettings
from dagster_project.schemas.validation import FileFormatError
from dagster_project.settings import Settings, SettingsError, load_settings

BTC = "market/btc_usd_daily_cccagg.csv"


def _snapshot_with(tmp: Path, real: Path, edit) -> Path:
    """A copy of the real snapshot where ``edit(lines)`` rewrote the BTC file's lines."""
    snap = tmp / "snapshot"
    shutil.copytree(real / "market", snap / "market")
    path = snap / BTC
    lines = path.read_text().splitlines()
    path.write_text("\n".join(edit(lines)) + "\n")
    return snap


def _break_rows(lines: list[str]) -> list[str]:
    # line 3 (2020-07-13): negative close; line 5: high below low; line 7: unparseable open
    out = list(lines)
    f = out[2].split(",")
    f[5] = "-9237.89"
    out[2] = ",".join(f)
    f = out[4].split(",")
    f[3] = "1.0"
    out[4] = ",".join(f)
    f = out[6].split(",")
    f[2] = "n/a"
    out[6] = ",".join(f)
    return out


def _failure_text(result: dg.ExecuteInProcessResult) -> str:
    """The step failure's message and class names, causes included."""
    error = result.get_step_failure_events()[0].step_failure_data.error
    parts = []
    while error is not None:
        parts.append(f"{error.cls_name}: {error.message}")
        error = error.cause
    return "\n".join(parts)


def _btc_asset() -> dg.AssetsDefinition:
    return next(a for a in build_market_assets(live=False) if a.key.path[-1] == "btc_price_daily")


def test_bad_rows_are_quarantined_with_file_row_column(tmp_path, snapshot_dir):
    snap = _snapshot_with(tmp_path, snapshot_dir, _break_rows)
    settings = PipelineSettings(snapshot_dir=str(snap), warehouse_dir=str(tmp_path / "wh"))
    result = dg.materialize([_btc_asset()], resources={"pipeline": settings})
    assert result.success
    check = result.get_asset_check_evaluations()[0]
    assert not check.passed and check.metadata["quarantined_rows"].value == 3
    with duckdb.connect(str(tmp_path / "wh" / "build.duckdb"), read_only=True) as con:
        rows = con.execute(
            'select file, "row", "column", reason from raw.quarantine order by "row"'
        ).fetchall()
        loaded = con.execute("select count(*) from raw.btc_price_daily").fetchone()[0]
    assert loaded == 2015 - 3
    assert (BTC, 3, "close") in [(r[0], r[1], r[2]) for r in rows]
    assert {r[1] for r in rows} == {3, 5, 7}
    assert any(r[2] == "open" and "'n/a'" in r[3] for r in rows)
    assert all(BTC in r[3] and f"row {r[1]}" in r[3] for r in rows)


def test_fail_on_bad_rows_names_file_row_and_column(tmp_path, snapshot_dir):
    snap = _snapshot_with(tmp_path, snapshot_dir, _break_rows)
    settings = PipelineSettings(snapshot_dir=str(snap), warehouse_dir=str(tmp_path / "wh"))
    result = dg.materialize(
        [_btc_asset()],
        resources={"pipeline": settings},
        run_config={"ops": {"raw__btc_price_daily": {"config": {"fail_on_bad_rows": True}}}},
        raise_on_error=False,
    )
    assert not result.success
    message = _failure_text(result)
    assert f"{BTC} row 3 column 'close'" in message
    assert f"{BTC} row 7 column 'open'" in message


def test_renamed_header_fails_naming_file_and_column(tmp_path, snapshot_dir):
    snap = _snapshot_with(
        tmp_path, snapshot_dir, lambda ls: [ls[0].replace("close", "closing"), *ls[1:]]
    )
    settings = PipelineSettings(snapshot_dir=str(snap), warehouse_dir=str(tmp_path / "wh"))
    result = dg.materialize([_btc_asset()], resources={"pipeline": settings}, raise_on_error=False)
    assert not result.success
    text = _failure_text(result)
    assert "FileFormatError" in text
    assert f"{BTC}: missing column(s) 'close'" in text


def test_missing_snapshot_dir_and_file_are_named(tmp_path):
    base = load_settings()
    missing = Settings(**{**base.__dict__, "snapshot_dir": tmp_path / "nope"})
    with pytest.raises(SettingsError, match=str(tmp_path / "nope")):
        missing.snapshot_file(BTC)
    (tmp_path / "market").mkdir()
    empty = Settings(**{**base.__dict__, "snapshot_dir": tmp_path})
    with pytest.raises(SettingsError, match="btc_usd_daily_cccagg.csv is missing"):
        empty.snapshot_file(BTC)


def test_file_format_error_type_is_raised_by_reader(tmp_path):
    import polars as pl

    from dagster_project.sources.csv_reader import read_typed_csv

    path = tmp_path / "x.csv"
    path.write_text("date,price\n2024-01-01,1\n")
    with pytest.raises(FileFormatError, match=r"x\.csv: missing column\(s\) 'close'"):
        read_typed_csv(path, {"date": pl.Date(), "close": pl.Float64()}, dataset="x")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_failed_run_leaves_published_warehouse_as_it_was(
    tmp_path, snapshot_dir, pipeline_run, pipeline_runner
):
    warehouse = tmp_path / "wh"
    warehouse.mkdir()
    published = warehouse / "minerpivot.duckdb"
    shutil.copyfile(pipeline_run.warehouse_dir / "minerpivot.duckdb", published)
    before = _digest(published)
    snap = _snapshot_with(tmp_path, snapshot_dir, _break_rows)
    shutil.copytree(snapshot_dir / "facts", snap / "facts")
    run = pipeline_runner(
        warehouse,
        snap,
        run_config={"ops": {"raw__btc_price_daily": {"config": {"fail_on_bad_rows": True}}}},
    )
    assert not run.result.success
    assert _digest(published) == before
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("select count(*) from marts.btc_price_daily").fetchone()[0] == 2015


def test_ragged_row_is_named_by_line(tmp_path):
    import polars as pl

    from dagster_project.sources.csv_reader import read_typed_csv

    path = tmp_path / "sites.csv"
    path.write_text('site,mw,note\n"A",10,ok\nB,20,approved, not energized\n')
    with pytest.raises(
        FileFormatError, match=r"sites\.csv: not a readable CSV: row 3 has 4 fields"
    ):
        read_typed_csv(path, {"site": pl.Utf8(), "mw": pl.Float64()}, dataset="sites")
