"""The project's Dagster instance: dagster.yaml selects the pooled SQLite event log, which
stores what Dagster's own SQLite storage stores (same files, readable by it) with pooled
connections and synchronous=NORMAL."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from sqlalchemy import text

from dagster_project.instance import PooledSqliteEventLogStorage, write_dagster_yaml


@dg.asset(check_specs=[dg.AssetCheckSpec("positive", asset="tiny")])
def tiny() -> dg.MaterializeResult:
    return dg.MaterializeResult(
        metadata={"dagster/row_count": 3},
        check_results=[dg.AssetCheckResult(passed=True)],
    )


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A DAGSTER_HOME set up as the make targets set up theirs."""
    path = tmp_path / "home"
    write_dagster_yaml(path)
    return path


@pytest.fixture
def instance(home: Path) -> Iterator[dg.DagsterInstance]:
    inst = dg.DagsterInstance.from_config(str(home))
    try:
        yield inst
    finally:
        inst.dispose()


def _storage(instance: dg.DagsterInstance) -> PooledSqliteEventLogStorage:
    storage = instance.event_log_storage
    assert isinstance(storage, PooledSqliteEventLogStorage)
    return storage


def test_dagster_yaml_selects_the_pooled_storage(home: Path, instance: dg.DagsterInstance):
    text_ = write_dagster_yaml(home).read_text()
    assert "class: PooledSqliteEventLogStorage" in text_
    assert f"base_dir: {(home / 'history' / 'runs').resolve()}" in text_
    assert type(instance.event_log_storage) is PooledSqliteEventLogStorage


def test_runs_are_recorded_and_readable_by_dagsters_own_storage(
    home: Path, instance: dg.DagsterInstance
):
    result = dg.materialize([tiny], instance=instance)
    assert result.success
    storage = _storage(instance)
    # One engine per shard, reused for every event of the run (index + the run's shard).
    assert set(storage._engines) == {"index", result.run_id}
    with storage._connect(result.run_id) as conn:
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    materialization = instance.get_latest_materialization_event(dg.AssetKey("tiny"))
    assert materialization is not None
    assert materialization.asset_materialization.metadata["dagster/row_count"].value == 3
    check = instance.event_log_storage.get_latest_asset_check_execution_by_key(
        [dg.AssetCheckKey(dg.AssetKey("tiny"), "positive")]
    )
    assert check[dg.AssetCheckKey(dg.AssetKey("tiny"), "positive")].status.value == "SUCCEEDED"
    # The files are Dagster's usual ones: its own storage reads the same events.
    plain = SqliteEventLogStorage(str(home / "history" / "runs"))
    types = {e.dagster_event_type for e in plain.get_logs_for_run(result.run_id)}
    assert {"ASSET_MATERIALIZATION", "ASSET_CHECK_EVALUATION", "PIPELINE_SUCCESS"} <= {
        t.value for t in types if t
    }
    # And the run's shard holds every event (nothing left in a pool, nothing lost).
    shard = home / "history" / "runs" / f"{result.run_id}.db"
    with sqlite3.connect(shard) as raw:
        stored = raw.execute("select count(*) from event_logs").fetchone()[0]
    assert stored == len(plain.get_logs_for_run(result.run_id))


def test_wipe_closes_pooled_connections_before_deleting_shards(
    home: Path, instance: dg.DagsterInstance
):
    first = dg.materialize([tiny], instance=instance)
    storage = _storage(instance)
    assert first.run_id in storage._engines
    storage.wipe()
    # Only the index (emptied, not deleted) is open again after a wipe.
    assert set(storage._engines) <= {"index"}
    assert not (home / "history" / "runs" / f"{first.run_id}.db").exists()
    second = dg.materialize([tiny], instance=instance)
    assert second.success
    assert len(instance.event_log_storage.get_logs_for_run(second.run_id)) > 0


def test_old_shards_are_closed_beyond_the_cap(
    instance: dg.DagsterInstance, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr("dagster_project.instance.MAX_OPEN_SHARDS", 2)
    runs = [dg.materialize([tiny], instance=instance).run_id for _ in range(3)]
    storage = _storage(instance)
    assert len(storage._engines) == 2
    assert runs[-1] in storage._engines
    # An evicted shard is reopened on demand.
    assert len(storage.get_logs_for_run(runs[0])) > 0


def test_a_run_on_a_warm_instance_opens_no_new_engine(
    instance: dg.DagsterInstance, monkeypatch: pytest.MonkeyPatch
):
    """The point of the storage: no engine per statement (Dagster's own opens ~5 per event)."""
    import dagster._core.storage.event_log.sqlite.sqlite_event_log as dagster_sqlite

    import dagster_project.instance as ours

    dg.materialize([tiny], instance=instance)  # warm: index engine, tables known
    created: list[str] = []
    for module in (dagster_sqlite, ours):
        real = module.create_engine
        monkeypatch.setattr(
            module,
            "create_engine",
            lambda url, *a, _real=real, **k: created.append(str(url)) or _real(url, *a, **k),
        )
    result = dg.materialize([tiny], instance=instance)
    assert result.success
    # Only the new run's shard gets an engine; every event and check reuses pooled ones.
    assert created == [instance.event_log_storage.conn_string_for_shard(result.run_id)]


def test_a_forked_child_starts_without_the_parents_connections(instance: dg.DagsterInstance):
    dg.materialize([tiny], instance=instance)
    storage = _storage(instance)
    assert storage._engines
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: report how many engines it inherited, then leave at once
        os.write(write, str(len(storage._engines)).encode())
        os._exit(0)
    os.waitpid(pid, 0)
    assert os.read(read, 16) == b"0"
    assert storage._engines  # the parent keeps its own
