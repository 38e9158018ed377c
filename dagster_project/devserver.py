"""Run ``dagster dev`` so that Ctrl-C, SIGINT or SIGTERM stop it cleanly, even in the background.

A shell that starts a job in the background hands it SIGINT/SIGTERM set to "ignore", and
``dagster dev`` inherits that and will not stop. This wrapper starts it with default handlers
and turns SIGTERM into the SIGINT that ``dagster dev`` shuts down on.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from types import FrameType

from dagster_project.processes import stop_group


def _reset_signals() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    dagster = str(Path(sys.executable).parent / "dagster")
    port = os.environ.get("MINERPIVOT_DEV_PORT", "3000")
    cmd = [dagster, "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", port, *args]
    # Its own process group, so that the code server and daemon it spawns can be stopped too.
    # dbt beside this Python on PATH: DbtProject.prepare_if_dev() runs `dbt parse` by name.
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    child = subprocess.Popen(cmd, preexec_fn=_reset_signals, process_group=0, env=env)

    def forward(signum: int, frame: FrameType | None) -> None:
        if child.poll() is None:
            child.send_signal(signal.SIGINT)

    signal.signal(signal.SIGINT, forward)
    signal.signal(signal.SIGTERM, forward)
    try:
        code = child.wait()
    except KeyboardInterrupt:
        code = child.wait()
    stop_group(child.pid)
    return 0 if code in (0, -signal.SIGINT, 130) else code


if __name__ == "__main__":
    os.environ.setdefault("DAGSTER_HOME", str(Path.cwd() / ".dagster_home"))
    raise SystemExit(main())
