"""Marts' pictures are drawn as soon as dbt lets go of the build file, not when it exits."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from dagster_project.warehouse import connect_when_released

HOLDER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
print("released", flush=True)
time.sleep(float(sys.argv[3]))
"""


def _holder(db: Path, hold: float, linger: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db), str(hold), str(linger)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
    return proc


def _db(tmp_path: Path) -> Path:
    db = tmp_path / "build.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("create table t as select 42 as answer")
    return db


def test_opens_once_released_while_the_holder_still_runs(tmp_path: Path):
    db = _db(tmp_path)
    proc = _holder(db, hold=1.0, linger=5.0)
    try:
        started = time.monotonic()
        with connect_when_released(db, proc) as con:
            waited = time.monotonic() - started
            assert con.sql("select answer from t").fetchall() == [(42,)]
            assert proc.poll() is None  # opened before the holder exited
        assert 0.5 < waited < 4.5
    finally:
        proc.kill()
        proc.wait()


def test_a_lock_held_by_someone_else_is_an_error_once_dbt_has_exited(tmp_path: Path):
    db = _db(tmp_path)
    other = _holder(db, hold=30.0, linger=0.0)  # not dbt: keeps the lock
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    try:
        with pytest.raises(duckdb.IOException, match="lock"):
            with connect_when_released(db, finished):
                pass
    finally:
        other.kill()
        other.wait()
