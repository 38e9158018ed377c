"""How the pipeline's cost grows with the universe (``make bench-scale``), on SYNTHETIC inputs.

For each scale factor (default 1, 10, 100) the synthetic universe of ``synthetic_universe.py``
is generated under ``/tmp/minerpivot-scale/<f>x/`` (outside the repository) and the real
pipeline runs on it the way the service (``make up``) runs it: a code server (``dagster api
grpc``) with the MINERPIVOT_* locations pointed there is started first, as the
service keeps one running, and each run is ``python -m dagster_project.run`` with
``MINERPIVOT_CODE_SERVER`` set (the launch reaches that server; the run worker starts from it,
as the schedules' runs do) and a DAGSTER_HOME of its own. Printed per factor:

- wall seconds per stage from the run's event log (step start/end): ingest = every step but
  dbt and publish, dbt = the dbt build step, publish = the publish step;
- CPU seconds of the whole run's process tree and dbt's own seconds in every model
  (run_results.json): on a shared machine wall times swing, these much less;
- peak memory (psutil, sampled every 0.1 s) of the run's processes, the resident code server
  included: the RSS sum (shared
  library pages counted once per process; the figure of the closing line), dbt's RSS, and
  the PSS sum (each page once);
- the published file's size;
- p50/p95 latency of the README's analyst queries (``Querying the warehouse`` and the sections
  after it) on the published file, read-only, 20 rounds after one warm-up.

At the largest factor it then appends one day to the market feeds and runs the ``nightly`` job
(``python -m dagster_project.run --job nightly``, what the nightly schedule runs: the feeds'
new days, the dbt models downstream of them with their tests, publish), then appends one more
day and runs it again launched cold (``*``: no code server running, so the launch starts one,
as a bare ``make run --job nightly`` does) for comparison. Then the growth
exponent per stage between the two largest factors, log(t_big/t_small) / log(input_big /
input_small) with input = bytes of generated input, and the final line ``scale <f>x: exponent
ingest=… dbt=… publish=…; peak_rss_mib=…; query_p95_ms=…; nightly_over_full=…`` where
nightly_over_full = the nightly run's whole wall time ÷ the full build's whole wall time
(command start to exit: launch, run worker start, ingest, dbt and publish), both launched
through the code server and measured in this run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic_universe

from dagster_project.processes import stop_group
from dagster_project.service import code_server_cmd, wait_for_port

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ROOT = Path("/tmp/minerpivot-scale")
DBT_STEP = "minerpivot_dbt_assets"
PUBLISH_STEP = "warehouse__published"


@dataclass
class RunFigures:
    wall: float
    stages: dict[str, float]
    peak_rss_mib: float
    peak_dbt_rss_mib: float
    peak_pss_mib: float
    cpu: float = 0.0
    dbt_models: float = 0.0  # sum of dbt's own execution times of every model
    dbt_daily_models: float = 0.0  # … of the incremental (daily) models
    published_bytes: int = 0
    query_ms: list[float] = field(default_factory=list)


def readme_queries(readme: Path = REPO / "README.md") -> list[str]:
    """The analyst queries of the README from ``## Querying the warehouse`` on."""
    text = readme.read_text(encoding="utf-8")
    text = text[text.index("## Querying the warehouse") :]
    queries = re.findall(r"```sql\n(.*?)```", text, flags=re.S)
    queries += re.findall(r'con\.sql\(\s*"""(.*?)"""', text, flags=re.S)
    queries += re.findall(r'minerpivot sql "(.*?)"', text)
    return [q.strip().rstrip(";") for q in queries]


def _run_processes(
    proc: psutil.Process,
    dagster_home: str,
    started: float,
    resident: psutil.Process | None = None,
) -> list[psutil.Process]:
    """The run's processes: ``proc`` and its descendants, plus every process started since
    ``started`` (epoch seconds) with the run's DAGSTER_HOME (the code server that ``dagster job
    launch`` starts spawns the run worker, which outlives the launcher and is no descendant of
    ours; dbt runs under the worker), plus ``resident`` (the running code server the run is
    launched from) and its descendants: it holds its memory during the run. A process left from
    an earlier run with the same DAGSTER_HOME is not this run's: counting it added its whole CPU
    time to the nightly's."""
    roots = [proc] + ([resident] if resident is not None else [])
    procs: dict[int, psutil.Process] = {}
    for root in roots:
        try:
            procs.update({p.pid: p for p in [root, *root.children(recursive=True)]})
        except psutil.NoSuchProcess:
            continue
    for p in psutil.process_iter():
        if p.pid in procs:
            continue
        try:
            if p.environ().get("DAGSTER_HOME") == dagster_home and p.create_time() >= started:
                procs[p.pid] = p
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    return list(procs.values())


