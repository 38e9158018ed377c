"""Full offline materialization vs its floor, as a ratio measured in one run.

pipeline = `python -m dagster_project.run`, what `make run` runs: the build_warehouse job launched
           through the code location (`dagster job launch`: a code server, then a run process
           with the in-process executor: every ingest asset, stock dagster-dbt `dbt build` with
           its asset checks, gates, publish, previews), followed until it ends. On the local
           instance (SQLite, runs launched at once) or, with ``--instance postgres``, on the
           service instance (PostgreSQL storage, queued coordinator, a daemon already running).
floor    = the same ingest code called directly (snapshot readers, pandera contracts, raw loads,
           press extraction) in a fresh process, plus `dbt build` alone on a copy of the
           pipeline's build file (same raw tables, every model and test rebuilt).
Both write to their own temporary warehouse. Prints seconds and pipeline/floor, and where the
pipeline's time goes (read from the run's event log): launch (command start -> RUN_START: code
server, run process start and imports, queue), ingest steps, dbt step, publish step, and the end
(RUN_SUCCESS -> command exit). ``--repeat N`` measures N pairs in a row and adds the median.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dagster_project.instance import write_dagster_yaml

REPO = Path(__file__).resolve().parent.parent

BIN = Path(sys.executable).parent


def _timed(cmd: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        cmd, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - start


def _dbt_parse(env: dict[str, str]) -> None:
    """A warm partial parse for this environment's profile (not timed)."""
    subprocess.run(
        [str(BIN / "dbt"), "parse", "--quiet", "--profiles-dir", "."],
        cwd=REPO / "dbt",
        env=env,
        check=True,
    )


def _breakdown(home: str, started_at: float, ended_at: float) -> dict[str, float]:
    """Where the pipeline's seconds went, from the run's own event log."""
    import dagster as dg

    instance = dg.DagsterInstance.from_config(home)
    try:
        (run,) = instance.get_runs(limit=1)
        records = instance.get_records_for_run(run.run_id).records
    finally:
        instance.dispose()
    at: dict[str, float] = {}
    steps: dict[str, list[float]] = {}
    for r in records:
        event = r.event_log_entry.dagster_event
        if event is None:
            continue
        kind = event.event_type
        if kind in (dg.DagsterEventType.RUN_START, dg.DagsterEventType.RUN_SUCCESS):
            at[kind.value] = r.event_log_entry.timestamp
        if kind in (dg.DagsterEventType.STEP_START, dg.DagsterEventType.STEP_SUCCESS):
            steps.setdefault(event.step_key, []).append(r.event_log_entry.timestamp)
    spans = {k: v[-1] - v[0] for k, v in steps.items() if len(v) == 2}
    dbt = sum(v for k, v in spans.items() if "dbt" in k)
    publish = sum(v for k, v in spans.items() if "published" in k)
    run_start = at.get("PIPELINE_START", started_at)
    run_end = at.get("PIPELINE_SUCCESS", ended_at)
    return {
        "launch": run_start - started_at,
        "ingest": sum(spans.values()) - dbt - publish,
        "dbt": dbt,
        "publish": publish,
        "run": run_end - run_start,
        "end": ended_at - run_end,
    }


