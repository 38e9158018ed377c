"""Kill a writer run's children as soon as the run's process dies (even on SIGKILL).

Started detached by :func:`dagster_project.writer_lock.hold_writer_lock`:
``python -m dagster_project.watchdog <run pid> <run id>``. It polls the run's pid twice a
second; when the process is gone it kills every process still marked as that run's child
(dbt keeps DuckDB's lock on the build file while it lives), then exits. When the run ends
normally its children have already ended, so there is nothing to kill.
"""

from __future__ import annotations

import os
import sys
import time

from dagster_project.writer_lock import kill_processes, processes_owned_by


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie is dead for our purpose (its parent has not reaped it yet).
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def main(argv: list[str]) -> int:
    pid, run_id = int(argv[0]), argv[1]
    while _alive(pid):
        time.sleep(0.5)
    orphans = processes_owned_by(run_id)
    if orphans:
        kill_processes(orphans)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
