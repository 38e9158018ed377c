"""``make up`` / ``make down``: the warehouse as a local service on a PostgreSQL instance.

``up`` initialises a PostgreSQL cluster in ``.service/pg`` (git-ignored) with the machine's
PostgreSQL ``initdb``/``pg_ctl`` (Debian package ``postgresql``, installed when absent and
this runs as root), starts it on 127.0.0.1, creates the Dagster database, writes
``.service/dagster_home/dagster.yaml`` (PostgreSQL run, event-log and schedule storage; queued
runs, one warehouse writer at a time; run monitoring) and starts ``dagster-daemon`` and
``dagster-webserver``. ``down`` stops them all by the PIDs recorded in ``.service/pids/`` and
stops PostgreSQL. ``status`` says what runs.

PostgreSQL refuses to run as root: when this runs as root, the cluster belongs to the
``postgres`` system user and its commands run through ``runuser``.

One code server (``dagster api grpc``, loopback, as the Helm chart's user deployments run it)
loads the definitions for the whole
service; the daemon and the webserver reach it through ``.service/workspace.yaml`` (a
``grpc_server`` entry) instead of each starting a code server of its own, and every run the
service launches starts from it. ``MINERPIVOT_CODE_SERVER=127.0.0.1:<port> make run`` launches
through it too. After a code change: ``make down && make up`` (the server does not reload code).
"""

from __future__ import annotations

import argparse
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dagster_project.processes import pid_alive, stop_group
from dagster_project.settings import REPO_ROOT

PG_DB = "minerpivot_dagster"


@dataclass(frozen=True)
class ServicePaths:
    root: Path

    @property
    def pgdata(self) -> Path:
        return self.root / "pg" / "data"

    @property
    def pgsock(self) -> Path:
        return self.root / "pg" / "run"

    @property
    def pglog(self) -> Path:
        # Inside the cluster folder: the postgres user must be able to write it.
        return self.root / "pg" / "postgresql.log"

    @property
    def home(self) -> Path:
        return self.root / "dagster_home"

    @property
    def pids(self) -> Path:
        return self.root / "pids"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def workspace(self) -> Path:
        return self.root / "workspace.yaml"


def _service_root() -> Path:
    return Path(os.environ.get("MINERPIVOT_SERVICE_DIR") or REPO_ROOT / ".service").resolve()


def pg_port() -> int:
    return int(os.environ.get("MINERPIVOT_PG_PORT", "54329"))


def web_port() -> int:
    return int(os.environ.get("MINERPIVOT_WEB_PORT", "3000"))


def code_server_port() -> int:
    return int(os.environ.get("MINERPIVOT_CODE_SERVER_PORT", "4266"))


#: The code location's name (as in the repository's ``workspace.yaml``).
LOCATION = "minerpivot"
#: What ``up`` starts, in order; ``down`` stops them in reverse.
PROCESSES = ("dagster-code-server", "dagster-daemon", "dagster-webserver")


def pg_url() -> str:
    return f"postgresql://postgres@127.0.0.1:{pg_port()}/{PG_DB}"