def _postgres_home(home: Path, env: dict[str, str]) -> tuple[str, subprocess.Popen]:
    """A fresh database on the service's PostgreSQL and a daemon on it (set-up, not timed)."""
    import uuid

    from dagster_project.service import PG_DB, pg_port, pg_url

    name = f"minerpivot_bench_{uuid.uuid4().hex[:8]}"
    subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-p",
            str(pg_port()),
            "-U",
            "postgres",
            "-c",
            f"create database {name}",
        ],
        check=True,
        capture_output=True,
    )
    write_dagster_yaml(home, pg_url=pg_url().replace(f"/{PG_DB}", f"/{name}"))
    daemon = subprocess.Popen(
        [str(BIN / "dagster-daemon"), "run", "-w", "workspace.yaml"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    time.sleep(10)  # the daemon's first loop (not timed)
    return name, daemon


def measure_once(instance: str = "local") -> tuple[float, float, float, dict[str, float]]:
    """(pipeline, ingest alone, dbt build alone, breakdown) seconds, on fresh temp files."""
    import signal

    with tempfile.TemporaryDirectory() as tmp:
        env_pipe = {
            **os.environ,
            "MINERPIVOT_WAREHOUSE_DIR": f"{tmp}/pipe",
            "DAGSTER_HOME": f"{tmp}/dagster_home",
        }
        env_pipe.pop("MINERPIVOT_BUILD_DB", None)
        daemon = None
        if instance == "postgres":
            _, daemon = _postgres_home(Path(env_pipe["DAGSTER_HOME"]), env_pipe)
        else:
            write_dagster_yaml(Path(env_pipe["DAGSTER_HOME"]))
        # Warm-up, not timed: create the instance's storage (a one-time set-up of a new
        # DAGSTER_HOME, like the venv) and parse dbt once for this profile, as `make` does.
        subprocess.run(
            [sys.executable, "-c", "import dagster; dagster.DagsterInstance.get().dispose()"],
            env=env_pipe,
            check=True,
        )
        _dbt_parse({**env_pipe, "MINERPIVOT_BUILD_DB": f"{tmp}/pipe/build.duckdb"})
        try:
            started = time.time()
            pipeline = _timed([sys.executable, "-m", "dagster_project.run"], env_pipe, REPO)
            breakdown = _breakdown(env_pipe["DAGSTER_HOME"], started, started + pipeline)
        finally:
            if daemon is not None:
                os.killpg(daemon.pid, signal.SIGTERM)
                daemon.wait(60)

        env_ingest = {
            **os.environ,
            "MINERPIVOT_WAREHOUSE_DIR": f"{tmp}/ingest",
            "MINERPIVOT_BUILD_DB": f"{tmp}/ingest/build.duckdb",
        }
        ingest = _timed(
            [sys.executable, str(REPO / "benchmarks" / "floor_ingest.py")], env_ingest, REPO
        )
        # dbt alone on a copy of the pipeline's build file: the same raw tables, rebuilt.
        Path(f"{tmp}/dbt").mkdir()
        shutil.copyfile(f"{tmp}/pipe/build.duckdb", f"{tmp}/dbt/build.duckdb")
        env_dbt = {
            **os.environ,
            "MINERPIVOT_BUILD_DB": f"{tmp}/dbt/build.duckdb",
            "DBT_TARGET_PATH": f"{tmp}/dbt/target",
        }
        # Same warm start as the pipeline had: a parse for this profile first (not timed).
        _dbt_parse(env_dbt)
        dbt = _timed(
            [str(BIN / "dbt"), "build", "--quiet", "--profiles-dir", "."], env_dbt, REPO / "dbt"
        )
    return pipeline, ingest, dbt, breakdown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="measure N times in a row (each ratio within its own pair of runs) and print "
        "the median ratio too; the machine is shared and noisy",
    )
    parser.add_argument(
        "--instance",
        choices=("local", "postgres", "both"),
        default="local",
        help="local SQLite instance (make run), the PostgreSQL service instance (make up; its "
        "PostgreSQL must run: make postgres-up), or both in turn",
    )
    args = parser.parse_args(argv)
    instances = ["local", "postgres"] if args.instance == "both" else [args.instance]
    ratios: dict[str, list[float]] = {i: [] for i in instances}
    for i in range(args.repeat):
        for kind in instances:
            pipeline, ingest, dbt, parts_s = measure_once(kind)
            floor = ingest + dbt
            ratios[kind].append(pipeline / floor)
            print(f"-- {kind} instance, run {i + 1} of {args.repeat}")
            print(f"pipeline (make run: launch, every asset, checks, publish): {pipeline:6.1f} s")
            print("  where: " + ", ".join(f"{name} {secs:.1f} s" for name, secs in parts_s.items()))
            parts = f"ingest code directly {ingest:5.1f} s + dbt build alone {dbt:5.1f} s"
            print(f"floor: {parts} = {floor:5.1f} s")
            print(f"ratio pipeline / floor: {pipeline / floor:.2f}", flush=True)
    for kind, values in ratios.items():
        listed = ", ".join(f"{r:.2f}" for r in values)
        print(f"{kind}: ratios {listed}; median {statistics.median(values):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
