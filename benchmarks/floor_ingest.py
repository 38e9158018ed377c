"""The ingest work of the pipeline without Dagster: the floor's first half (bench_pipeline.py).

Does what the 19 ingest steps of an offline run do, through the same plain functions the
assets call: every snapshot feed and reference table read and validated (pandera) and loaded
with its quarantine rows, the EDGAR offline replay (empty tables when nothing landed), press
documents stored, facts extracted and checked, analyst overrides loaded.
"""

from __future__ import annotations

import polars as pl

from dagster_project.extraction.press_ingest import (
    OVERRIDES_FILE,
    check_facts,
    extract_stored_documents,
    press_documents_frame,
    read_overrides,
)
from dagster_project.schemas import market as m
from dagster_project.schemas.press_overrides import PressOverrides
from dagster_project.schemas.validation import ValidationResult, validate
from dagster_project.settings import load_settings
from dagster_project.sources import market_snapshot as snap
from dagster_project.sources.edgar_harvest import (
    EdgarHarvest,
    harvest_frames,
    load_harvest,
    replay_client,
)
from dagster_project.sources.reference_files import (
    REFERENCE_FILES,
    REPORTED_SEGMENT_REVENUE,
    read_reference,
)
from dagster_project.warehouse import connect, replace_quarantine, replace_table

FEEDS = (
    ("btc_price_daily", (snap.BTC_PRICE,), m.BtcPriceDaily),
    ("network_difficulty", (snap.DIFFICULTY,), m.NetworkDifficulty),
    ("network_hashrate_daily", (snap.HASHRATE,), m.NetworkHashrateDaily),
    ("tx_fees_daily", (snap.FEES,), m.TxFeesDaily),
    ("block_reward_daily", (snap.BLOCK_REWARD,), m.BlockRewardDaily),
    ("miner_equities_daily", (snap.EQUITIES_YAHOO, snap.EQUITIES_SPOOKY), m.MinerEquitiesDaily),
)


def _load(table: str, result: ValidationResult) -> None:
    with connect(load_settings().build_db) as con:
        replace_table(con, "raw", table, result.valid)
        replace_quarantine(con, table, result.quarantine)


def main() -> None:
    s = load_settings()
    for table, files, model in FEEDS:
        parts = []
        for f in files:
            df, problems = snap.read_feed(s.snapshot_dir, f)
            parts.append(
                validate(df, model, dataset=table, file=f.relative_path, prior_problems=problems)
            )
        valid = pl.concat([r.valid for r in parts], how="diagonal_relaxed")
        _load(table, ValidationResult(valid, pl.concat([r.quarantine for r in parts])))
    for spec in (*REFERENCE_FILES, REPORTED_SEGMENT_REVENUE):
        df, problems = read_reference(s.raw_dir, spec)
        _load(
            spec.table,
            validate(
                df, spec.model, dataset=spec.table, file=spec.relative_path, prior_problems=problems
            ),
        )
    if replay_client(s) is not None:
        raise SystemExit("floor_ingest: landed EDGAR responses found; the floor assumes none")
    load_harvest(s.build_db, harvest_frames(EdgarHarvest()), fail_on_bad_rows=False)
    docs = press_documents_frame(s.raw_dir / "press", s.context_dir, s.build_db)
    with connect(s.build_db) as con:
        replace_table(con, "raw", "press_documents", docs)
    facts, _ = extract_stored_documents(s.build_db, s.raw_dir / "reference" / "miners.csv")
    _load("press_facts", check_facts(facts, fail_on_bad_rows=False))
    frame, problems = read_overrides(s.raw_dir)
    _load(
        "press_overrides",
        validate(
            frame,
            PressOverrides,
            dataset="press_overrides",
            file=OVERRIDES_FILE,
            prior_problems=problems,
        ),
    )


if __name__ == "__main__":
    main()
