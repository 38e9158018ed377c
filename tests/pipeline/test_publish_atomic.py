"""Publishing: readers of the published file never meet a lock or a half-written file."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from dagster_project.warehouse import publish

# Synthetic test data (made here, fixed sizes): each build carries its version in every row of a
# table big enough that copying it takes a measurable time.
ROWS = 300_000


def _make_build(path: Path, version: int) -> None:
    path.unlink(missing_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute(
            f"create table marts.payload as select {version} as version, range as i, "
            f"md5(range::varchar) as filler from range({ROWS})"
        )


POLLER = textwrap.dedent(
    """
    import sys, time, duckdb
    path, seconds = sys.argv[1], float(sys.argv[2])
    seen, errors = set(), []
    end = time.time() + seconds
    while time.time() < end and 5 not in seen:  # until the last version shows (or timeout)
        try:
            con = duckdb.connect(path, read_only=True)
            lo, hi, n = con.execute(
                "select min(version), max(version), count(*) from marts.payload"
            ).fetchall()[0]
            con.close()
            if lo != hi or n != EXPECTED_ROWS:
                errors.append(f"mixed or partial file: {lo} {hi} {n}")
            seen.add(lo)
        except Exception as exc:  # noqa: BLE001 - any error is a failure of the test
            errors.append(repr(exc))
    print(sorted(seen)); print(len(errors)); print(errors[:3])
    """
).replace("EXPECTED_ROWS", str(ROWS))

# DuckDB shares one database instance per path inside a process, so the analyst who keeps a
# connection open is a process of its own.
HOLDER = textwrap.dedent(
    """
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    q = "select min(version), max(version), count(*) from marts.payload"
    first = con.execute(q).fetchall()[0]
    time.sleep(float(sys.argv[2]))
    print(first == con.execute(q).fetchall()[0])
    """
)


def _start(script: str, path: Path, seconds: float) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", script, str(path), str(seconds)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_reader_sees_old_or_new_file_never_a_lock_or_half_file(tmp_path):
    build, published = tmp_path / "build.duckdb", tmp_path / "minerpivot.duckdb"
    _make_build(build, 1)
    publish(build, published)
    holder = _start(HOLDER, published, 5)
    poller = _start(POLLER, published, 60)
    time.sleep(1.0)
    for version in range(2, 6):
        _make_build(build, version)
        publish(build, published)
    out, err = poller.communicate(timeout=60)
    assert poller.returncode == 0, err
    seen, n_errors, errors = out.strip().splitlines()
    assert n_errors == "0", errors
    versions = eval(seen)
    assert versions[0] >= 1 and versions[-1] == 5 and len(versions) >= 2
    held_out, held_err = holder.communicate(timeout=60)
    assert holder.returncode == 0, held_err
    assert held_out.strip() == "True"  # the held connection kept reading the file it opened
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("select min(version) from marts.payload").fetchall()[0][0] == 5


def test_publish_refuses_a_build_without_marts_and_keeps_the_old_file(tmp_path):
    build, published = tmp_path / "build.duckdb", tmp_path / "minerpivot.duckdb"
    _make_build(build, 1)
    publish(build, published)
    before = published.read_bytes()
    build.unlink()
    with duckdb.connect(str(build)) as con:
        con.execute("create table main.t as select 1 as x")
    with pytest.raises(RuntimeError, match="no table in schema 'marts'"):
        publish(build, published)
    assert published.read_bytes() == before
    assert not list(tmp_path.glob(".minerpivot.duckdb.*.tmp"))


def test_publish_without_build_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="run the pipeline first"):
        publish(tmp_path / "build.duckdb", tmp_path / "minerpivot.duckdb")


def _rebuild_in_place(path: Path, version: int) -> None:
    """What a pipeline run does to the build file: replace the tables inside the same file,
    so the blocks of the previous tables are freed, not returned to the file system."""
    with duckdb.connect(str(path)) as con:
        con.execute("create schema if not exists marts")
        con.execute("create schema if not exists staging")
        con.execute(
            f"create or replace table staging.wide as select {version} as version, range as i, "
            f"md5(range::varchar) as filler from range({ROWS})"
        )
        con.execute(
            "create or replace table marts.payload as "
            "select 1 as version, i, filler from staging.wide"
        )
        con.execute("drop table staging.wide")


def test_published_file_stays_compact_across_identical_runs(tmp_path):
    build, published = tmp_path / "build.duckdb", tmp_path / "minerpivot.duckdb"
    sizes, build_sizes = [], []
    for version in range(1, 4):
        _rebuild_in_place(build, version)
        result = publish(build, published)
        sizes.append(result.bytes)
        build_sizes.append(build.stat().st_size)
    # The build file keeps the blocks freed by the dropped and replaced tables ...
    assert build_sizes[-1] > sizes[-1] * 1.3, (build_sizes, sizes)
    # ... the published file holds only live rows: flat within 3 % over three identical runs.
    assert max(sizes) <= min(sizes) * 1.03, sizes
    assert result.tables == {"marts.payload": ROWS}
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("select count(*), max(version) from marts.payload").fetchall() == [
            (ROWS, 1)
        ]
    assert not list(tmp_path.glob(".minerpivot.duckdb.*"))
