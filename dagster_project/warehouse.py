"""The build warehouse (one writer) and its atomic publication for analysts.

The pipeline writes only ``build.duckdb``. After a good run :func:`publish` writes a fresh,
compact DuckDB file beside ``minerpivot.duckdb`` (``COPY FROM DATABASE``: only live rows, none of
the pages the build freed), checks it opens and holds the marts, then renames it over the
published file with :func:`os.replace` (atomic on POSIX). Readers that hold
the old file keep reading the old inode; new readers see the new file; nobody meets a lock,
because the writer never opens the published file.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

SCHEMAS = ("raw", "staging", "intermediate", "marts")
PUBLISH_MEMORY_LIMIT = "512MB"
#: A patched (nightly) publish re-copies a dated table's rows from this many days before the
#: published table's last day on; older rows are taken as unchanged by a nightly run (its
#: feeds and incremental models rewrite at most the last ~5 weeks: docs/performance.md).
PATCH_DAYS = 93


@contextmanager
def connect(path: Path, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open a DuckDB file and always close it (dbt needs the lock right after)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    try:
        yield con
    finally:
        con.close()


def table_exists(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """True when ``schema.table`` exists in the connected database."""
    schema, name = _split_table_name(table)
    # fetchall, not fetchone: an unfinished result would block the connection's next query
    rows = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchall()
    return bool(rows[0][0])


_TABLE_NAME = re.compile(r"^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$")


def _split_table_name(table: str) -> tuple[str, str]:
    if not _TABLE_NAME.match(table):
        raise ValueError(f"table must look like 'schema.name' (lowercase), got {table!r}")
    schema, name = table.split(".")
    return schema, name


def _arrow(df: pl.DataFrame) -> object:
    """``df`` as Arrow for DuckDB to scan, keeping Polars' string views: the default (oldest)
    level copies every string column into classic Arrow strings (+450 MiB for the 100x
    equities, 5.8 M rows)."""
    return df.to_arrow(compat_level=pl.CompatLevel.newest())


@contextmanager
def _transaction_with(
    con: duckdb.DuckDBPyConnection, name: str, df: pl.DataFrame
) -> Iterator[None]:
    """``df`` visible as view ``name`` inside one transaction (rolled back on any error)."""
    con.register(name, _arrow(df))
    try:
        with _transaction(con):
            yield
    finally:
        con.unregister(name)


def load_frames(
    con: duckdb.DuckDBPyConnection,
    schema: str,
    table: str,
    frames: Iterable[pl.DataFrame],
    *,
    date_column: str = "date",
    window: tuple[dt.date, dt.date] | None = None,
) -> int:
    """Write ``frames`` to ``schema.table`` and return the rows written: the table is replaced
    by them, or, with ``window``, only its dates in ``[start, end]`` are (delete then insert, so
    re-loading a partition never duplicates it). Readers see the old table or the new one.

    The frames are scanned one at a time and may come from a generator, so a caller that
    validates a feed block by block never holds all of its rows (the 100x equities feed). A
    whole replacement is written to ``_loading_<table>`` frame by frame, each committed
    (DuckDB holds a transaction's new rows in memory until it commits: +200 MiB at 100x),
    then swapped in by one transaction; a window is small and goes in one transaction.
    """
    con.execute(f'create schema if not exists "{schema}"')
    target = f'"{schema}"."{table}"'
    if window is None:
        loading = f'"{schema}"."_loading_{table}"'
        con.execute(f"drop table if exists {loading}")
        try:
            rows = _write_frames(con, loading, frames, create=True)
            with _transaction(con):
                con.execute(f"drop table if exists {target}")
                con.execute(f'alter table {loading} rename to "{table}"')
        except BaseException:
            con.execute(f"drop table if exists {loading}")
            raise
        return rows
    with _transaction(con):
        exists = table_exists(con, f"{schema}.{table}")
        if exists:
            con.execute(f'delete from {target} where "{date_column}" between ? and ?', list(window))
        return _write_frames(con, target, frames, create=not exists)


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    con.execute("begin transaction")
    try:
        yield
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def _write_frames(
    con: duckdb.DuckDBPyConnection, target: str, frames: Iterable[pl.DataFrame], *, create: bool
) -> int:
    """Insert each frame into ``target`` (the first one creates it when ``create``)."""
    rows, first = 0, True
    for df in frames:
        con.register("_incoming", _arrow(df))
        try:
            if first and create:
                con.execute(f"create table {target} as select * from _incoming")
            else:
                con.execute(f"insert into {target} by name select * from _incoming")
        finally:
            con.unregister("_incoming")
        rows += df.height
        first = False
    if first:
        raise ValueError(f"{target}: no frame to load")
    return rows


def replace_table(con: duckdb.DuckDBPyConnection, schema: str, table: str, df: pl.DataFrame) -> int:
    """Replace ``schema.table`` with ``df`` in one transaction; returns the row count."""
    return load_frames(con, schema, table, [df])


def replace_date_range(
    con: duckdb.DuckDBPyConnection,
    schema: str,
    table: str,
    df: pl.DataFrame,
    *,
    date_column: str,
    start: dt.date,
    end: dt.date,
) -> int:
    """Idempotent partition load: delete ``[start, end]`` then insert ``df`` (one transaction).

    Re-materializing a partition therefore replaces it and never duplicates it.
    """
    return load_frames(con, schema, table, [df], date_column=date_column, window=(start, end))


def replace_quarantine(
    con: duckdb.DuckDBPyConnection, dataset: str, quarantine: pl.DataFrame
) -> int:
    """Replace the quarantined rows of one dataset in ``raw.quarantine`` (latest load wins)."""
    con.execute('create schema if not exists "raw"')
    con.execute(
        """create table if not exists raw.quarantine (
            dataset varchar, file varchar, "row" bigint, "column" varchar, "check" varchar,
            value varchar, reason varchar, loaded_at timestamp)"""
    )
    frame = quarantine.with_columns(
        pl.lit(dt.datetime.now(dt.UTC).replace(tzinfo=None)).alias("loaded_at")
    )
    with _transaction_with(con, "_q", frame):
        con.execute("delete from raw.quarantine where dataset = ?", [dataset])
        con.execute("insert into raw.quarantine by name select * from _q")
    return quarantine.height


def load_raw(
    build_db: Path,
    table: str,
    valid: pl.DataFrame,
    quarantine: pl.DataFrame,
    *,
    date_column: str = "date",
    window: tuple[dt.date, dt.date] | None = None,
) -> tuple[int, int]:
    """Write ``valid`` to ``raw.<table>`` (the whole table, or only the dates of ``window``)
    and ``quarantine`` to ``raw.quarantine``; returns (rows loaded, rows now in the table)."""
    with connect(build_db) as con:
        if window is None:
            rows = replace_table(con, "raw", table, valid)
        else:
            rows = replace_date_range(
                con,
                "raw",
                table,
                valid,
                date_column=date_column,
                start=window[0],
                end=window[1],
            )
        replace_quarantine(con, table, quarantine)
        total = con.execute(f'select count(*) from raw."{table}"').fetchall()[0][0]
    return rows, int(total)


@dataclass(frozen=True)
class PublishResult:
    path: Path
    tables: dict[str, int]  # "schema.table" -> rows
    bytes: int


def _copy_compact(build: Path, target: Path) -> None:
    """Write every schema, table and view of ``build`` into the new file ``target``.

    A byte copy would carry the blocks DuckDB freed when dbt replaced tables (the file grew
    15 MB → 27 MB over three identical runs); ``COPY FROM DATABASE`` writes only what is live.
    The build is attached read-only, so this never takes its write lock.
    """
    with _build_and_target(build, target) as con:
        con.execute("copy from database publish_src to publish_dst")


@contextmanager
def _build_and_target(build: Path, target: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory connection with ``build`` attached read-only as ``publish_src`` and
    ``target`` as ``publish_dst``; on success ``publish_dst`` is checkpointed and both detached.
    """
    # DuckDB would cache up to 80 % of RAM; the copy streams table by table, so a small limit
    # keeps the pipeline's process small (100x synthetic build: 1.46 → 0.61 GB max RSS).
    con = duckdb.connect(":memory:", config={"memory_limit": PUBLISH_MEMORY_LIMIT})
    try:
        con.execute("attach ? as publish_src (read_only)", [str(build)])
        con.execute("attach ? as publish_dst", [str(target)])
        yield con
        con.execute("checkpoint publish_dst")
        con.execute("detach publish_dst")
        con.execute("detach publish_src")
    finally:
        con.close()


class PatchMismatchError(RuntimeError):
    """A patched table does not end up with the build's rows: publish a full copy instead."""


def _patch_tables(con: duckdb.DuckDBPyConnection, tables: Mapping[str, str]) -> None:
    """Bring each ``schema.table`` of ``publish_dst`` up to date from ``publish_src``: a dated
    table (``tables[t]`` = its date column) gets its last :data:`PATCH_DAYS` days replaced, any
    other table is replaced whole. Raises :class:`PatchMismatchError` when a table's row count
    then differs from the build's (a change older than the window)."""
    for table, date_column in sorted(tables.items()):
        schema, name = table.split(".", 1)
        src, dst = f'publish_src."{schema}"."{name}"', f'publish_dst."{schema}"."{name}"'
        exists = con.execute(
            "select count(*) from duckdb_tables() where database_name = ? "
            "and schema_name = ? and table_name = ?",
            ["publish_dst", schema, name],
        ).fetchone()
        since = None
        if date_column and exists and exists[0]:
            row = con.execute(f'select max("{date_column}") from {dst}').fetchone()
            since = row[0] - dt.timedelta(days=PATCH_DAYS) if row and row[0] else None
        if since is None:
            con.execute(f'create schema if not exists publish_dst."{schema}"')
            con.execute(f"create or replace table {dst} as select * from {src}")
        else:
            con.execute(f'delete from {dst} where "{date_column}" >= ?', [since])
            con.execute(
                f'insert into {dst} by name select * from {src} where "{date_column}" >= ?',
                [since],
            )
        counts = con.execute(f"select (select count(*) from {src}), (select count(*) from {dst})")
        built, now = counts.fetchone() or (0, 0)
        if built != now:
            raise PatchMismatchError(f"{table}: {now} rows after the patch, the build has {built}")


def publish_patched(
    build: Path,
    published: Path,
    tables: Mapping[str, str],
    *,
    required_schema: str = "marts",
) -> PublishResult:
    """Like :func:`publish`, for a run that wrote only ``tables`` (a nightly run): copy the
    published file (a file copy, not a rewrite of every table), bring those tables up to date
    from ``build`` in the copy (:func:`_patch_tables`), check it, and rename it over
    ``published``. Readers and atomicity as in :func:`publish`. The copy keeps the blocks the
    patch freed, which DuckDB reuses on the next patch; a full :func:`publish` (weekly build,
    ``make run``) writes a compact file again. Raises, leaving ``published`` untouched, when
    there is nothing to patch or a table does not match the build after the patch."""
    if not published.is_file():
        raise FileNotFoundError(f"nothing published at {published} yet: publish a full copy")
    with _staged_next_to(build, published) as tmp:
        shutil.copyfile(published, tmp)
        with _build_and_target(build, tmp) as con:
            con.execute("begin transaction")
            _patch_tables(con, tables)
            con.execute("commit")
        return _verify_and_replace(tmp, published, required_schema)


@contextmanager
def _staged_next_to(build: Path, published: Path) -> Iterator[Path]:
    """The temporary file a publish writes beside ``published`` before renaming it over it.

    Checks the build exists and checkpoints it first (so its WAL is in the file read); the
    temporary file and its WAL are removed whatever happens (after a rename nothing is left).
    """
    if not build.is_file():
        raise FileNotFoundError(f"build warehouse {build} does not exist: run the pipeline first")
    with connect(build) as con:
        con.execute("checkpoint")
    tmp = published.with_name(f".{published.name}.{os.getpid()}.tmp")
    wal = tmp.with_name(tmp.name + ".wal")
    try:
        tmp.unlink(missing_ok=True)
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)
        wal.unlink(missing_ok=True)


def _verify_and_replace(tmp: Path, published: Path, required_schema: str) -> PublishResult:
    """fsync ``tmp``, check it opens read-only and holds ``required_schema``, rename it."""
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    with connect(tmp, read_only=True) as con:
        rows = con.execute(
            """select schema_name || '.' || table_name, estimated_size
               from duckdb_tables() order by 1"""
        ).fetchall()
    tables = {name: int(size) for name, size in rows}
    if not any(name.startswith(f"{required_schema}.") for name in tables):
        raise RuntimeError(f"refusing to publish: no table in schema {required_schema!r}")
    os.replace(tmp, published)
    return PublishResult(path=published, tables=tables, bytes=published.stat().st_size)


def publish(build: Path, published: Path, *, required_schema: str = "marts") -> PublishResult:
    """Atomically replace ``published`` with a checked, compact copy of ``build``.

    Raises (leaving ``published`` untouched) if the build is missing or the copy holds no table
    in ``required_schema``.
    """
    with _staged_next_to(build, published) as tmp:
        _copy_compact(build, tmp)
        return _verify_and_replace(tmp, published, required_schema)
