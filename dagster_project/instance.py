"""The two Dagster instances this project runs on, as ``dagster.yaml`` files.

Plain configuration of Dagster's own classes, nothing subclassed:

* **local** (``make run``, ``make dev``, tests): Dagster's default SQLite storage in
  ``$DAGSTER_HOME``; runs are launched at once (``DefaultRunCoordinator``), since no daemon
  is needed to run one job from the shell. Under ``make dev`` the daemon that ``dagster dev``
  starts evaluates the schedule and sensors.
* **service** (``make up``): PostgreSQL run, event-log and schedule storage; a
  ``QueuedRunCoordinator`` that lets one run at a time in (every run writes the warehouse;
  the ``minerpivot/writer`` tag limit says so explicitly), run monitoring that marks runs whose
  process died as failed, and run retries off (a failed build is fixed, not repeated).

``python -m dagster_project.instance local HOME`` or ``service HOME --pg-url URL`` writes one.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from urllib.parse import urlparse

HEADER = "# Written by `python -m dagster_project.instance`; edits are overwritten.\n"

#: Tag every warehouse-writing run carries; the service queue admits one such run at a time.
WRITER_TAG = ("minerpivot/writer", "warehouse")


def local_yaml() -> str:
    """Local instance: SQLite in DAGSTER_HOME, runs launched immediately, telemetry off."""
    return (
        HEADER
        + "telemetry:\n  enabled: false\n"
        + "nux:\n  enabled: false\n"
        + "run_coordinator:\n"
        + "  module: dagster.core.run_coordinator\n"
        + "  class: DefaultRunCoordinator\n"
        + "run_monitoring:\n  enabled: true\n  poll_interval_seconds: 30\n"
    )


def service_yaml(pg_url: str) -> str:
    """Service instance on PostgreSQL (``postgresql://user@host:port/db``)."""
    url = urlparse(pg_url)
    if url.scheme not in ("postgresql", "postgres") or not url.path.strip("/"):
        raise ValueError(f"--pg-url must look like postgresql://user@host:port/db, got {pg_url!r}")
    key, value = WRITER_TAG
    password = f"\n      password: {url.password}" if url.password else ""
    return (
        HEADER
        + "telemetry:\n  enabled: false\n"
        + "nux:\n  enabled: false\n"
        + "storage:\n"
        + "  postgres:\n"
        + "    postgres_db:\n"
        + f"      username: {url.username or 'postgres'}{password}\n"
        + f"      hostname: {url.hostname or 'localhost'}\n"
        + f"      port: {url.port or 5432}\n"
        + f"      db_name: {url.path.strip('/')}\n"
        # SQLAlchemy 2.1 maps a bare postgresql:// to psycopg 3; dagster-postgres ships psycopg2.
        + "      scheme: postgresql+psycopg2\n"
        + "run_coordinator:\n"
        + "  module: dagster.core.run_coordinator\n"
        + "  class: QueuedRunCoordinator\n"
        + "concurrency:\n"
        + "  runs:\n"
        + "    max_concurrent_runs: 1\n"
        + "    tag_concurrency_limits:\n"
        + f"      - key: {key}\n        value: {value}\n        limit: 1\n"
        + "run_monitoring:\n"
        + "  enabled: true\n"
        + "  start_timeout_seconds: 180\n"
        + "  poll_interval_seconds: 30\n"
        + "run_retries:\n  enabled: false\n"
    )


def write_dagster_yaml(home: Path, *, pg_url: str | None = None) -> Path:
    """Write ``home/dagster.yaml`` (service when ``pg_url`` is given, else local)."""
    home.mkdir(parents=True, exist_ok=True)
    path = home / "dagster.yaml"
    text = service_yaml(pg_url) if pg_url else local_yaml()
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dagster_project.instance")
    parser.add_argument("kind", choices=("local", "service"))
    parser.add_argument("home", nargs="?", default=os.environ.get("DAGSTER_HOME"))
    parser.add_argument("--pg-url", default=None)
    args = parser.parse_args(argv)
    if not args.home:
        parser.error("give DAGSTER_HOME as an argument or in the environment")
    if args.kind == "service" and not args.pg_url:
        parser.error("service needs --pg-url postgresql://user@host:port/db")
    print(
        write_dagster_yaml(Path(args.home), pg_url=args.pg_url if args.kind == "service" else None)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
