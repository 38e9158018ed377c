"""``make run``: one run of the ``build_warehouse`` job, launched through the code location.

The run is submitted like a run launched from the UI: ``dagster job launch`` loads the code
location of ``workspace.yaml`` (or reaches the running code server that
``$MINERPIVOT_CODE_SERVER`` names, as the service's daemon does: ``make up``) and hands the run
to the instance's coordinator (started at
once on the local instance; queued for the daemon on the service instance of ``make up``), so
it carries the ``minerpivot`` code location and shows on the UI's timeline. This command then
follows the run in the instance's event log and prints one line per finished step, progress
while dbt builds, and one line at the end: success with the rows quarantined per dataset, or
FAILED with the first cause. Dagster's full logs go to the run's event log (UI) and to
``$DAGSTER_HOME/run-logs/<run id>.log``.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from types import FrameType

from dagster_project.settings import REPO_ROOT, load_settings

TERMINAL = ("SUCCESS", "FAILURE", "CANCELED")
PROGRESS_EVERY_S = 10.0
PUBLISH_OP = "warehouse__published"


def _dagster_home() -> Path:
    """``$DAGSTER_HOME``, defaulting to the repo's ``.dagster_home`` with a local instance."""
    from dagster_project.instance import write_dagster_yaml

    home = Path(os.environ.get("DAGSTER_HOME") or REPO_ROOT / ".dagster_home").resolve()
    os.environ["DAGSTER_HOME"] = str(home)
    if not (home / "dagster.yaml").exists():
        write_dagster_yaml(home)
    import dagster as dg

    # Create the instance's storage here, before `dagster job launch` opens it too: two
    # processes creating the same SQLite schema at once fail ("Can't locate revision").
    with dg.DagsterInstance.get():
        pass
    return home


#: ``host:port`` of a running code server of this location (``make up`` starts one; the
#: service's runs are launched from it): ``dagster job launch`` then uses it instead of starting
#: a code server of its own that loads the definitions again (~4 s a run).
CODE_SERVER_ENV = "MINERPIVOT_CODE_SERVER"


def _location_args(home: Path) -> list[str]:
    """``dagster job launch``'s workspace: ``workspace.yaml`` (the launch starts a code server
    of its own), or, when ``$MINERPIVOT_CODE_SERVER`` is set, a workspace that reaches that
    running server under the same location name (the daemon finds the run's location by name).
    The run then starts from that server and gets *its* environment (MINERPIVOT_* settings)."""
    server = os.environ.get(CODE_SERVER_ENV, "").strip()
    if not server:
        return ["-w", str(REPO_ROOT / "workspace.yaml")]
    host, sep, port = server.rpartition(":")
    if not sep or not port.isdigit():
        raise SystemExit(f"{CODE_SERVER_ENV}={server!r}: expected host:port, e.g. 127.0.0.1:4266")
    from dagster_project.service import write_workspace

    workspace = write_workspace(home / "code-server-workspace.yaml", int(port), host or None)
    return ["-w", str(workspace)]


def _launch(
    home: Path,
    run_id: str,
    tags: dict[str, str],
    log_path: Path,
    config: dict | None = None,
    job: str = "build_warehouse",
) -> subprocess.Popen:
    dagster = str(Path(sys.executable).parent / "dagster")
    cmd = [dagster, "job", "launch", *_location_args(home), "-j", job, "--run-id", run_id]
    if tags:
        cmd += ["--tags", json.dumps(tags)]
    if config:
        cmd += ["--config-json", json.dumps(config)]
    log = log_path.open("ab")
    # The code server it starts, and the run process that server spawns, write here too.
    return subprocess.Popen(
        cmd, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
    )


