"""The service instance, in the shape ``make up`` runs it: one code server, a daemon reaching it
through a ``grpc_server`` workspace, PostgreSQL storage. A run launched by ``make run`` through
that code server is queued, taken by the daemon (one writer at a time), started from the code
server (no second load of the definitions), succeeds and publishes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import dagster as dg
import pytest

from dagster_project.instance import write_dagster_yaml
from dagster_project.service import (
    LOCATION,
    PG_DB,
    code_server_cmd,
    pg_port,
    pg_url,
    wait_for_port,
    write_workspace,
)
from dagster_project.settings import REPO_ROOT


def _psql(sql: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(pg_port()), "-U", "postgres", "-tAc", sql],
        capture_output=True,
        text=True,
    )


@pytest.fixture
def pg_database():
    """A fresh database on the service's PostgreSQL (``make test`` starts it)."""
    if _psql("select 1").returncode != 0:
        if os.environ.get("MINERPIVOT_REQUIRE_PG"):
            pytest.fail(f"PostgreSQL is not reachable at {pg_url()} (make postgres-up)")
        pytest.skip("PostgreSQL not running (make postgres-up)")
    name = f"minerpivot_test_{uuid.uuid4().hex[:8]}"
    assert _psql(f"create database {name}").returncode == 0
    yield pg_url().replace(f"/{PG_DB}", f"/{name}")
    _psql(f"drop database if exists {name} with (force)")


@pytest.mark.slow
def test_queued_run_on_postgres_succeeds_and_publishes(tmp_path: Path, pg_database: str):
    home = tmp_path / "home"
    yaml = write_dagster_yaml(home, pg_url=pg_database).read_text()
    assert "QueuedRunCoordinator" in yaml and "max_concurrent_runs: 1" in yaml
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "MINERPIVOT_WAREHOUSE_DIR": str(tmp_path / "warehouse"),
    }
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    workspace = write_workspace(tmp_path / "workspace.yaml", port)
    assert "grpc_server" in workspace.read_text()
    started = [
        subprocess.Popen(
            cmd,
            cwd=REPO_ROOT,
            env=env,
            stdout=(tmp_path / f"{name}.log").open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for name, cmd in (
            ("code-server", code_server_cmd(port)),
            (
                "daemon",
                [
                    str(Path(sys.executable).parent / "dagster-daemon"),
                    "run",
                    "-w",
                    str(workspace),
                ],
            ),
        )
    ]
    try:
        assert wait_for_port(port, 120), (tmp_path / "code-server.log").read_text()[-2000:]
        done = subprocess.run(
            [sys.executable, "-m", "dagster_project.run"],
            cwd=REPO_ROOT,
            env={**env, "MINERPIVOT_CODE_SERVER": f"127.0.0.1:{port}"},
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
        last = done.stdout.strip().splitlines()[-1]
        run_id = last.split()[1].rstrip(":")
        instance = dg.DagsterInstance.from_config(str(home))
        try:
            assert "Postgres" in instance.get_ref().run_storage_data.class_name
            run = instance.get_run_by_id(run_id)
            assert run.status == dg.DagsterRunStatus.SUCCESS
            origin = run.remote_job_origin
            assert origin.location_name == LOCATION
            # Launched from the running code server, not from one the command started.
            assert origin.repository_origin.code_location_origin.port == port
            kinds = {
                r.event_log_entry.dagster_event.event_type
                for r in instance.get_records_for_run(run_id).records
                if r.event_log_entry.dagster_event
            }
            # Queued by `make run`, taken off the queue by the daemon.
            assert dg.DagsterEventType.RUN_ENQUEUED in kinds
            assert dg.DagsterEventType.RUN_STARTING in kinds
        finally:
            instance.dispose()
        assert (tmp_path / "warehouse" / "minerpivot.duckdb").exists()
    finally:
        for proc in reversed(started):
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        time.sleep(0.5)
