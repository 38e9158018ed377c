"""Kill a writer run's children as soon as the run's process dies (even on SIGKILL).

Started detached by :func:`dagster_project.writer_lock.hold_writer_lock`:
``python -m dagster_project.watchdog <run pid> <run id> <lock file>``. It polls the run's pid
twice a second; when the process is gone it kills every process still marked as that run's
child (dbt keeps DuckDB's lock on the build file while it lives), then exits. When the run
releases the lock normally (the lock file no longer names it as running), it exits too.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from dagster_project.processes import pid_alive
from dagster_project.writer_lock import kill_processes, processes_owned_by


def _still_held_by(lock: Path | None, run_id: str) -> bool:
    if lock is None:
        return True
    try:
        record = json.loads(lock.read_text() or "{}")
    except (OSError, ValueError):
        return True
    return record.get("run_id") == run_id and record.get("state") == "running"


def main(argv: list[str]) -> int:
    pid, run_id = int(argv[0]), argv[1]
    lock = Path(argv[2]) if len(argv) > 2 else None
    while pid_alive(pid):
        if not _still_held_by(lock, run_id):
            return 0
        time.sleep(0.5)
    orphans = processes_owned_by(run_id)
    if orphans:
        kill_processes(orphans)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