def pg_bin(name: str) -> str:
    """Path of a PostgreSQL server program (PATH, else Debian's versioned folder)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    if candidates:
        return candidates[0]
    raise FileNotFoundError(name)


def ensure_postgres_installed() -> None:
    """Install Debian's ``postgresql`` when ``initdb`` is missing (root only)."""
    try:
        pg_bin("initdb")
        return
    except FileNotFoundError:
        pass
    if os.geteuid() != 0:
        raise SystemExit(
            "PostgreSQL's initdb/pg_ctl not found: install the Debian package 'postgresql' "
            "(sudo apt-get install -y postgresql) and run make up again"
        )
    print("installing PostgreSQL (apt-get install postgresql)...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "postgresql"], check=True, env=env)


def _as_pg_user(cmd: list[str]) -> list[str]:
    """Run ``cmd`` as the ``postgres`` user when we are root (PostgreSQL refuses root)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def _chown_to_pg(path: Path) -> None:
    if os.geteuid() != 0:
        return
    user = pwd.getpwnam("postgres")
    for p in [path, *path.rglob("*")]:
        os.chown(p, user.pw_uid, user.pw_gid)


def _pg_user_can_reach(path: Path) -> bool:
    if os.geteuid() != 0:
        return True
    done = subprocess.run(["runuser", "-u", "postgres", "--", "test", "-x", str(path)])
    return done.returncode == 0


def _place_cluster(paths: ServicePaths) -> None:
    """Keep the cluster in .service/pg, or behind that link when the postgres user (root runs)
    cannot reach the checkout (e.g. a clone under /root): then it lives in /var/tmp."""
    link = paths.root / "pg"
    if link.exists() or link.is_symlink():
        return
    paths.root.mkdir(parents=True, exist_ok=True)
    if _pg_user_can_reach(paths.root):
        link.mkdir()
        return
    import hashlib

    digest = hashlib.sha1(str(paths.root).encode()).hexdigest()[:10]
    target = Path("/var/tmp") / f"minerpivot-pg-{digest}"
    target.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target, target_is_directory=True)


def start_postgres(paths: ServicePaths) -> None:
    """initdb once, then start the cluster on 127.0.0.1 and create the Dagster database."""
    ensure_postgres_installed()
    _place_cluster(paths)
    paths.logs.mkdir(parents=True, exist_ok=True)
    paths.pgsock.mkdir(parents=True, exist_ok=True)
    if not (paths.pgdata / "PG_VERSION").exists():
        paths.pgdata.mkdir(parents=True, exist_ok=True)
        _chown_to_pg(paths.root / "pg")
        subprocess.run(
            _as_pg_user(
                [
                    pg_bin("initdb"),
                    "-D",
                    str(paths.pgdata),
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "--no-instructions",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    _chown_to_pg(paths.root / "pg")
    if _pg_running(paths):
        return
    options = f"-p {pg_port()} -k {paths.pgsock} -c listen_addresses=127.0.0.1"
    subprocess.run(
        _as_pg_user(
            [
                pg_bin("pg_ctl"),
                "-D",
                str(paths.pgdata),
                "-o",
                options,
                "-l",
                str(paths.pglog),
                "-w",
                "-t",
                "60",
                "start",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    _create_database(paths)


def _pg_running(paths: ServicePaths) -> bool:
    if not (paths.pgdata / "PG_VERSION").exists():
        return False
    done = subprocess.run(
        _as_pg_user([pg_bin("pg_ctl"), "-D", str(paths.pgdata), "status"]),
        capture_output=True,
    )
    return done.returncode == 0


def _create_database(paths: ServicePaths) -> None:
    psql = shutil.which("psql") or pg_bin("psql")
    base = [psql, "-h", "127.0.0.1", "-p", str(pg_port()), "-U", "postgres", "-tAc"]
    exists = subprocess.run(
        [*base, f"select 1 from pg_database where datname = '{PG_DB}'"],
        capture_output=True,
        text=True,
        check=True,
    )
    if exists.stdout.strip() != "1":
        subprocess.run([*base, f"create database {PG_DB}"], check=True, capture_output=True)


def stop_postgres(paths: ServicePaths) -> None:
    if _pg_running(paths):
        subprocess.run(
            _as_pg_user([pg_bin("pg_ctl"), "-D", str(paths.pgdata), "-m", "fast", "-w", "stop"]),
            check=True,
            stdout=subprocess.DEVNULL,
        )


def _reset_signals() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _running_pid(paths: ServicePaths, name: str) -> int | None:
    """The PID recorded for ``name`` in ``.service/pids/`` if that process still runs."""
    pidfile = paths.pids / f"{name}.pid"
    pid = int(pidfile.read_text()) if pidfile.exists() else None
    return pid if pid is not None and pid_alive(pid) else None


def _start(paths: ServicePaths, name: str, cmd: list[str]) -> int:
    running = _running_pid(paths, name)
    if running is not None:
        return running
    pidfile = paths.pids / f"{name}.pid"
    paths.pids.mkdir(parents=True, exist_ok=True)
    paths.logs.mkdir(parents=True, exist_ok=True)
    log = (paths.logs / f"{name}.log").open("ab")
    env = {
        **os.environ,
        "DAGSTER_HOME": str(paths.home),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    proc = subprocess.Popen(
        cmd,
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        preexec_fn=_reset_signals,
        start_new_session=True,  # its own group, so `down` stops its code servers too
    )
    pidfile.write_text(str(proc.pid))
    return proc.pid


def _until(ready: Callable[[], bool], timeout: float, pause: float) -> bool:
    """True as soon as ``ready()`` is; False once ``timeout`` seconds have passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return True
        time.sleep(pause)
    return False


def _wait_http(url: str, timeout: float) -> bool:
    def answers() -> bool:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    return _until(answers, timeout, 0.5)


def code_server_cmd(port: int) -> list[str]:
    """``dagster api grpc`` serving the definitions on loopback ``port`` (it listens once they
    are loaded). Not ``dagster code-server start``: that adds a ~100 MiB proxy process, for
    reloading code in place, which a service restarted on deploy does not need."""
    return [
        str(Path(sys.executable).parent / "dagster"),
        "api",
        "grpc",
        "-m",
        "dagster_project.definitions",
        "-d",
        str(REPO_ROOT),
        "--location-name",
        LOCATION,
        "-h",
        "127.0.0.1",
        "-p",
        str(port),
    ]


def write_workspace(path: Path, port: int, host: str | None = None) -> Path:
    """A workspace file that reaches the running code server instead of starting one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "# Written by `make up` (dagster_project/service.py): the service's one code server.\n"
        "load_from:\n"
        "  - grpc_server:\n"
        f"      host: {host or '127.0.0.1'}\n"
        f"      port: {port}\n"
        f"      location_name: {LOCATION}\n"
    )
    return path


def wait_for_port(port: int, timeout: float) -> bool:
    """True once something accepts TCP connections on 127.0.0.1:``port``."""

    def accepts() -> bool:
        with socket.socket() as sock:
            sock.settimeout(1.0)
            return sock.connect_ex(("127.0.0.1", port)) == 0

    return _until(accepts, timeout, 0.3)


def start_code_server(paths: ServicePaths, port: int, timeout: float = 120) -> int:
    """Start the service's code server (or keep the running one); its PID once it listens.

    A port another program holds is refused at once: otherwise the daemon and the webserver
    would talk to that program."""
    if _running_pid(paths, "dagster-code-server") is None and wait_for_port(port, 0.5):
        raise SystemExit(
            f"port {port} is already taken by another program; set MINERPIVOT_CODE_SERVER_PORT"
        )
    pid = _start(paths, "dagster-code-server", code_server_cmd(port))
    log = paths.logs / "dagster-code-server.log"
    if not wait_for_port(port, timeout) or not pid_alive(pid):
        raise SystemExit(f"the code server did not listen on port {port}; see {log}")
    return pid


def up(paths: ServicePaths, *, wait: bool = True) -> None:
    from dagster_project.instance import write_dagster_yaml

    start_postgres(paths)
    write_dagster_yaml(paths.home, pg_url=pg_url())
    bin_dir = Path(sys.executable).parent
    port = code_server_port()
    code_server = start_code_server(paths, port)
    workspace = str(write_workspace(paths.workspace, port))
    daemon = _start(
        paths, "dagster-daemon", [str(bin_dir / "dagster-daemon"), "run", "-w", workspace]
    )
    web = _start(
        paths,
        "dagster-webserver",
        [
            str(bin_dir / "dagster-webserver"),
            "-w",
            workspace,
            "-h",
            "127.0.0.1",
            "-p",
            str(web_port()),
        ],
    )
    print(f"PostgreSQL  {pg_url()}  (data {paths.pgdata})")
    print(f"code server pid {code_server}  MINERPIVOT_CODE_SERVER=127.0.0.1:{port}")
    print(f"daemon      pid {daemon}  (log {paths.logs / 'dagster-daemon.log'})")
    print(f"webserver   pid {web}  http://127.0.0.1:{web_port()}")
    print(f"DAGSTER_HOME={paths.home}")
    if wait and not _wait_http(f"http://127.0.0.1:{web_port()}/server_info", 120):
        raise SystemExit(
            f"the webserver did not answer; see {paths.logs / 'dagster-webserver.log'}"
        )


def down(paths: ServicePaths) -> None:
    for name in reversed(PROCESSES):
        pidfile = paths.pids / f"{name}.pid"
        if pidfile.exists():
            pid = int(pidfile.read_text())
            stop_group(pid, grace=15.0)
            pidfile.unlink()
            print(f"stopped {name} (pid {pid})")
    stop_postgres(paths)
    print("stopped PostgreSQL")


def status(paths: ServicePaths) -> int:
    running = 0
    for name in PROCESSES:
        pid = _running_pid(paths, name)
        running += pid is not None
        print(f"{name:18} {'running, pid ' + str(pid) if pid is not None else 'stopped'}")
    pg = _pg_running(paths)
    print(f"{'postgresql':18} {'running, ' + pg_url() if pg else 'stopped'}")
    return 0 if running == len(PROCESSES) and pg else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dagster_project.service")
    parser.add_argument("action", choices=("up", "down", "status", "postgres-up"))
    args = parser.parse_args(argv)
    paths = ServicePaths(_service_root())
    if args.action == "up":
        up(paths)
    elif args.action == "postgres-up":
        start_postgres(paths)
        print(pg_url())
    elif args.action == "down":
        down(paths)
    else:
        return status(paths)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
