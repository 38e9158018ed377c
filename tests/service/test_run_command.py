"""``make run`` (``python -m dagster_project.run``): the run belongs to the code location, the
terminal gets one line per step and one outcome line; a failure says why in one line; a second
writer stops at once; a SIGKILLed run's dbt dies with it and the run is marked failed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from dagster_project.instance import write_dagster_yaml
from dagster_project.settings import REPO_ROOT
from dagster_project.writer_lock import current_holder, hold_writer_lock, processes_owned_by


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    home = tmp_path / "home"
    write_dagster_yaml(home)
    return {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "MINERPIVOT_WAREHOUSE_DIR": str(tmp_path / "warehouse"),
        **extra,
    }


def _run(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dagster_project.run", *args],
        cwd=REPO_ROOT,
        env=_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=600,
    )


def _instance(tmp_path: Path) -> dg.DagsterInstance:
    return dg.DagsterInstance.from_config(str(tmp_path / "home"))


@pytest.mark.slow
def test_run_is_launched_through_the_code_location_and_reads_well(tmp_path):
    done = _run(tmp_path)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    lines = done.stdout.strip().splitlines()
    last = lines[-1]
    assert last.startswith("run ") and ": SUCCESS, published " in last, last
    # The one documented quarantine of the real inputs (docs/reliability.md: GRIID scope row).
    assert "; quarantined rows: raw/power_capacity 1" in last
    step_lines = [x for x in lines if x.startswith("  ok   ")]
    assert any("raw/btc_price_daily" in x for x in step_lines)
    assert any("minerpivot_dbt_assets" in x and " s " in x for x in step_lines)
    assert len(lines) < 60, "the terminal should get a summary, not Dagster's event stream"
    assert "DEBUG" not in done.stdout and "Traceback" not in done.stdout
    run_id = last.split()[1].rstrip(":")
    instance = _instance(tmp_path)
    try:
        run = instance.get_run_by_id(run_id)
        assert run.status == dg.DagsterRunStatus.SUCCESS
        assert run.job_name == "build_warehouse"
        origin = run.remote_job_origin
        assert origin is not None, "a run without a code location misses the UI timeline"
        assert origin.location_name == "minerpivot"
        assert run.tags.get("minerpivot/writer") == "warehouse"
    finally:
        instance.dispose()
    assert (tmp_path / "warehouse" / "minerpivot.duckdb").exists()
    assert (tmp_path / "home" / "run-logs" / f"{run_id}.log").stat().st_size > 0


def test_a_failed_run_says_why_in_one_line(tmp_path):
    done = _run(tmp_path, MINERPIVOT_SNAPSHOT_DIR=str(tmp_path / "no-snapshot-here"))
    assert done.returncode == 1
    last = done.stdout.strip().splitlines()[-1]
    assert ": FAILED: " in last and "no-snapshot-here" in last and "full log:" in last, last
    assert "Traceback" not in done.stdout


def test_a_second_writer_stops_at_once(tmp_path):
    lock = tmp_path / "warehouse" / ".writer.lock"
    with hold_writer_lock(lock, "run-that-holds-it", watchdog=False):
        started = time.monotonic()
        done = _run(tmp_path)
        took = time.monotonic() - started
    assert done.returncode == 1
    assert "a run is already in progress (run run-that-holds-it, pid" in done.stderr
    assert took < 15


def test_a_killed_writers_child_dies_with_it_and_the_next_writer_clears_up(tmp_path):
    """A holder marks its children; SIGKILL the holder: the watchdog kills the child."""
    lock = tmp_path / "warehouse" / ".writer.lock"
    script = (
        "import subprocess, sys, time\n"
        "from pathlib import Path\n"
        "from dagster_project.writer_lock import hold_writer_lock\n"
        f"with hold_writer_lock(Path({str(lock)!r}), 'doomed-run'):\n"
        "    subprocess.Popen(['sleep', '300'])\n"
        "    print('holding', flush=True)\n"
        "    time.sleep(300)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", script], cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        assert current_holder(lock).run_id == "doomed-run"
        children = processes_owned_by("doomed-run")
        assert children, "the child should carry the run's mark"
        holder.send_signal(signal.SIGKILL)
        holder.wait(10)
        deadline = time.monotonic() + 10
        while processes_owned_by("doomed-run") and time.monotonic() < deadline:
            time.sleep(0.2)
        assert processes_owned_by("doomed-run") == []
        assert current_holder(lock) is None
        # The next writer learns that the last one died holding the lock.
        with hold_writer_lock(lock, "next-run", watchdog=False) as acquired:
            assert acquired.stale is not None and acquired.stale.run_id == "doomed-run"
    finally:
        holder.kill()
        for pid in processes_owned_by("doomed-run"):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.slow
def test_sigkilled_run_dbt_stops_and_run_is_marked_failed(tmp_path):
    """Kill the run's process while dbt builds: dbt goes, the next run succeeds and marks the
    killed run FAILED (it would otherwise stay STARTED forever)."""
    env = _env(tmp_path)
    follower = subprocess.Popen(
        [sys.executable, "-m", "dagster_project.run"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lock = tmp_path / "warehouse" / ".writer.lock"
    dbt_pids: list[int] = []
    holder = None
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not dbt_pids:
        holder = current_holder(lock)
        if holder is not None:
            dbt_pids = [
                p
                for p in processes_owned_by(holder.run_id)
                if b"dbt" in Path(f"/proc/{p}/cmdline").read_bytes()
            ]
        time.sleep(0.5)
    assert holder is not None and dbt_pids, "dbt never started"
    os.kill(holder.pid, signal.SIGKILL)
    follower.wait(120)
    deadline = time.monotonic() + 15
    while processes_owned_by(holder.run_id) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_owned_by(holder.run_id) == []
    done = _run(tmp_path)
    assert done.returncode == 0, done.stdout[-2000:]
    instance = _instance(tmp_path)
    try:
        killed = instance.get_run_by_id(holder.run_id)
        assert killed.status == dg.DagsterRunStatus.FAILURE
    finally:
        instance.dispose()


def test_the_watchdog_leaves_when_the_run_releases_the_lock(tmp_path):
    lock = tmp_path / ".writer.lock"

    def watchdogs() -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    cmd = (entry / "cmdline").read_bytes().split(b"\0")
                except OSError:
                    continue
                if b"dagster_project.watchdog" in cmd and b"clean-run" in cmd:
                    found.append(int(entry.name))
        return found

    with hold_writer_lock(lock, "clean-run"):
        deadline = time.monotonic() + 10
        while not watchdogs() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert watchdogs(), "a watchdog should guard the run"
    deadline = time.monotonic() + 10
    while watchdogs() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert watchdogs() == []


def test_launch_reaches_a_running_code_server_when_one_is_named(tmp_path, monkeypatch):
    from dagster_project import run

    monkeypatch.delenv(run.CODE_SERVER_ENV, raising=False)
    assert run._location_args(tmp_path) == ["-w", str(REPO_ROOT / "workspace.yaml")]

    monkeypatch.setenv(run.CODE_SERVER_ENV, "127.0.0.1:4266")
    flag, path = run._location_args(tmp_path)
    text = Path(path).read_text()
    assert flag == "-w" and Path(path).parent == tmp_path
    # The same location name as workspace.yaml's: the daemon finds a queued run's location by it.
    assert "grpc_server" in text and "port: 4266" in text and "location_name: minerpivot" in text

    monkeypatch.setenv(run.CODE_SERVER_ENV, "localhost")
    with pytest.raises(SystemExit, match="MINERPIVOT_CODE_SERVER='localhost': expected host:port"):
        run._location_args(tmp_path)
