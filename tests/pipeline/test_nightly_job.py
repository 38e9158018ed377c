"""The nightly job: what it builds, and that its incremental ingest gives the raw tables a full
read gives.

The nightly schedule runs the ``nightly`` job: the six market feeds and only what is downstream
of them (their dbt models and tests, publish); reference, filings and press assets are left to
``build_warehouse`` (``make run``, the weekly schedule). Offline, the nightly job's feeds read
only the snapshot rows dated from the last loaded day minus a week. On the real snapshot, cut
at 2024-06-30 then grown back to its full length (the way a snapshot grows: lines appended), the
incremental load must leave every raw feed and the quarantine exactly as a full read of the
grown files does, including a bad row quarantined before the cut and bad rows among the new
days (a bad value, an unreadable date).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster_dbt import DbtCliResource

from dagster_project.dbt_project import dbt_executable, dbt_project
from dagster_project.definitions import (
    LIVE_NIGHTLY_SELECTION,
    NIGHTLY_SELECTION,
    build_definitions,
    defs,
    nightly_config,
)
from dagster_project.defs.resources import PipelineSettings
from dagster_project.sources.market_feeds import FEEDS

CUT = dt.date(2024, 6, 30)
BTC_FILE = "market/btc_usd_daily_cccagg.csv"
#: A bad row already in the file before the cut (quarantined by the first, full load).
OLD_BAD = "2019-01-01,1546300800,3700,3800,3600,-1,1000\n"
#: Bad rows among the new days: a negative close, an unreadable date.
NEW_BAD = "2026-01-17,1768608000,95521.19,95900,95100,-2,1000\n2026-13-45,0,1,1,1,1,1\n"


def _keys(selection: dg.AssetSelection) -> set[str]:
    return {k.to_user_string() for k in selection.resolve(defs.resolve_asset_graph())}


def test_nightly_job_builds_the_feeds_and_only_what_is_downstream_of_them():
    keys = _keys(NIGHTLY_SELECTION)
    assert {f"raw/{f.table}" for f in FEEDS} <= keys
    assert {
        "staging/stg_market__btc_price_daily",
        "intermediate/int_network_daily",
        "marts/btc_price_daily",
        "marts/hashprice_daily",
        "marts/miner_equities_daily",
        "marts/per_mw_economics",  # reads the monthly hashprice
        "warehouse/published",
    } <= keys
    # Curated, filings and press assets (and the models only they feed) are not rebuilt.
    for absent in (
        "raw/miners",
        "raw/sites",
        "raw/reported_segment_revenue",
        "raw/press_documents",
        "raw/press_facts",
        "staging/stg_reference__sites",
        "marts/hpc_contracts",
        "marts/miner_power_capacity",
        "marts/hpc_revenue_share",
    ):
        assert absent not in keys, absent
    everything = _keys(dg.AssetSelection.all())
    assert len(keys) < len(everything) / 2, (len(keys), len(everything))
    graph = defs.resolve_asset_graph()
    checks = NIGHTLY_SELECTION.resolve_checks(graph)
    assert 0 < len(checks) < len(dg.AssetSelection.all().resolve_checks(graph)) / 2


def test_nightly_schedule_runs_the_nightly_job_and_a_weekly_one_everything():
    for d in (defs, build_definitions(PipelineSettings(mode="live"))):
        nightly = d.resolve_schedule_def("nightly_build")
        weekly = d.resolve_schedule_def("weekly_full_build")
        assert nightly.job_name == "nightly"
        assert weekly.job_name == "build_warehouse"
        assert nightly.default_status == dg.DefaultScheduleStatus.RUNNING
        assert weekly.default_status == dg.DefaultScheduleStatus.RUNNING
    assert defs.resolve_job_def("nightly").executor_def.name == "in_process"
    # live, the nightly job also crawls SEC EDGAR (its freshness check expects a daily crawl)
    live = build_definitions(PipelineSettings(mode="live"))
    live_keys = {
        k.to_user_string() for k in LIVE_NIGHTLY_SELECTION.resolve(live.resolve_asset_graph())
    }
    assert {"raw/sec_filings", "raw/btc_price_daily", "warehouse/published"} <= live_keys
    assert "raw/sites" not in live_keys and "raw/miners" not in live_keys
    config = nightly_config(list(defs.assets))["ops"]
    assert config["raw__miner_equities_daily"]["config"]["only_new_days"]
    patched = config["warehouse__published"]["config"]["patch_tables"]
    assert patched["marts.miner_equities_daily"] == "trade_date"  # incremental: by its day
    assert patched["raw.btc_price_daily"] == "date"
    assert patched["marts.per_mw_economics"] == ""  # rebuilt whole every run
    assert "marts.hpc_contracts" not in patched and "raw.press_facts" not in patched


def _grow(source: Path, dest: Path, *, grown: bool) -> None:
    """Copy the market files as they were at the cut (their lines dated up to CUT, in file
    order), or grown: the same lines followed by the later ones, as a snapshot grows. The BTC
    file gets a bad row before the cut and, grown, two bad rows among the new days."""
    (dest / "market").mkdir(parents=True, exist_ok=True)
    for path in sorted((source / "market").glob("*.csv")):
        header, *lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        date_col = header.rstrip("\n").split(",").index("date")
        old = [ln for ln in lines if dt.date.fromisoformat(ln.split(",")[date_col]) <= CUT]
        new = [ln for ln in lines if dt.date.fromisoformat(ln.split(",")[date_col]) > CUT]
        if path.name == Path(BTC_FILE).name:
            old, new = [*old, OLD_BAD], [*new, NEW_BAD]
        text = header + "".join(old) + ("".join(new) if grown else "")
        (dest / "market" / path.name).write_text(text, encoding="utf-8")


def _ingest(snapshot: Path, warehouse: Path, *, only_new_days: bool) -> dg.ExecuteInProcessResult:
    settings = PipelineSettings(
        mode="offline", snapshot_dir=str(snapshot), warehouse_dir=str(warehouse)
    )
    result = dg.materialize(
        list(build_definitions(settings).assets),  # type: ignore[arg-type]
        selection=dg.AssetSelection.groups("market"),
        resources={
            "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable()),
            "pipeline": settings,
        },
        run_config={"ops": {f"raw__{f.table}": {"config": {"only_new_days": True}} for f in FEEDS}}
        if only_new_days
        else None,
    )
    assert result.success
    return result


def _table(db: Path, sql: str) -> tuple[int, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        count, digest = con.execute(
            f"select count(*), coalesce(sum(hash(t)::hugeint), 0) from ({sql}) as t"
        ).fetchall()[0]
    return int(count), int(digest)


def test_incremental_ingest_equals_a_full_read_of_the_grown_files(tmp_path, snapshot_dir):
    # 1. the snapshot as it was at the cut, loaded whole (the first run of any job)
    snap = tmp_path / "snapshot"
    _grow(snapshot_dir, snap, grown=False)
    nightly_wh = tmp_path / "nightly"
    _ingest(snap, nightly_wh, only_new_days=False)
    # 2. the files grow to the full snapshot; the nightly job's ingest reads the new days only
    shutil.rmtree(snap)
    _grow(snapshot_dir, snap, grown=True)
    result = _ingest(snap, nightly_wh, only_new_days=True)
    # 3. a full read of the grown files, in another build
    full_wh = tmp_path / "full"
    _ingest(snap, full_wh, only_new_days=False)

    loaded = {
        m.asset_key.path[-1]: m.metadata["rows_loaded"].value
        for m in result.asset_materializations_for_node("raw__btc_price_daily")
    }
    total = _table(full_wh / "build.duckdb", "select * from raw.btc_price_daily")[0]
    assert 0 < loaded["btc_price_daily"] < total / 2, (loaded, total)  # only the new days read

    nightly_db, full_db = nightly_wh / "build.duckdb", full_wh / "build.duckdb"
    for feed in FEEDS:
        sql = f"select * from raw.{feed.table}"
        assert _table(nightly_db, sql) == _table(full_db, sql), feed.table
    quarantine = 'select dataset, file, "row", "column", "check", value, reason from raw.quarantine'
    assert _table(nightly_db, quarantine) == _table(full_db, quarantine)
    with duckdb.connect(str(nightly_db), read_only=True) as con:
        reasons = [
            r[0]
            for r in con.execute(
                "select reason from raw.quarantine where dataset = 'btc_price_daily' order by row"
            ).fetchall()
        ]
    assert any("'close'" in r and "-1" in r for r in reasons), reasons  # kept from before
    assert any("'close'" in r and "-2" in r for r in reasons), reasons  # a new bad value
    assert any("2026-13-45" in r for r in reasons), reasons  # a new unreadable date


def _all_tables(db: Path) -> dict[str, tuple[int, int]]:
    """Row count and order-free hash of every table (``loaded_at``, the load time, left out)."""
    with duckdb.connect(str(db), read_only=True) as con:
        columns: dict[str, list[str]] = {}
        for schema, table, column in con.execute(
            "select c.schema_name, c.table_name, c.column_name from duckdb_columns() as c "
            "join duckdb_tables() as t using (schema_name, table_name) "
            "where c.column_name != 'loaded_at' "
            "order by c.schema_name, c.table_name, c.column_index"
        ).fetchall():
            columns.setdefault(f"{schema}.{table}", []).append(f'"{column}"')
    return {
        table: _table(db, f"select {', '.join(cols)} from {table}")
        for table, cols in columns.items()
    }


@pytest.mark.slow
def test_nightly_job_publishes_the_tables_a_full_build_publishes(tmp_path, snapshot_dir):
    """Whole runs: build_warehouse on the snapshot at the cut, then the nightly job (new days
    only, patched publish) on the grown files, against build_warehouse on the grown files in a
    fresh warehouse: every table of the two published files is the same."""
    snap = tmp_path / "snapshot"
    _grow(snapshot_dir, snap, grown=False)

    def run(job: str, warehouse: Path, instance: dg.DagsterInstance) -> dg.ExecuteInProcessResult:
        settings = PipelineSettings(
            mode="offline", snapshot_dir=str(snap), warehouse_dir=str(warehouse)
        )
        result = (
            build_definitions(settings)
            .resolve_job_def(job)
            .execute_in_process(instance=instance, raise_on_error=False)
        )
        assert result.success, job
        return result

    nightly_wh, full_wh = tmp_path / "nightly", tmp_path / "full"
    with dg.instance_for_test() as instance, dg.instance_for_test() as other:
        first = run("build_warehouse", nightly_wh, instance)
        shutil.rmtree(snap)
        _grow(snapshot_dir, snap, grown=True)
        nightly = run("nightly", nightly_wh, instance)
        nightly_tables = _all_tables(nightly_wh / "minerpivot.duckdb")  # the patched file
        run("build_warehouse", full_wh, other)
        # A full build that was not published since (say its publish gate failed): the next
        # nightly publish writes a full copy instead of patching.
        instance.report_runless_asset_event(dg.AssetMaterialization(["marts", "hpc_contracts"]))
        after_full = run("nightly", nightly_wh, instance)
    (mode,) = after_full.asset_materializations_for_node("warehouse__published")
    assert mode.metadata["publish_mode"].value == "full compact copy"

    (published,) = nightly.asset_materializations_for_node("warehouse__published")
    assert published.metadata["publish_mode"].value.startswith("patched copy")
    built = {
        m.asset_key.to_user_string()
        for node in ("minerpivot_dbt_assets", "raw__btc_price_daily")
        for m in nightly.asset_materializations_for_node(node)
    }
    assert "marts/btc_price_daily" in built and "marts/hpc_contracts" not in built

    # dbt's unit tests (fixed inputs, not the night's data) run in full builds, not nightly
    assert "unit_test" in _dbt_node_kinds(first.run_id)
    assert _dbt_node_kinds(nightly.run_id) == {"model", "test"}

    full_tables = _all_tables(full_wh / "minerpivot.duckdb")
    assert nightly_tables.keys() == full_tables.keys()
    different = [t for t in full_tables if nightly_tables[t] != full_tables[t]]
    assert different == [], different
    assert nightly_tables["marts.btc_price_daily"][0] > 0
    assert len(full_tables) > 40, sorted(full_tables)  # raw, staging, intermediate, marts


def _dbt_node_kinds(run_id: str) -> set[str]:
    """Kinds of the dbt nodes (model, test, unit_test, seed) the run's dbt build executed,
    from the run_results.json of its dbt invocation (dagster-dbt's per-run target folder)."""
    target = dbt_project.project_dir / dbt_project.target_path
    (results,) = target.glob(f"minerpivot_dbt_assets-{run_id[:7]}-*/run_results.json")
    return {r["unique_id"].split(".")[0] for r in json.loads(results.read_text())["results"]}


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _key_test(build_db: Path, target: Path, window_days: str | None) -> int:
    """Run the (ticker, trade_date) key test of marts.miner_equities_daily; dbt's exit code."""
    import os
    import subprocess

    from dagster_project.dbt_project import DBT_DIR

    env = {**os.environ, "MINERPIVOT_BUILD_DB": str(build_db), "DBT_TARGET_PATH": str(target)}
    env.pop("MINERPIVOT_DBT_TEST_WINDOW_DAYS", None)
    if window_days:
        env["MINERPIVOT_DBT_TEST_WINDOW_DAYS"] = window_days
    select = "unique_combination_miner_equities_daily_ticker__trade_date"
    return subprocess.run(
        [dbt_executable(), "test", "--select", select, "--profiles-dir", "."],
        cwd=DBT_DIR,
        env=env,
        capture_output=True,
    ).returncode


@pytest.mark.slow
def test_nightly_key_tests_read_the_recent_days_and_full_builds_every_row(tmp_path, pipeline_run):
    """A duplicate key among old days fails the full build's test, not the nightly one (those
    days cannot have changed); a duplicate among the recent days fails both."""
    build = tmp_path / "build.duckdb"
    shutil.copyfile(pipeline_run.settings.settings().build_db, build)
    target = tmp_path / "target"

    def duplicate(day: str) -> None:
        with duckdb.connect(str(build)) as con:
            con.execute(
                "insert into marts.miner_equities_daily select * from marts.miner_equities_daily "
                f"where trade_date = ({day}) limit 1"
            )

    assert _key_test(build, target, None) == 0
    duplicate("select min(trade_date) from marts.miner_equities_daily")
    assert _key_test(build, target, None) != 0  # full build: every row
    assert _key_test(build, target, "93") == 0  # nightly: the last 93 days only
    duplicate("select max(trade_date) from marts.miner_equities_daily")
    assert _key_test(build, target, "93") != 0
