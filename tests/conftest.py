"""Shared fixtures: the real snapshot, temp warehouses and one full offline pipeline run
(a session fixture reused by the pipeline, press and economics tests)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest
from dagster_dbt import DbtCliResource

from dagster_project.dbt_project import dbt_executable, dbt_project
from dagster_project.defs.resources import PipelineSettings
from dagster_project.settings import REPO_ROOT, load_settings

os.environ.setdefault("DAGSTER_HOME", str(REPO_ROOT / ".dagster_home"))
Path(os.environ["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="session")
def snapshot_dir() -> Path:
    """The real offline snapshot (../shared/data by default)."""
    path = load_settings().snapshot_dir
    if not (path / "market").is_dir():
        pytest.fail(f"offline snapshot not found at {path}; set MINERPIVOT_SNAPSHOT_DIR")
    return path


@dataclass
class PipelineRun:
    result: dg.ExecuteInProcessResult
    settings: PipelineSettings
    warehouse_dir: Path


def all_assets() -> list[dg.AssetsDefinition]:
    from dagster_project.definitions import build_definitions

    defs = build_definitions()
    return list(defs.assets)  # type: ignore[arg-type]


def run_pipeline(
    warehouse_dir: Path,
    snapshot_dir: Path,
    *,
    run_config: dict | None = None,
    selection: str | None = None,
) -> PipelineRun:
    settings = PipelineSettings(
        mode="offline", snapshot_dir=str(snapshot_dir), warehouse_dir=str(warehouse_dir)
    )
    result = dg.materialize(
        all_assets(),
        resources={
            "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable()),
            "pipeline": settings,
        },
        run_config=run_config,
        selection=selection,
        raise_on_error=False,
    )
    return PipelineRun(result=result, settings=settings, warehouse_dir=warehouse_dir)


@pytest.fixture(scope="session")
def pipeline_run(tmp_path_factory: pytest.TempPathFactory, snapshot_dir: Path) -> PipelineRun:
    """The whole graph on the real snapshot, published into a temp warehouse (~20 s)."""
    run = run_pipeline(tmp_path_factory.mktemp("warehouse"), snapshot_dir)
    assert run.result.success, "full offline materialization failed"
    return run


@pytest.fixture(scope="session")
def pipeline_runner():
    """``run_pipeline(warehouse_dir, snapshot_dir, run_config=..., selection=...)``."""
    return run_pipeline


def _histoday(days: list[dt.date]) -> dict:
    """A CryptoCompare histoday body in the documented shape (values made up for the test)."""
    rows = []
    for i, day in enumerate(days):
        ts = int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())
        base = 60_000.0 + 100 * i
        rows.append(
            {
                "time": ts,
                "high": base + 500,
                "low": base - 500,
                "open": base,
                "close": base + 100,
                "volumefrom": 1.0,
                "volumeto": 1e9,
                "conversionType": "direct",
                "conversionSymbol": "",
            }
        )
    return {
        "Response": "Success",
        "Message": "",
        "HasWarning": False,
        "Type": 100,
        "RateLimit": {},
        "Data": {
            "Aggregated": False,
            "TimeFrom": rows[0]["time"],
            "TimeTo": rows[-1]["time"],
            "Data": rows,
        },
    }


@pytest.fixture
def histoday():
    """``histoday(days)``: a CryptoCompare histoday body for those days (made-up values)."""
    return _histoday
