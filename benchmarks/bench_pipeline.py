"""Full offline materialization vs its floor, as a ratio measured in one run.

pipeline = `dagster asset materialize --select '*'` (in-process executor: every ingest asset,
           dbt build with its asset checks, publish), in a fresh process.
floor    = the same ingest code called directly (snapshot readers, pandera contracts, raw loads,
           press extraction) in a fresh process, plus `dbt build` alone on a copy of the
           pipeline's build file (same raw tables, every model and test rebuilt).
Both write to their own temporary warehouse. Prints seconds and pipeline/floor (target <= 1.5).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

INGEST_SCRIPT = r"""
import polars as pl
from dagster_project.settings import load_settings
from dagster_project.schemas.validation import ROW_COL
from dagster_project.schemas.press_facts import PressFacts
from dagster_project.sources import market_snapshot as snap
from dagster_project.sources.reference_files import REFERENCE_FILES, REPORTED_SEGMENT_REVENUE, read_reference
from dagster_project.schemas import market as m
from dagster_project.schemas.validation import validate
from dagster_project.extraction.corpus import load_corpus
from dagster_project.extraction.entities import Resolver, load_aliases
from dagster_project.extraction.pipeline import StoredDocument, extract_frame
from dagster_project.warehouse import connect, replace_table, replace_quarantine

s = load_settings()
feeds = [("btc_price_daily", [snap.BTC_PRICE], m.BtcPriceDaily),
         ("network_difficulty", [snap.DIFFICULTY], m.NetworkDifficulty),
         ("network_hashrate_daily", [snap.HASHRATE], m.NetworkHashrateDaily),
         ("tx_fees_daily", [snap.FEES], m.TxFeesDaily),
         ("block_reward_daily", [snap.BLOCK_REWARD], m.BlockRewardDaily),
         ("miner_equities_daily", [snap.EQUITIES_YAHOO, snap.EQUITIES_SPOOKY], m.MinerEquitiesDaily)]
with connect(s.build_db) as con:
    for table, files, model in feeds:
        parts = []
        for f in files:
            df, p = snap.read_feed(s.snapshot_dir, f)
            parts.append(validate(df, model, dataset=table, file=f.relative_path, prior_problems=p))
        replace_table(con, "raw", table, pl.concat([r.valid for r in parts], how="diagonal_relaxed"))
        replace_quarantine(con, table, pl.concat([r.quarantine for r in parts]))
    for spec in [*REFERENCE_FILES, REPORTED_SEGMENT_REVENUE]:
        df, p = read_reference(s.raw_dir, spec)
        r = validate(df, spec.model, dataset=spec.table, file=spec.relative_path, prior_problems=p)
        replace_table(con, "raw", spec.table, r.valid)
    docs = load_corpus(s.raw_dir / "press", s.context_dir)
    facts = extract_frame(
        [StoredDocument(d.doc_id, d.date, d.source, d.content, d.content_type, d.language) for d in docs],
        Resolver(load_aliases(s.raw_dir / "reference" / "miners.csv")),
    )
    replace_table(con, "raw", "press_facts", facts)
"""


def _timed(cmd: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        cmd, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - start


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        env_pipe = {
            **os.environ,
            "MINERPIVOT_WAREHOUSE_DIR": f"{tmp}/pipe",
            "MINERPIVOT_BUILD_DB": f"{tmp}/pipe/build.duckdb",
            "DAGSTER_HOME": f"{tmp}/dagster_home",
        }
        Path(env_pipe["DAGSTER_HOME"]).mkdir()
        (Path(env_pipe["DAGSTER_HOME"]) / "dagster.yaml").write_text(
            "telemetry:\n  enabled: false\n"
        )
        # Warm-up: parse dbt once so neither side pays for a cold manifest.
        subprocess.run(
            [str(BIN / "dbt"), "parse", "--quiet", "--profiles-dir", "."],
            cwd=REPO / "dbt",
            env=env_pipe,
            check=True,
        )
        pipeline = _timed(
            [
                str(BIN / "dagster"),
                "asset",
                "materialize",
                "-m",
                "dagster_project.definitions",
                "--select",
                "*",
            ],
            env_pipe,
            REPO,
        )

        env_ingest = {
            **os.environ,
            "MINERPIVOT_WAREHOUSE_DIR": f"{tmp}/ingest",
            "MINERPIVOT_BUILD_DB": f"{tmp}/ingest/build.duckdb",
        }
        ingest = _timed([sys.executable, "-c", INGEST_SCRIPT], env_ingest, REPO)
        # dbt alone on a copy of the pipeline's build file: the same raw tables, rebuilt.
        Path(f"{tmp}/dbt").mkdir()
        shutil.copyfile(f"{tmp}/pipe/build.duckdb", f"{tmp}/dbt/build.duckdb")
        env_dbt = {**os.environ, "MINERPIVOT_BUILD_DB": f"{tmp}/dbt/build.duckdb"}
        dbt = _timed(
            [str(BIN / "dbt"), "build", "--quiet", "--profiles-dir", "."], env_dbt, REPO / "dbt"
        )
    floor = ingest + dbt
    print(f"pipeline (dagster materialize, all assets): {pipeline:6.1f} s")
    print(
        f"floor: ingest code directly {ingest:5.1f} s + dbt build alone {dbt:5.1f} s = {floor:5.1f} s"
    )
    print(f"ratio pipeline / floor: {pipeline / floor:.2f}  (target <= 1.5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
