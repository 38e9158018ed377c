"""The economics tests read the published warehouse of the shared full offline run."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest


@pytest.fixture(scope="session")
def economics_run(pipeline_run):
    """The whole graph, published (the session fixture shared with the pipeline tests)."""
    return pipeline_run


@pytest.fixture(scope="module")
def wh(economics_run) -> Iterator[duckdb.DuckDBPyConnection]:
    """Read-only connection to the published warehouse of that run."""
    con = duckdb.connect(str(economics_run.warehouse_dir / "minerpivot.duckdb"), read_only=True)
    yield con
    con.close()
