"""One full offline run (whole graph, published) shared by the economics tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from tests.pipeline.conftest import PipelineRun, run_pipeline


@pytest.fixture(scope="session")
def economics_run(tmp_path_factory: pytest.TempPathFactory, snapshot_dir: Path) -> PipelineRun:
    run = run_pipeline(tmp_path_factory.mktemp("economics_warehouse"), snapshot_dir)
    assert run.result.success, "full offline materialization failed"
    return run


@pytest.fixture(scope="module")
def wh(economics_run: PipelineRun) -> Iterator[duckdb.DuckDBPyConnection]:
    """Read-only connection to the published warehouse of that run."""
    con = duckdb.connect(str(economics_run.warehouse_dir / "minerpivot.duckdb"), read_only=True)
    yield con
    con.close()
