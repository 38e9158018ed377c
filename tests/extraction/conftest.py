from pathlib import Path

import pytest

from dagster_project.extraction.entities import Resolver, load_aliases

REPO = Path(__file__).resolve().parents[2]
PRESS = REPO / "data" / "raw" / "press"
SHARED_MINERS = REPO.parent / "shared" / "data" / "facts" / "miners.csv"


@pytest.fixture(scope="session")
def resolver() -> Resolver:
    """Deterministic aliases: built-in names plus the shared miners file when present."""
    return Resolver(load_aliases(SHARED_MINERS if SHARED_MINERS.is_file() else None))
