from pathlib import Path

import pytest

from dagster_project.extraction import contracts
from dagster_project.extraction.entities import Resolver, load_aliases

REPO = Path(__file__).resolve().parents[2]
PRESS = REPO / "data" / "raw" / "press"
SHARED_MINERS = REPO.parent / "shared" / "data" / "facts" / "miners.csv"


@pytest.fixture(scope="session")
def resolver() -> Resolver:
    """Deterministic aliases: built-in names plus the shared miners file when present."""
    return Resolver(load_aliases(SHARED_MINERS if SHARED_MINERS.is_file() else None))


@pytest.fixture
def switched_off():
    """Run a test body once with its ``contracts.SWITCHES`` switch on (must pass) and once
    off (must fail), then switch it back on."""

    def run(name: str, body) -> None:
        body()
        contracts.SWITCHES[name] = False
        try:
            with pytest.raises(AssertionError):
                body()
        finally:
            contracts.SWITCHES[name] = True

    return run
