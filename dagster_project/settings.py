"""Typed settings read from environment variables (documented in README.md).

Plain Python: no Dagster import, so the core and the CLI can use it too.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

REPO_ROOT = Path(__file__).resolve().parent.parent

Mode = Literal["offline", "live"]

SEC_DATA_BASE = "https://data.sec.gov"
SEC_WWW_BASE = "https://www.sec.gov"
ENDPOINT_PREFIX = "MINERPIVOT_ENDPOINT_"


class SettingsError(RuntimeError):
    """A setting is missing or invalid; the message names the variable."""


def display_path(path: Path) -> str:
    """How messages name a file: relative to the repository when inside it, else absolute.

    So a message says ``data/raw/reference/miners.csv`` for the committed file and the real
    location when ``MINERPIVOT_RAW_DIR`` points elsewhere.
    """
    try:
        return str(Path(path).resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(Path(path).resolve())


def _positive_number(env: str, default: float) -> float:
    raw = os.environ.get(env, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{env} must be a number, got {raw!r}") from None
    if not value > 0:
        raise SettingsError(f"{env} must be > 0, got {raw!r}")
    return value


def http_retry_budget_s() -> float:
    """Seconds a host may keep failing before its requests give up (MINERPIVOT_HTTP_RETRY_BUDGET_S).

    Default 60 s: a host that cannot be resolved or reached fails its feed within a minute.
    """
    return _positive_number("MINERPIVOT_HTTP_RETRY_BUDGET_S", 60.0)


def press_max_bytes() -> int:
    """Largest press document accepted, in bytes (MINERPIVOT_PRESS_MAX_BYTES, default 2 MB)."""
    return int(_positive_number("MINERPIVOT_PRESS_MAX_BYTES", 2_000_000))


def _path(env: str, default: Path) -> Path:
    raw = os.environ.get(env)
    path = Path(raw).expanduser() if raw else default
    if not path.is_absolute():
        path = (REPO_ROOT / path).resolve()
    return path


@dataclass(frozen=True)
class Settings:
    """Every knob of the pipeline; build with :func:`load_settings`."""

    mode: Mode
    snapshot_dir: Path
    raw_dir: Path
    warehouse_dir: Path
    context_dir: Path
    sec_user_agent: str | None
    http_user_agent: str
    cryptocompare_api_key: str | None
    #: ``MINERPIVOT_ENDPOINT_<NAME>`` overrides of the market APIs' base URLs (tests, proxies).
    market_endpoints: Mapping[str, str] = field(default_factory=dict)
    #: SEC EDGAR hosts (``MINERPIVOT_SEC_DATA_BASE`` / ``MINERPIVOT_SEC_WWW_BASE``).
    sec_data_base: str = SEC_DATA_BASE
    sec_www_base: str = SEC_WWW_BASE
    #: Where run-failure and freshness alerts are POSTed (``MINERPIVOT_ALERT_WEBHOOK_URL``).
    alert_webhook_url: str | None = None

    @property
    def landing_dir(self) -> Path:
        """Immutable landing zone for raw live responses."""
        return self.raw_dir / "landing"

    @property
    def build_db(self) -> Path:
        """The only file the pipeline writes to (dbt's profile reads it as MINERPIVOT_BUILD_DB)."""
        return self.warehouse_dir / "build.duckdb"

    @property
    def writer_lock(self) -> Path:
        """Held (flock) by the one run that writes the warehouse; the OS frees it on death."""
        return self.warehouse_dir / ".writer.lock"

    def dbt_env(self) -> dict[str, str]:
        """The environment dbt needs to open this build file (see ``point_dbt_at_build_db``)."""
        return {BUILD_DB_ENV: str(self.build_db)}

    @property
    def published_db(self) -> Path:
        """The read-only copy analysts open; replaced atomically after a good run."""
        return self.warehouse_dir / "minerpivot.duckdb"

    def snapshot_file(self, relative: str) -> Path:
        """Path of a file in the offline snapshot, or a clear error naming it."""
        if not self.snapshot_dir.is_dir():
            raise SettingsError(
                f"snapshot directory {self.snapshot_dir} does not exist; set "
                "MINERPIVOT_SNAPSHOT_DIR to the folder holding market/ and facts/"
            )
        path = self.snapshot_dir / relative
        if not path.is_file():
            raise SettingsError(
                f"snapshot file {path} is missing (MINERPIVOT_SNAPSHOT_DIR={self.snapshot_dir})"
            )
        return path

    def require_sec_user_agent(self) -> str:
        """SEC fair access needs a User-Agent with a contact e-mail in live mode."""
        ua = (self.sec_user_agent or "").strip()
        if "@" not in ua:
            raise SettingsError(
                "MINERPIVOT_SEC_USER_AGENT must name you and a contact e-mail, e.g. "
                "'minerpivot research ops@example.org' (SEC fair-access policy)"
            )
        return ua


def load_settings() -> Settings:
    """Read settings from the environment, with the offline defaults."""
    mode = os.environ.get("MINERPIVOT_MODE", "offline").strip().lower()
    if mode not in ("offline", "live"):
        raise SettingsError(f"MINERPIVOT_MODE must be 'offline' or 'live', got {mode!r}")
    return Settings(
        mode=mode,  # type: ignore[arg-type]
        snapshot_dir=_path("MINERPIVOT_SNAPSHOT_DIR", REPO_ROOT.parent / "shared" / "data"),
        raw_dir=_path("MINERPIVOT_RAW_DIR", REPO_ROOT / "data" / "raw"),
        warehouse_dir=_path("MINERPIVOT_WAREHOUSE_DIR", REPO_ROOT / "data" / "warehouse"),
        context_dir=_path("MINERPIVOT_CONTEXT_DIR", REPO_ROOT.parent / "shared" / "context"),
        sec_user_agent=os.environ.get("MINERPIVOT_SEC_USER_AGENT"),
        http_user_agent=os.environ.get(
            "MINERPIVOT_HTTP_USER_AGENT",
            "minerpivot/0.1 (+https://github.com/minerpivot; data pipeline research)",
        ),
        cryptocompare_api_key=os.environ.get("MINERPIVOT_CRYPTOCOMPARE_API_KEY"),
        market_endpoints={
            name[len(ENDPOINT_PREFIX) :].lower(): value.strip()
            for name, value in os.environ.items()
            if name.startswith(ENDPOINT_PREFIX) and value.strip()
        },
        sec_data_base=os.environ.get("MINERPIVOT_SEC_DATA_BASE", "").strip() or SEC_DATA_BASE,
        sec_www_base=os.environ.get("MINERPIVOT_SEC_WWW_BASE", "").strip() or SEC_WWW_BASE,
        alert_webhook_url=os.environ.get("MINERPIVOT_ALERT_WEBHOOK_URL", "").strip() or None,
    )


#: dbt's profile (dbt/profiles.yml) opens the file this variable names.
BUILD_DB_ENV = "MINERPIVOT_BUILD_DB"


def point_dbt_at_build_db(settings: Settings) -> None:
    """Make dbt subprocesses (and ``dbt parse``) open ``settings.build_db``.

    The one place the variable is set. dbt reads its profile from the environment, and
    dagster-dbt passes this process's environment to every dbt command; the value must be the
    same when the project is parsed and when it is built, or dbt re-parses the whole project
    ("profile has changed", ~5 s here).
    """
    os.environ[BUILD_DB_ENV] = str(settings.build_db)
