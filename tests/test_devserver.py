"""`make dev`'s wrapper: the UI comes up; SIGTERM stops everything, even in a background job."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from dagster_project.instance import write_dagster_yaml
from dagster_project.settings import REPO_ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ignore_like_a_background_job() -> None:
    # A shell's background job starts with SIGINT ignored; dagster dev would inherit that.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.setsid()


@pytest.mark.slow
def test_dev_server_serves_and_stops_on_sigterm(tmp_path):
    port = _free_port()
    env = {**os.environ, "MINERPIVOT_DEV_PORT": str(port), "DAGSTER_HOME": str(tmp_path)}
    write_dagster_yaml(tmp_path)  # as the make targets do: the local instance
    proc = subprocess.Popen(
        [sys.executable, "-m", "dagster_project.devserver"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=_ignore_like_a_background_job,
    )
    try:
        deadline = time.time() + 150
        up = False
        while time.time() < deadline and not up:
            time.sleep(2)
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2) as r:
                    up = r.status == 200
            except OSError:
                pass
        assert up, "dagster dev did not answer within 150 s"
        # The webserver runs on the instance dagster.yaml describes.
        query = json.dumps({"query": "{ instance { info } }"}).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/graphql",
            data=query,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as r:
            info = json.loads(r.read())["data"]["instance"]["info"]
        assert "nux:\n  enabled: false" in info  # our dagster.yaml, not a default instance
        # What a new user saw in the browser: the nightly schedule must say RUNNING.
        query = json.dumps(
            {
                "query": """{ schedulesOrError(repositorySelector: {
                    repositoryName: "__repository__", repositoryLocationName: "minerpivot"}) {
                    ... on Schedules { results { name scheduleState { status } } } } }"""
            }
        ).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/graphql",
            data=query,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as r:
            schedules = json.loads(r.read())["data"]["schedulesOrError"]["results"]
        assert {s["name"]: s["scheduleState"]["status"] for s in schedules} == {
            "nightly_build": "RUNNING",
            "weekly_full_build": "RUNNING",
        }
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
        time.sleep(1)
        leftovers = subprocess.run(
            ["pgrep", "-s", str(proc.pid)], capture_output=True, text=True
        ).stdout.split()
        described = (
            subprocess.run(
                ["ps", "-o", "pid,pgid,stat,args", "-p", ",".join(leftovers) or "1"],
                capture_output=True,
                text=True,
            ).stdout
            if leftovers
            else ""
        )
        assert leftovers == [], f"processes left in the session: {described}"
    finally:
        # Whatever failed above, leave nothing of the session behind (dagster dev runs in a
        # process group of its own inside the wrapper's session).
        left = subprocess.run(["pgrep", "-s", str(proc.pid)], capture_output=True, text=True)
        for pid in left.stdout.split():
            try:
                os.kill(int(pid), signal.SIGKILL)
            except ProcessLookupError:
                pass
