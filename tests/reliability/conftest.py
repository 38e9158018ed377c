"""Fixtures of the reliability tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability import corpus as c


@pytest.fixture
def inputs(tmp_path: Path, snapshot_dir: Path) -> c.Inputs:
    """A private copy of data/raw and the market snapshot, for one test to corrupt."""
    return c.copy_inputs(tmp_path, snapshot_dir)
