"""The ingest work of the pipeline without Dagster: the floor's first half (bench_pipeline.py).

Reads and validates every snapshot feed and reference table, extracts the press corpus, and
loads the raw tables of ``$MINERPIVOT_BUILD_DB``'s warehouse with the same plain functions the
assets call.
"""

from __future__ import annotations

import polars as pl

from dagster_project.extraction.corpus import load_corpus
from dagster_project.extraction.entities import Resolver, load_aliases
from dagster_project.extraction.pipeline import StoredDocument, extract_frame
from dagster_project.schemas import market as m
from dagster_project.schemas.validation import validate
from dagster_project.settings import load_settings
from dagster_project.sources import market_snapshot as snap
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


def main() -> None:
    s = load_settings()
    with connect(s.build_db) as con:
        for table, files, model in FEEDS:
            parts = []
            for f in files:
                df, problems = snap.read_feed(s.snapshot_dir, f)
                parts.append(
                    validate(
                        df, model, dataset=table, file=f.relative_path, prior_problems=problems
                    )
                )
            valid = pl.concat([r.valid for r in parts], how="diagonal_relaxed")
            replace_table(con, "raw", table, valid)
            replace_quarantine(con, table, pl.concat([r.quarantine for r in parts]))
        for spec in (*REFERENCE_FILES, REPORTED_SEGMENT_REVENUE):
            df, problems = read_reference(s.raw_dir, spec)
            result = validate(
                df,
                spec.model,
                dataset=spec.table,
                file=spec.relative_path,
                prior_problems=problems,
            )
            replace_table(con, "raw", spec.table, result.valid)
        docs = [
            StoredDocument(d.doc_id, d.date, d.source, d.content, d.content_type, d.language)
            for d in load_corpus(s.raw_dir / "press", s.context_dir)
        ]
        facts = extract_frame(docs, Resolver(load_aliases(s.raw_dir / "reference" / "miners.csv")))
        replace_table(con, "raw", "press_facts", facts)


if __name__ == "__main__":
    main()
