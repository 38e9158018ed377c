"""The one settings resource: mode, paths, endpoints and the build database, decided once.

``PipelineSettings.from_env()`` reads the environment (README, "Configuration") when the
definitions load; a run, a test or the launchpad may override any path. Every asset asks this
resource for :class:`~dagster_project.settings.Settings`, and the definitions choose the
offline or live assets from the same object, so nothing decides the mode a second time.

While a run executes, the resource holds the warehouse's writer lock
(:mod:`dagster_project.writer_lock`): a second run that would write the same warehouse stops
at once, and a run killed earlier is marked failed and its leftovers (a dbt still holding the
build file, a half-written publish copy) are cleared.
"""

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg

from dagster_project.settings import Settings, load_settings, point_dbt_at_build_db
from dagster_project.writer_lock import hold_writer_lock


class PipelineSettings(dg.ConfigurableResource):
    """Where the pipeline reads and writes. Empty fields fall back to the environment."""

    mode: str = ""
    snapshot_dir: str = ""
    raw_dir: str = ""
    warehouse_dir: str = ""
    context_dir: str = ""

    @classmethod
    def from_env(cls) -> "PipelineSettings":
        s = load_settings()
        return cls(
            mode=s.mode,
            snapshot_dir=str(s.snapshot_dir),
            raw_dir=str(s.raw_dir),
            warehouse_dir=str(s.warehouse_dir),
            context_dir=str(s.context_dir),
        )

    def settings(self) -> Settings:
        """The typed settings: the environment's, with this resource's fields on top."""
        base = load_settings()
        overrides: dict[str, object] = {}
        if self.mode:
            if self.mode not in ("offline", "live"):
                raise ValueError(f"mode must be 'offline' or 'live', got {self.mode!r}")
            overrides["mode"] = self.mode
        for name in ("snapshot_dir", "raw_dir", "warehouse_dir", "context_dir"):
            value = getattr(self, name)
            if value:
                overrides[name] = Path(value)
        return dataclasses.replace(base, **overrides)  # type: ignore[arg-type]

    @property
    def live(self) -> bool:
        return self.settings().mode == "live"

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator["PipelineSettings"]:
        settings = self.settings()
        point_dbt_at_build_db(settings)
        run_id = context.run_id or "no-run"
        with hold_writer_lock(settings.writer_lock, run_id) as acquired:
            if acquired.stale is not None:
                _report_dead_run(context, acquired.stale.run_id, acquired.killed_children)
            yield self


def _report_dead_run(context: dg.InitResourceContext, run_id: str, killed: tuple[int, ...]) -> None:
    """A run that died holding the lock stays STARTED in the history: mark it failed."""
    log = context.log
    if log is not None:
        log.warning(
            f"previous writer run {run_id} ended without releasing the warehouse"
            + (f"; stopped its leftover processes {list(killed)}" if killed else "")
        )
    instance = context.instance
    if instance is None:
        return
    dead = instance.get_run_by_id(run_id)
    if dead is not None and dead.status in (
        dg.DagsterRunStatus.STARTED,
        dg.DagsterRunStatus.STARTING,
        dg.DagsterRunStatus.CANCELING,
    ):
        instance.report_run_failed(
            dead, "The run's process died while it held the warehouse (found by the next run)."
        )
