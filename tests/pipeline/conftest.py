"""One full offline materialization into a temporary warehouse, shared by the pipeline tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest

from dagster_project.dbt_project import dbt_executable, dbt_project, ensure_manifest
from dagster_project.defs.dbt import LeanDbtCliResource
from dagster_project.defs.resources import PipelineSettings


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
    ensure_manifest()
    settings = PipelineSettings(
        mode="offline", snapshot_dir=str(snapshot_dir), warehouse_dir=str(warehouse_dir)
    )
    result = dg.materialize(
        all_assets(),
        resources={
            "dbt": LeanDbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable()),
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
