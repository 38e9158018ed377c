"""Labeller agreement on the real-text dev set (issue 11).

A second labeller relabels a fixed sample of dev documents blind, from the text and the guide
in ``data/eval/README.md`` only, into ``data/eval/labels_dev_second.jsonl``. This module draws
that sample and scores one label set against the other with the project's own real-set scorer
(:func:`realset.score_real`: fact level = type group + company + every labelled number within
2 %; slot level per field), in both directions, per fact_type and per document kind, and the
extractor against each label set on the same documents.

Only dev documents are ever read: the sample is drawn from the dev rows of ``real_docs.csv``,
labels come from ``labels_dev.jsonl`` and the second file, and texts are read for sample
documents only. Run: ``python -m dagster_project.extraction.agreement``.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from dagster_project.extraction.realset import DEV_SUBSPLITS, dev_subsplit

SAMPLE_SEED = 20261130
# documents per kind, split evenly between dev_check and dev_fit; the small kinds are
# over-sampled (proportional quotas would give 1 sec_exhibit and 3 press releases)
SAMPLE_QUOTA: dict[str, int] = {"press_release": 6, "sec_exhibit": 4, "news": 20}
SAMPLE_FILE = "agreement_sample.csv"
SAMPLE_COLUMNS = ("doc_id", "kind", "subsplit", "url")


def read_dev_docs(eval_dir: Path) -> list[dict[str, str]]:
    """Dev rows of ``real_docs.csv`` (test rows are dropped on reading)."""
    with (eval_dir / "real_docs.csv").open(encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if (r.get("split") or "").strip() == "dev"]


def draw_sample(
    dev_rows: list[dict[str, str]],
    seed: int = SAMPLE_SEED,
    quota: dict[str, int] = SAMPLE_QUOTA,
) -> list[dict[str, str]]:
    """Stratified draw: for each kind (sorted), ``quota // 2`` documents from each dev
    sub-split (``dev_check`` first, the odd one to it), chosen by one ``random.Random(seed)``
    from the cell's doc_ids in sorted order. A cell smaller than its share gives all it has."""
    rng = random.Random(seed)
    out: list[dict[str, str]] = []
    for kind in sorted(quota):
        share = {"dev_check": quota[kind] - quota[kind] // 2, "dev_fit": quota[kind] // 2}
        for sub in DEV_SUBSPLITS[::-1]:  # dev_check, then dev_fit
            cell = sorted(
                (r for r in dev_rows if r["kind"] == kind and dev_subsplit(r["url"]) == sub),
                key=lambda r: r["doc_id"],
            )
            for r in rng.sample(cell, min(share[sub], len(cell))):
                out.append({"doc_id": r["doc_id"], "kind": kind, "subsplit": sub, "url": r["url"]})
    return out


def read_sample(eval_dir: Path) -> list[dict[str, str]]:
    """The committed sample (``data/eval/agreement_sample.csv``)."""
    with (eval_dir / SAMPLE_FILE).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write_sample(eval_dir: Path, rows: list[dict[str, str]]) -> None:
    """Write the sample list (doc_id, kind, dev sub-split, url)."""
    with (eval_dir / SAMPLE_FILE).open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=SAMPLE_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
