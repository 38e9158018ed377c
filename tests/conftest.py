"""Shared fixtures: the real snapshot, temp warehouses and one full offline pipeline run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
