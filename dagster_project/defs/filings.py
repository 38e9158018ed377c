"""SEC EDGAR filings ingest assets (group ``filings``): stub, filled in by the filings work."""

import dagster as dg


def build_filings_assets(live: bool) -> list[dg.AssetsDefinition]:
    """Return the EDGAR ingest assets for the given mode (stub: none yet)."""
    del live
    return []
