"""One writer per warehouse, enforced by an OS lock that dies with its holder.

Plain Python (no Dagster import). A run that writes the build warehouse takes an exclusive
``flock`` on ``<warehouse>/.writer.lock`` for its whole life and records who it is (run id,
pid, start time) in the file. A second run finds the lock taken and stops at once with
"a run is already in progress (run …, since …)". The operating system releases a ``flock``
when its holder dies, even on SIGKILL, so a killed run never leaves a lock that blocks
the next one; what it may leave behind is handled on the next acquisition:

* its children: every process the run starts (dbt) inherits ``MINERPIVOT_WRITER_RUN`` in its
  environment; a watchdog (:mod:`dagster_project.watchdog`) kills them as soon as the run's
  process dies, and the next writer kills any that are still there;
* its temporary files (a half-written publish copy), removed;
* its run record, reported back as the *previous holder* so the caller can mark the run failed.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from dagster_project.processes import pid_alive

#: Every child of a writer run carries this variable (value: the run id).
OWNER_ENV = "MINERPIVOT_WRITER_RUN"
#: Temporary files a writer may leave beside the published file when killed mid-publish.
STALE_PATTERNS = (".minerpivot.duckdb.*.tmp", ".minerpivot.duckdb.*.tmp.wal")


class WriterBusyError(RuntimeError):
    """Another run holds the warehouse; the message says which and since when."""


@dataclass(frozen=True)
class Holder:
    """Who holds (or last held) the writer lock."""

    run_id: str
    pid: int
    since: str

    def describe(self) -> str:
        return f"run {self.run_id}, pid {self.pid}, since {self.since}"


@dataclass(frozen=True)
class Acquired:
    """A held lock, and what the previous holder left behind, if it died holding it."""

    holder: Holder
    stale: Holder | None
    killed_children: tuple[int, ...]
    removed_files: tuple[str, ...]


def _read_holder(fd: int) -> Holder | None:
    os.lseek(fd, 0, os.SEEK_SET)
    raw = os.read(fd, 4096)
    try:
        data = json.loads(raw.decode("utf-8"))
        if data.get("state") == "released":
            return None
        return Holder(run_id=str(data["run_id"]), pid=int(data["pid"]), since=str(data["since"]))
    except (ValueError, KeyError, TypeError):
        return None


def processes_owned_by(run_id: str) -> list[int]:
    """PIDs of live processes whose environment says they belong to writer run ``run_id``."""
    marker = f"{OWNER_ENV}={run_id}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if marker in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def kill_processes(pids: list[int], grace_seconds: float = 5.0) -> tuple[int, ...]:
    """SIGTERM, wait up to ``grace_seconds``, then SIGKILL whatever is left."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + (grace_seconds if sig == signal.SIGTERM else 2.0)
        while time.monotonic() < deadline and any(pid_alive(p) for p in pids):
            time.sleep(0.1)
        if not any(pid_alive(p) for p in pids):
            break
    return tuple(pids)


def _remove_stale_files(warehouse_dir: Path) -> tuple[str, ...]:
    removed = []
    for pattern in STALE_PATTERNS:
        for path in warehouse_dir.glob(pattern):
            path.unlink(missing_ok=True)
            removed.append(path.name)
    return tuple(removed)


def _start_watchdog(run_id: str, lock_path: Path) -> None:
    """A detached process that kills this run's children as soon as this process dies."""
    subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dagster_project.watchdog",
            str(os.getpid()),
            run_id,
            str(lock_path),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env={k: v for k, v in os.environ.items() if k != OWNER_ENV},
    )


@contextmanager
def hold_writer_lock(lock_path: Path, run_id: str, *, watchdog: bool = True) -> Iterator[Acquired]:
    """Hold the warehouse's writer lock for the ``with`` block, or raise WriterBusyError.

    Marks this process (and so its future children) as belonging to ``run_id``.
    """
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            current = _read_holder(fd)
            who = current.describe() if current else f"lock {lock_path}"
            raise WriterBusyError(
                f"a run is already in progress ({who}); this run writes nothing. "
                f"Wait for it to finish, or stop it, then start again."
            ) from None
        previous = _read_holder(fd)
        stale = previous if previous is not None and previous.run_id != run_id else None
        killed: tuple[int, ...] = ()
        if stale is not None:
            # The lock was free, so its last holder ended; anything still marked as its child
            # (a dbt that outlived a SIGKILLed run) would hold DuckDB's lock on the build file.
            orphans = processes_owned_by(stale.run_id)
            if orphans:
                killed = kill_processes(orphans)
        removed = _remove_stale_files(lock_path.parent)
        holder = Holder(
            run_id=run_id,
            pid=os.getpid(),
            since=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        )
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, json.dumps(holder.__dict__ | {"state": "running"}).encode("utf-8"))
        os.fsync(fd)
        previous_owner = os.environ.get(OWNER_ENV)
        os.environ[OWNER_ENV] = run_id
        if watchdog:
            _start_watchdog(run_id, lock_path)
        try:
            yield Acquired(
                holder=holder, stale=stale, killed_children=killed, removed_files=removed
            )
        finally:
            if previous_owner is None:
                os.environ.pop(OWNER_ENV, None)
            else:
                os.environ[OWNER_ENV] = previous_owner
            # A clean end: the record says so, and the next holder has nothing to clear.
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, json.dumps(holder.__dict__ | {"state": "released"}).encode())
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def current_holder(lock_path: Path) -> Holder | None:
    """The run holding the lock now, or None when it is free."""
    if not lock_path.exists():
        return None
    fd = os.open(lock_path, os.O_RDWR)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read_holder(fd)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)