def _tree_rss(
    proc: psutil.Process,
    cpu: dict[int, float],
    dagster_home: str,
    started: float,
    resident: psutil.Process | None = None,
) -> tuple[int, int, int]:
    """(RSS of the run's processes, RSS of the dbt processes among them, PSS of the run's
    processes), bytes; ``cpu`` gets each process's CPU seconds so far (user + system).

    The RSS sum counts the pages the processes share (the same Python, Polars and DuckDB
    libraries mapped by the code server, the run worker and dbt) once per process; the PSS
    (proportional set size) sum counts each page once: the memory the run really holds."""
    total = dbt = pss = 0
    for p in _run_processes(proc, dagster_home, started, resident):
        try:
            mem = p.memory_full_info()
            times = p.cpu_times()
            cpu[p.pid] = times.user + times.system
            total += mem.rss
            pss += mem.pss
            if any("dbt" in part for part in p.cmdline()[:2]):
                dbt += mem.rss
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    return total, dbt, pss


def run_pipeline(
    env: dict[str, str],
    log: Path,
    job: str = "build_warehouse",
    resident: psutil.Process | None = None,
) -> tuple[str, float, int, int, int, float]:
    """Run ``python -m dagster_project.run --job <job>``; returns (run id, wall s, peak tree
    RSS, peak dbt RSS, CPU seconds of the tree: less sensitive than wall time to the other
    users of the machine). ``resident``: the code server the run is launched from (its CPU
    before the run is not the run's)."""
    peaks = [0, 0, 0]
    cpu: dict[int, float] = {}
    before: dict[int, float] = {}
    if resident is not None:
        for p in [resident, *resident.children(recursive=True)]:
            times = p.cpu_times()
            before[p.pid] = times.user + times.system
    with log.open("w") as out:
        start = time.perf_counter()
        started = time.time() - 1.0  # process start times are rounded by the kernel's clock
        proc = subprocess.Popen(
            [sys.executable, "-m", "dagster_project.run", "--job", job],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        watched = psutil.Process(proc.pid)
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                total, dbt, pss = _tree_rss(watched, cpu, env["DAGSTER_HOME"], started, resident)
                peaks[0], peaks[1] = max(peaks[0], total), max(peaks[1], dbt)
                peaks[2] = max(peaks[2], pss)
                time.sleep(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = proc.wait()
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
    text = log.read_text()
    match = re.search(r"run ([0-9a-f-]{36}): success", text, flags=re.IGNORECASE)
    if code != 0 or not match:
        raise SystemExit(f"pipeline failed (exit {code}); log: {log}\n{text[-3000:]}")
    run_cpu = sum(cpu.values()) - sum(before.get(pid, 0.0) for pid in cpu)
    return match.group(1), wall, peaks[0], peaks[1], peaks[2], run_cpu


def stage_seconds(dagster_home: Path, run_id: str) -> dict[str, float]:
    import dagster as dg

    instance = dg.DagsterInstance.from_config(str(dagster_home))
    try:
        stats = instance.get_run_step_stats(run_id)
    finally:
        instance.dispose()
    stages = {"ingest": 0.0, "dbt": 0.0, "publish": 0.0}
    for s in stats:
        seconds = (s.end_time or 0) - (s.start_time or 0)
        if s.step_key == DBT_STEP:
            stages["dbt"] += seconds
        elif s.step_key == PUBLISH_STEP:
            stages["publish"] += seconds
        else:
            stages["ingest"] += seconds
    return stages


def query_latencies(published: Path, rounds: int = 20) -> list[float]:
    """Milliseconds per query execution (every README query, ``rounds`` times, after a warm-up)."""
    queries = readme_queries()
    out = []
    con = duckdb.connect(str(published), read_only=True)
    try:
        for q in queries:
            con.execute(q).fetchall()
        for _ in range(rounds):
            for q in queries:
                start = time.perf_counter()
                con.execute(q).fetchall()
                out.append((time.perf_counter() - start) * 1000)
    finally:
        con.close()
    return out


@contextlib.contextmanager
def code_server(env: dict[str, str], log: Path, port: int) -> Iterator[psutil.Process]:
    """The service's code server (``make up``: ``dagster api grpc``) with this
    factor's environment, until the block ends; runs launched with MINERPIVOT_CODE_SERVER
    start from it, as the schedules' runs do on the service."""
    with log.open("w") as out:
        proc = subprocess.Popen(
            code_server_cmd(port),
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        # A server that died on a port another program holds must not pass for listening.
        if not wait_for_port(port, 180) or proc.poll() is not None:
            raise SystemExit(f"code server did not start on port {port}; log: {log}")
        yield psutil.Process(proc.pid)
    finally:
        stop_group(proc.pid, grace=15.0)
        proc.wait()


def environment(out: Path) -> dict[str, str]:
    from dagster_project.instance import write_dagster_yaml

    home = out / "dagster_home"
    # The local instance of `make run` (runs start at once): Dagster's own default queues
    # them for a daemon that the benchmark does not start.
    write_dagster_yaml(home)
    return {
        **os.environ,
        "MINERPIVOT_MODE": "offline",
        "MINERPIVOT_SNAPSHOT_DIR": str(out / "snapshot"),
        "MINERPIVOT_RAW_DIR": str(out / "raw"),
        "MINERPIVOT_CONTEXT_DIR": str(out / "context"),
        "MINERPIVOT_WAREHOUSE_DIR": str(out / "warehouse"),
        "MINERPIVOT_BUILD_DB": str(out / "warehouse" / "build.duckdb"),
        "DAGSTER_HOME": str(home),
    }


def input_bytes(out: Path) -> int:
    return sum(
        p.stat().st_size for d in ("snapshot", "raw") for p in (out / d).rglob("*") if p.is_file()
    )


def dbt_model_seconds(target: Path) -> tuple[float, float]:
    """dbt's own execution seconds of every model and of the incremental ones (run_results
    of the latest build: dagster-dbt gives each invocation a folder of its own in ``target``)."""
    latest = max(target.rglob("run_results.json"), key=lambda p: p.stat().st_mtime)
    results = json.loads(latest.read_text())["results"]
    manifest_path = latest.parent / "manifest.json"
    if not manifest_path.is_file():
        manifest_path = target / "manifest.json"
    manifest = json.loads(manifest_path.read_text())["nodes"]
    models = [r for r in results if r["unique_id"].startswith("model.")]
    daily = [
        r
        for r in models
        if manifest.get(r["unique_id"], {}).get("config", {}).get("materialized") == "incremental"
    ]
    return sum(r["execution_time"] for r in models), sum(r["execution_time"] for r in daily)


def measure(
    out: Path,
    env: dict[str, str],
    label: str,
    job: str = "build_warehouse",
    resident: psutil.Process | None = None,
) -> RunFigures:
    run_id, wall, peak, peak_dbt, peak_pss, cpu = run_pipeline(
        env, out / f"run-{label}.log", job, resident
    )
    figures = RunFigures(
        wall=wall,
        stages=stage_seconds(Path(env["DAGSTER_HOME"]), run_id),
        peak_rss_mib=peak / 2**20,
        peak_dbt_rss_mib=peak_dbt / 2**20,
        peak_pss_mib=peak_pss / 2**20,
        cpu=cpu,
    )
    figures.dbt_models, figures.dbt_daily_models = dbt_model_seconds(Path(env["DBT_TARGET_PATH"]))
    published = out / "warehouse" / "minerpivot.duckdb"
    figures.published_bytes = published.stat().st_size
    figures.query_ms = query_latencies(published)
    return figures


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def _row(label: str, size: int, f: RunFigures) -> str:
    s = f.stages
    return (
        f"{label:>9} {size / 2**20:9.1f} {s['ingest']:8.1f} {s['dbt']:8.1f} {s['publish']:8.1f} "
        f"{f.wall:8.1f} {f.cpu:8.1f} {f.dbt_models:8.1f} {f.peak_rss_mib:9.0f} "
        f"{f.peak_dbt_rss_mib:8.0f} {f.peak_pss_mib:9.0f} "
        f"{f.published_bytes / 2**20:9.1f} {_pct(f.query_ms, 50):7.1f} {_pct(f.query_ms, 95):7.1f}"
    )


def exponent(t_small: float, t_big: float, n_small: float, n_big: float) -> float:
    return math.log(t_big / t_small) / math.log(n_big / n_small)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--factors", default="1,10,100", help="comma-separated scale factors")
    ap.add_argument("--keep", action="store_true", help="keep the generated folder afterwards")
    ap.add_argument("--root", type=Path, default=ROOT, help=f"where to generate (default {ROOT})")
    ap.add_argument(
        "--code-server-port", type=int, default=4277, help="loopback port of the code server"
    )
    args = ap.parse_args(argv)
    root: Path = args.root
    factors = sorted(int(f) for f in args.factors.split(","))
    # dbt parses into a target dir of its own (not the checkout's dbt/target).
    target = root / "dbt_target"
    results: dict[int, tuple[int, RunFigures]] = {}
    nightly: RunFigures | None = None
    cold: RunFigures | None = None
    header = (
        f"{'factor':>9} {'input_MiB':>9} {'ingest_s':>8} {'dbt_s':>8} {'publish_s':>8} "
        f"{'run_s':>8} {'cpu_s':>8} {'models_s':>8} {'rss_MiB':>9} {'dbt_MiB':>8} {'pss_MiB':>9} "
        f"{'pub_MiB':>9} {'q_p50':>7} {'q_p95':>7}"
    )
    lines = [header]
    try:
        for factor in factors:
            out = root / f"{factor}x"
            shutil.rmtree(out, ignore_errors=True)
            counts = synthetic_universe.generate(factor, out)
            env = {**environment(out), "DBT_TARGET_PATH": str(target)}
            subprocess.run(
                [str(BIN / "dbt"), "parse", "--quiet", "--profiles-dir", "."],
                cwd=REPO / "dbt",
                env=env,
                check=True,
            )
            size = input_bytes(out)
            print(f"-- {factor}x: {counts}", flush=True)
            with code_server(env, out / "code-server.log", args.code_server_port) as server:
                served = {**env, "MINERPIVOT_CODE_SERVER": f"127.0.0.1:{args.code_server_port}"}
                figures = measure(out, served, "full", resident=server)
                results[factor] = (size, figures)
                lines.append(_row(f"{factor}x", size, figures))
                print(lines[-1], flush=True)
                if factor == factors[-1]:
                    synthetic_universe.append_days(factor, out, 1)
                    nightly = measure(out, served, "nightly", job="nightly", resident=server)
                    lines.append(_row(f"{factor}x+1d", input_bytes(out), nightly))
                    print(lines[-1], flush=True)
            if factor == factors[-1]:
                # The same job launched the way a bare `make run --job nightly` does: the launch
                # starts a code server of its own, which loads the definitions once more.
                synthetic_universe.append_days(factor, out, 1)
                cold = measure(out, env, "nightly-cold", job="nightly")
                lines.append(_row(f"{factor}x+2d*", input_bytes(out), cold))
                print(lines[-1], flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    print()
    print("\n".join(lines))
    big = factors[-1]
    size_b, fig_b = results[big]
    if len(factors) > 1:
        small = factors[-2]
        size_s, fig_s = results[small]
        exps = {
            k: exponent(fig_s.stages[k], fig_b.stages[k], size_s, size_b)
            for k in ("ingest", "dbt", "publish")
        }
        print(
            f"growth {small}x -> {big}x: input x{size_b / size_s:.1f}; "
            + ", ".join(
                f"{k} x{fig_b.stages[k] / fig_s.stages[k]:.1f} (exponent {e:.2f})"
                for k, e in exps.items()
            )
        )
    else:
        exps = {k: float("nan") for k in ("ingest", "dbt", "publish")}
    assert nightly is not None and cold is not None
    ratio = nightly.wall / fig_b.wall
    steps_n, steps_f = sum(nightly.stages.values()), sum(fig_b.stages.values())
    print(
        f"nightly (+1 day) at {big}x: dbt's own time in the daily (incremental) models "
        f"{nightly.dbt_daily_models:.2f} s vs {fig_b.dbt_daily_models:.2f} s "
        f"({nightly.dbt_daily_models / fig_b.dbt_daily_models:.2f}); all models "
        f"{nightly.dbt_models:.1f} s vs {fig_b.dbt_models:.1f} s"
    )
    print(
        f"nightly (+1 day, job nightly) at {big}x: ingest {nightly.stages['ingest']:.1f} s vs "
        f"{fig_b.stages['ingest']:.1f} s, dbt step {nightly.stages['dbt']:.1f} s vs "
        f"{fig_b.stages['dbt']:.1f} s, publish {nightly.stages['publish']:.1f} s vs "
        f"{fig_b.stages['publish']:.1f} s; steps {steps_n:.1f} s vs {steps_f:.1f} s "
        f"({steps_n / steps_f:.2f}); whole run {nightly.wall:.1f} s vs {fig_b.wall:.1f} s "
        f"({ratio:.2f})"
    )
    print(
        f"nightly launched cold at {big}x (*: a launch that starts a code server of its own, "
        f"as a bare `make run --job nightly`): whole run {cold.wall:.1f} s "
        f"({cold.wall / fig_b.wall:.2f} of the full build through the code server); steps "
        f"{sum(cold.stages.values()):.1f} s"
    )
    peak = max(fig_b.peak_rss_mib, nightly.peak_rss_mib, cold.peak_rss_mib)
    print(
        f"memory at {big}x: peak of the run's processes summed, RSS {peak:.0f} MiB (shared "
        f"pages counted in each process), PSS "
        f"{max(fig_b.peak_pss_mib, nightly.peak_pss_mib, cold.peak_pss_mib):.0f} MiB (each "
        "page once)"
    )
    print(
        f"scale {big}x: exponent ingest={exps['ingest']:.2f} dbt={exps['dbt']:.2f} "
        f"publish={exps['publish']:.2f}; peak_rss_mib={peak:.0f}; "
        f"query_p95_ms={_pct(fig_b.query_ms, 95):.1f}; nightly_over_full={ratio:.2f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