def follow(run_id: str, launcher: subprocess.Popen, log_path: Path, quiet: bool = False) -> int:
    """Print step lines until the run ends; return the exit code (0 success, 1 otherwise)."""
    import dagster as dg

    from dagster_project.run_outcome import StepLine, summarize

    out = (lambda *_: None) if quiet else (lambda line: print(line, flush=True))
    instance = dg.DagsterInstance.get()
    started: dict[str, float] = {}
    finished: set[str] = set()
    built: dict[str, int] = {}
    seen: list[dg.EventLogRecord] = []  # every record of the run, for the outcome line
    cursor = None
    last_progress = time.monotonic()
    status = None
    interesting = {
        dg.DagsterEventType.STEP_START,
        dg.DagsterEventType.STEP_SUCCESS,
        dg.DagsterEventType.STEP_FAILURE,
        dg.DagsterEventType.ASSET_MATERIALIZATION,
        dg.DagsterEventType.RUN_START,
    }
    try:
        while True:
            run = instance.get_run_by_id(run_id)
            if run is None:
                if launcher.poll() not in (None, 0):
                    out(f"run {run_id}: FAILED to launch (see {log_path})")
                    return 1
                time.sleep(0.5)
                continue
            page = instance.get_records_for_run(run_id, cursor=cursor, limit=1000)
            cursor = page.cursor
            seen.extend(page.records)
            for record in page.records:
                entry = record.event_log_entry
                event = entry.dagster_event
                if event is None or event.event_type not in interesting:
                    continue
                step = event.step_key or ""
                if event.event_type == dg.DagsterEventType.RUN_START:
                    out(f"run {run_id} started ({run.job_name})")
                elif event.event_type == dg.DagsterEventType.STEP_START:
                    started[step] = entry.timestamp
                    last_progress = time.monotonic()
                elif event.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION:
                    built[step] = built.get(step, 0) + 1
                else:
                    finished.add(step)
                    ok = event.event_type == dg.DagsterEventType.STEP_SUCCESS
                    seconds = entry.timestamp - started[step] if step in started else None
                    n = built.get(step, 0)
                    detail = f"{n} assets" if n > 1 else ""
                    out(StepLine(step.replace("__", "/"), ok, seconds, detail).render())
            status = run.status.value
            if status in TERMINAL and not page.has_more:
                break
            if time.monotonic() - last_progress > PROGRESS_EVERY_S and started:
                last = list(started)[-1]
                if last not in finished:
                    elapsed = time.time() - started[last]
                    shown = last.replace("__", "/")
                    n = built.get(last, 0)
                    out(f"  ...  {shown}: {n} assets built so far, {elapsed:.0f} s")
                last_progress = time.monotonic()
            if not page.has_more:
                time.sleep(0.5)
    except KeyboardInterrupt:
        out(f"run {run_id}: interrupted; asking Dagster to stop it")
        instance.run_launcher.terminate(run_id)
        return 130
    summary = summarize(seen)
    if status == "SUCCESS":
        quarantine = (
            "; quarantined rows: "
            + ", ".join(f"{k} {v}" for k, v in sorted(summary.quarantined.items()))
            if summary.quarantined
            else "; no rows quarantined"
        )
        published = load_settings().published_db
        print(f"run {run_id}: SUCCESS, published {published}{quarantine}", flush=True)
        return 0
    cause = summary.first_cause or "see the run in the Dagster UI"
    print(f"run {run_id}: FAILED: {cause}  (full log: {log_path})", flush=True)
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dagster_project.run",
        description="Run the build_warehouse job (or --job nightly) and publish the warehouse.",
    )
    parser.add_argument(
        "--partition", default=None, help="day to fetch in live mode, e.g. 2026-11-26"
    )
    parser.add_argument(
        "--job",
        choices=("build_warehouse", "nightly"),
        default="build_warehouse",
        help="nightly: only the market feeds' new days and what is downstream of them "
        "(what the nightly schedule runs); default: everything",
    )
    parser.add_argument("--quiet", action="store_true", help="print only the last line")
    parser.add_argument(
        "--allow-shrink",
        action="store_true",
        help="publish even if a mart loses rows or miners (a deliberate removal)",
    )
    args = parser.parse_args(argv)

    settings = load_settings()
    if args.partition and settings.mode != "live":
        parser.error("--partition needs MINERPIVOT_MODE=live (offline runs read whole files)")
    home = _dagster_home()

    from dagster_project.writer_lock import current_holder

    holder = current_holder(settings.writer_lock)
    if holder is not None:
        print(
            f"a run is already in progress ({holder.describe()}); nothing started.",
            file=sys.stderr,
        )
        return 1

    run_id = str(uuid.uuid4())
    logs = home / "run-logs"
    logs.mkdir(parents=True, exist_ok=True)
    log_path = logs / f"{run_id}.log"
    tags = {"dagster/partition": args.partition} if args.partition else {}
    config = (
        {"ops": {PUBLISH_OP: {"config": {"allow_shrink": True}}}} if args.allow_shrink else None
    )
    launcher = _launch(home, run_id, tags, log_path, config, job=args.job)

    def _interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _interrupt)
    code = follow(run_id, launcher, log_path, quiet=args.quiet)
    try:
        launcher.wait(timeout=90)
    except subprocess.TimeoutExpired:
        launcher.terminate()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
