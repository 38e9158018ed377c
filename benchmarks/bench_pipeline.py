"""Full offline materialization vs its floor, as a ratio measured in one run.

pipeline = `python -m dagster_project.run`, what `make run` runs: one run of the build_warehouse
           job in a fresh process (in-process executor: every ingest asset, dbt build with its
           asset checks, publish), recorded in a DAGSTER_HOME set up like the make targets'.
floor    = the same ingest code called directly (snapshot readers, pandera contracts, raw loads,
           press extraction) in a fresh process, plus `dbt build` alone on a copy of the
           pipeline's build file (same raw tables, every model and test rebuilt).
Both write to their own temporary warehouse. Prints seconds and pipeline/floor (target <= 1.5);
``--repeat N`` measures N pairs in a row and adds the median ratio.
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


def measure_once() -> tuple[float, float, float]:
    """(pipeline, ingest alone, dbt build alone) seconds, each side on fresh temp files."""
    with tempfile.TemporaryDirectory() as tmp:
        env_pipe = {
            **os.environ,
            "MINERPIVOT_WAREHOUSE_DIR": f"{tmp}/pipe",
            "MINERPIVOT_BUILD_DB": f"{tmp}/pipe/build.duckdb",
            "DAGSTER_HOME": f"{tmp}/dagster_home",
        }
        # The same instance configuration as the make targets (pooled SQLite event log).
        write_dagster_yaml(Path(env_pipe["DAGSTER_HOME"]))
        # Warm-up, not timed: create the Dagster instance's SQLite files (a one-time set-up of
        # a new DAGSTER_HOME, like the venv) and parse dbt once so neither side pays for a
        # cold manifest.
        subprocess.run(
            [sys.executable, "-c", "import dagster; dagster.DagsterInstance.get().dispose()"],
            env=env_pipe,
            check=True,
        )
        _dbt_parse(env_pipe)
        pipeline = _timed(
            [sys.executable, "-m", "dagster_project.run"],
            env_pipe,
            REPO,
        )

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
    return pipeline, ingest, dbt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="measure N times in a row (each ratio within its own pair of runs) and print "
        "the median ratio too; the machine is shared and noisy",
    )
    args = parser.parse_args(argv)
    ratios = []
    for i in range(args.repeat):
        pipeline, ingest, dbt = measure_once()
        floor = ingest + dbt
        ratios.append(pipeline / floor)
        if args.repeat > 1:
            print(f"-- run {i + 1} of {args.repeat}")
        print(f"pipeline (make run: every asset, checks, publish): {pipeline:6.1f} s")
        parts = f"ingest code directly {ingest:5.1f} s + dbt build alone {dbt:5.1f} s"
        print(f"floor: {parts} = {floor:5.1f} s")
        print(f"ratio pipeline / floor: {pipeline / floor:.2f}  (target <= 1.5)", flush=True)
    if args.repeat > 1:
        listed = ", ".join(f"{r:.2f}" for r in ratios)
        print(f"ratios: {listed}; median {statistics.median(ratios):.2f}  (target <= 1.5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
