"""Where the committed reference tables live under ``data/raw`` and how their columns are typed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandera.polars as pa
import polars as pl

from dagster_project.schemas import reference as schemas
from dagster_project.schemas.validation import unknown_ticker_problems
from dagster_project.settings import display_path
from dagster_project.sources.csv_reader import read_typed_csv

S, F, D = pl.Utf8(), pl.Float64(), pl.Date()

# provenance columns every curated file carries at the end of its header (issue 15)
PROVENANCE: dict[str, pl.DataType] = {
    "source_kind": S,
    "accession": S,
    "figure_kind": S,
    "estimate_by": S,
    "source_note": S,
}


@dataclass(frozen=True)
class ReferenceFile:
    table: str
    relative_path: str  # under the raw dir (data/raw)
    columns: dict[str, pl.DataType]
    model: type[pa.DataFrameModel]
    description: str


REFERENCE_FILES = (
    ReferenceFile(
        "miners",
        "reference/miners.csv",
        {
            "ticker": S,
            "name": S,
            "former_names": S,
            "sec_cik": S,
            "filer_type": S,
            "fiscal_year_end": S,
            "exchange": S,
            "hq_country": S,
            "aliases": S,
            "cik_source": S,
            "source_url": S,
            "as_of_date": D,
            "note": S,
            **PROVENANCE,
        },
        schemas.Miners,
        "Tracked miners: ticker, names, SEC CIK, filer type, fiscal year end, press aliases.",
    ),
    ReferenceFile(
        "sites",
        "reference/sites.csv",
        {
            "ticker": S,
            "site": S,
            "location": S,
            "gross_mw": F,
            "critical_it_mw": F,
            "status": S,
            "primary_use": S,
            "hpc_tenant": S,
            "as_of_date": D,
            "source_url": S,
            "note": S,
            **PROVENANCE,
        },
        schemas.Sites,
        "Sites and campuses: gross and critical-IT MW, status, use, HPC tenant (cited).",
    ),
    ReferenceFile(
        "power_capacity",
        "reference/power_capacity.csv",
        {
            "ticker": S,
            "as_of_date": D,
            "energized_mw": F,
            "under_construction_mw": F,
            "pipeline_mw": F,
            "total_secured_mw": F,
            "hpc_designated_mw": F,
            "mw_basis": S,
            "source_url": S,
            "source_date": D,
            "note": S,
            **PROVENANCE,
        },
        schemas.PowerCapacity,
        "Power capacity per miner and date, one row per source (disagreements kept).",
    ),
    ReferenceFile(
        "fleet",
        "reference/fleet.csv",
        {
            "ticker": S,
            "as_of_date": D,
            "installed_hashrate_eh": F,
            "fleet_efficiency_j_per_th": F,
            "mining_mw": F,
            "source_url": S,
            "source_date": D,
            "note": S,
            **PROVENANCE,
        },
        schemas.Fleet,
        "Installed hash rate (EH/s) and fleet efficiency (J/TH) per miner and date.",
    ),
    ReferenceFile(
        "hpc_contracts_curated",
        "reference/hpc_contracts_curated.csv",
        {
            "ticker": S,
            "counterparty": S,
            "announced_date": D,
            "critical_it_mw": F,
            "gross_mw": F,
            "term_years": F,
            "contract_value_usd": F,
            "annual_revenue_usd": F,
            "status": S,
            "source_url": S,
            "source_date": D,
            "as_of_date": D,
            "note": S,
            **PROVENANCE,
        },
        schemas.HpcContractsCurated,
        "Analyst-curated HPC/AI leases and cloud contracts (MW, term, value, status).",
    ),
    ReferenceFile(
        "assumptions",
        "reference/assumptions.csv",
        {
            "name": S,
            "unit": S,
            "low": F,
            "base": F,
            "high": F,
            "description": S,
            "source_url": S,
            "as_of_date": D,
            "note": S,
            **PROVENANCE,
        },
        schemas.Assumptions,
        "Named, cited economic assumptions with low/base/high values (no numbers in SQL).",
    ),
    ReferenceFile(
        "analyst_aggregates",
        "reference/analyst_aggregates.csv",
        {
            "scope": S,
            "analyst": S,
            "as_of_date": D,
            "power_mw": F,
            "hpc_suitable_mw": F,
            "pipeline_mw": F,
            "n_miners": F,
            "source_url": S,
            "source_date": D,
            "note": S,
            **PROVENANCE,
        },
        schemas.AnalystAggregates,
        "Published industry aggregates (e.g. JPMorgan 2024: 14 miners, ~5 GW).",
    ),
    ReferenceFile(
        "seed_claims",
        "reference/seed_claims.csv",
        {
            "claim_id": S,
            "topic": S,
            "claim": S,
            "article_value": F,
            "unit": S,
            "tolerance": F,
            "our_metric": S,
            "our_value": F,
            "our_source_url": S,
            "as_of_date": D,
            "source_url": S,
            "note": S,
            **PROVENANCE,
        },
        schemas.SeedClaims,
        "Headline claims of the source article (paraphrased, with numbers) to check against ours.",
    ),
)

REPORTED_SEGMENT_REVENUE = ReferenceFile(
    "reported_segment_revenue",
    "filings/reported_segment_revenue.csv",
    {
        "ticker": S,
        "fiscal_period": S,
        "period_end": D,
        "segment": S,
        "revenue_usd": F,
        "source_url": S,
        "source_date": D,
        "as_of_date": D,
        "note": S,
        **PROVENANCE,
        "basis": S,
    },
    schemas.CuratedSegmentRevenue,
    "Analyst-curated quarterly revenue by canonical segment, one row per source.",
)


MINERS_FILE = "reference/miners.csv"


def reference_path(raw_dir: Path, spec: ReferenceFile) -> str:
    """The file as messages name it: the path actually read (MINERPIVOT_RAW_DIR may move it)."""
    return display_path(raw_dir / spec.relative_path)


def known_tickers(raw_dir: Path) -> frozenset[str]:
    """Tickers of the tracked miners (``reference/miners.csv``), the only tickers accepted."""
    path = raw_dir / MINERS_FILE
    name = display_path(path)
    frame, _ = read_typed_csv(path, {"ticker": S}, dataset="miners", display_name=name)
    return frozenset(t.strip() for t in frame["ticker"].drop_nulls().to_list())


def read_reference(raw_dir: Path, spec: ReferenceFile) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Read one reference file: typed frame with ``_row`` and its parse problems.

    Every table but ``miners`` itself also reports tickers that are not in ``miners.csv``.
    """
    name = reference_path(raw_dir, spec)
    frame, problems = read_typed_csv(
        raw_dir / spec.relative_path, spec.columns, dataset=spec.table, display_name=name
    )
    if "ticker" in spec.columns and spec.relative_path != MINERS_FILE:
        unknown = unknown_ticker_problems(
            frame,
            known_tickers(raw_dir),
            dataset=spec.table,
            file=name,
            known_from=display_path(raw_dir / MINERS_FILE),
        )
        problems = pl.concat([problems, unknown])
    return frame, problems
