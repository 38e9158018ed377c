"""The Dagster instance this project runs on: ``$DAGSTER_HOME/dagster.yaml`` and its event log.

Dagster's SQLite event log opens a new SQLAlchemy engine and SQLite connection for every
statement it runs and commits each one with a full fsync. One pipeline run stores ~930 events
(every dbt model, every dbt test as an asset check, and their planned events), about five
connections each: measured, that bookkeeping was the largest cost of a run after dbt itself
(docs/performance.md). ``PooledSqliteEventLogStorage`` is the same storage, same files and
schema, with one pooled engine per shard (also for the "does this table exist" question
Dagster asks before every asset check event) and ``synchronous=NORMAL``, which in SQLite's WAL
mode (the mode Dagster sets) keeps every committed event across a crash of the process and can lose
only the last transactions on a power failure or OS crash: an acceptable trade for run
history, not for the warehouse (DuckDB's own files are untouched by this).

It overrides the private ``_connect`` of dagster 1.13.27 (pinned in requirements.lock);
``tests/dagster_runtime/test_instance.py`` checks that the override still takes effect, so an
upgrade that renames it fails a test instead of silently slowing down.
"""

from __future__ import annotations

import os
import sys
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    INDEX_SHARD_NAME,
    SQLITE_BUSY_TIMEOUT_SECONDS,
    SqliteEventLogStorage,
)
from dagster._serdes import ConfigurableClassData
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, create_engine

# Engines kept open at once: the index shard and the most recently used run shards. A
# long-lived process (the webserver) touches many runs; older engines are disposed.
MAX_OPEN_SHARDS = 8


# A forked child must not share its parent's SQLite connections: one fork hook for every
# storage still alive (a weak set, so storages are not kept alive by the hook).
_OPEN_STORAGES: weakref.WeakSet[PooledSqliteEventLogStorage] = weakref.WeakSet()


def _forget_engines_after_fork() -> None:
    for storage in list(_OPEN_STORAGES):
        storage._drop_engines(close=False)


os.register_at_fork(after_in_child=_forget_engines_after_fork)


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """SQLite event log (run-sharded, like Dagster's default) with pooled connections."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None) -> None:
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._engines_lock = threading.Lock()
        self._tables_seen: set[str] = set()
        super().__init__(base_dir, inst_data=inst_data)
        _OPEN_STORAGES.add(self)

    @classmethod
    def from_config_value(  # type: ignore[override]
        cls, inst_data: ConfigurableClassData | None, config_value: Any
    ) -> PooledSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def _engine_for(self, shard: str) -> Engine:
        with self._engines_lock:
            engine = self._engines.get(shard)
            if engine is not None:
                self._engines.move_to_end(shard)
                return engine
            engine = create_engine(
                self.conn_string_for_shard(shard),
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
            )
            event.listen(engine, "connect", _tune_sqlite)
            self._engines[shard] = engine
            while len(self._engines) > MAX_OPEN_SHARDS:
                _, oldest = self._engines.popitem(last=False)
                oldest.dispose()
            return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:
            engine = self._engine_for(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def has_table(self, table_name: str) -> bool:
        # Asked before storing every asset check event (``supports_asset_checks``); Dagster's
        # version opens a new engine each time. Tables are never dropped once created, so a
        # table found once is remembered.
        if table_name in self._tables_seen:
            return True
        engine = self._engine_for(INDEX_SHARD_NAME)
        with engine.connect() as conn:
            found = bool(engine.dialect.has_table(conn, table_name))
        if found:
            self._tables_seen.add(table_name)
        return found

    def _drop_engines(self, *, close: bool) -> None:
        """Forget every pooled engine; ``close=False`` in a forked child, whose inherited
        connections belong to the parent and must not be closed from here."""
        with self._engines_lock:
            for engine in self._engines.values():
                engine.dispose(close=close)
            self._engines.clear()

    def wipe(self) -> None:
        # Shard files are unlinked: no pooled connection may keep writing to a deleted file.
        self._drop_engines(close=True)
        super().wipe()

    def dispose(self) -> None:
        self._drop_engines(close=True)
        super().dispose()


def dagster_yaml(home: Path) -> str:
    """``dagster.yaml`` for ``home``: telemetry off, the pooled event log at Dagster's default
    location (``history/runs``), so runs recorded before keep showing in the UI."""
    runs = (home / "history" / "runs").resolve()
    return (
        "# Written by `python -m dagster_project.instance` (make targets); edits are overwritten.\n"
        "telemetry:\n"
        "  enabled: false\n"
        "event_log_storage:\n"
        "  module: dagster_project.instance\n"
        "  class: PooledSqliteEventLogStorage\n"
        "  config:\n"
        f"    base_dir: {runs}\n"
    )


def write_dagster_yaml(home: Path) -> Path:
    """Create ``home`` and (re)write its ``dagster.yaml``."""
    home.mkdir(parents=True, exist_ok=True)
    target = home / "dagster.yaml"
    target.write_text(dagster_yaml(home))
    return target


if __name__ == "__main__":
    default = os.environ.get("DAGSTER_HOME") or ".dagster_home"
    print(write_dagster_yaml(Path(sys.argv[1] if len(sys.argv) > 1 else default)))
