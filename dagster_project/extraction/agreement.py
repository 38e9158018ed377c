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

import argparse
import csv
import hashlib
import random
import sys
from datetime import date
from pathlib import Path

from dagster_project.extraction.corpus import load_gold
from dagster_project.extraction.realset import (
    DEV_SUBSPLITS,
    NUMERIC_FIELDS,
    RealDocument,
    RealScores,
    dev_subsplit,
    report_real,
    score_real,
    texts_dir,
)

SAMPLE_SEED = 20261130
# documents per kind, split evenly between dev_check and dev_fit; the small kinds are
# over-sampled (proportional quotas would give 1 sec_exhibit and 3 press releases)
SAMPLE_QUOTA: dict[str, int] = {"press_release": 6, "sec_exhibit": 4, "news": 20}
SAMPLE_FILE = "agreement_sample.csv"
SAMPLE_COLUMNS = ("doc_id", "kind", "subsplit", "url")
SECOND_FILE = "labels_dev_second.jsonl"


def read_dev_docs(eval_dir: Path) -> list[dict[str, str]]:
    """Dev rows of ``real_docs.csv`` (test rows are dropped on reading)."""
    with (eval_dir / "real_docs.csv").open(encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if (r.get("split") or "").strip() == "dev"]


# The sample was drawn (commit 5e12a9f) from the dev rows of ``real_docs.csv`` as they stood
# then: its first 140 dev rows (the file only grows at its end; round 6 added 24 after them).
SAMPLE_POPULATION = 140


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


# --- scoring -----------------------------------------------------------------------------


def load_sample_docs(
    eval_dir: Path, texts: Path, doc_ids: list[str]
) -> tuple[list[RealDocument], list[tuple[str, str]]]:
    """``RealDocument``s of the sample only (no other text is opened), and the documents
    left out with the reason (text missing, or SHA-256 differs from the metadata)."""
    rows = {r["doc_id"]: r for r in read_dev_docs(eval_dir)}
    docs, skipped = [], []
    for doc_id in doc_ids:
        row = rows.get(doc_id)
        if row is None:
            raise ValueError(f"{eval_dir / 'real_docs.csv'}: sample doc_id {doc_id!r} is not dev")
        path = texts / f"{doc_id}.txt"
        if not path.is_file():
            skipped.append((doc_id, f"no text in {texts}"))
            continue
        raw = path.read_bytes()
        if hashlib.sha256(raw).hexdigest() != (row.get("sha256") or "").strip().lower():
            skipped.append((doc_id, "sha256 differs from metadata"))
            continue
        published = (row.get("published_date") or "").strip()
        docs.append(
            RealDocument(
                doc_id=doc_id,
                date=date.fromisoformat(published[:10]) if published else None,
                source=row["url"],
                content=raw,
                content_type="text/plain",
                language=(row.get("language") or "").strip() or None,
                split="dev",
                title=(row.get("title") or "").strip(),
                subsplit=dev_subsplit(row["url"]),
            )
        )
    return docs, skipped


def only(labels: list[dict], doc_ids: set[str]) -> list[dict]:
    """Labels of the given documents."""
    return [g for g in labels if g["doc_id"] in doc_ids]


def score_by_group(
    predicted: list[dict], reference: list[dict], group_of: dict[str, str]
) -> dict[str, RealScores]:
    """``score_real`` over all documents of ``group_of`` ("ALL") and per group (e.g. kind)."""
    out = {"ALL": score_real(only(predicted, set(group_of)), only(reference, set(group_of)))}
    for grp in sorted(set(group_of.values())):
        ids = {d for d, g in group_of.items() if g == grp}
        out[grp] = score_real(only(predicted, ids), only(reference, ids))
    return out


def _num(v: float | None) -> str:
    return " -  " if v is None else f"{v:.2f}"


def slot_totals(s: RealScores) -> tuple[int, int, int]:
    """Slot-level (tp, fp, fn) summed over all scored fields."""
    tp = sum(c[0] for c in s.fields.values())
    fp = sum(c[1] for c in s.fields.values())
    fn = sum(c[2] for c in s.fields.values())
    return tp, fp, fn


def group_table(title: str, scores: dict[str, RealScores]) -> str:
    """One line per group: fact-level P/R with counts, then slot-level P/R over all fields."""
    lines = [f"-- {title}: fact level | slot level (all fields)"]
    for grp, s in scores.items():
        fact = (
            f"P {_num(s.precision)} R {_num(s.recall)} "
            f"(tp {s.fact_tp}, fp {s.fact_fp}, fn {s.fact_fn})"
        )
        sp, sr = RealScores.pr(*slot_totals(s))
        lines.append(f"  {grp:<14}{fact:<44}| P {_num(sp)} R {_num(sr)}")
    return "\n".join(lines)


def bootstrap_pr(
    predicted: list[dict],
    reference: list[dict],
    doc_ids: list[str],
    rounds: int = 2000,
    seed: int = SAMPLE_SEED,
) -> tuple[tuple[float, float], tuple[float, float]]:
    """90 % percentile intervals of fact-level precision and recall, resampling documents
    with replacement (a document drawn twice counts twice)."""
    per_doc = {d: score_real(only(predicted, {d}), only(reference, {d})) for d in doc_ids}
    rng = random.Random(seed)
    ps: list[float] = []
    rs: list[float] = []
    for _ in range(rounds):
        tp = fp = fn = 0
        for d in rng.choices(doc_ids, k=len(doc_ids)):
            s = per_doc[d]
            tp, fp, fn = tp + s.fact_tp, fp + s.fact_fp, fn + s.fact_fn
        p, r = RealScores.pr(tp, fp, fn)
        if p is not None:
            ps.append(p)
        if r is not None:
            rs.append(r)

    def interval(xs: list[float]) -> tuple[float, float]:
        xs = sorted(xs)
        return xs[int(0.05 * (len(xs) - 1))], xs[int(0.95 * (len(xs) - 1))]

    return interval(ps), interval(rs)


def disagreements(first: list[dict], second: list[dict]) -> tuple[list[dict], list[dict]]:
    """Facts of ``first`` with no fact-level match in ``second`` and the reverse (the
    ``missed`` lists of scoring each set against the other)."""
    return score_real(second, first).missed, score_real(first, second).missed


def extract_sample(docs: list[RealDocument]) -> list[dict]:
    """The extractor's facts on the sample, called as ``evaluate --split dev`` calls it."""
    from dagster_project.extraction.evaluate import facts_as_dicts
    from dagster_project.extraction.roles import DEFAULT_ROLE_USE
    from dagster_project.extraction.rules import extract_facts
    from dagster_project.extraction.scorer import DEFAULT_SCORER

    out: list[dict] = []
    for d in docs:
        out += facts_as_dicts(
            extract_facts(d, language=d.language, scorer=DEFAULT_SCORER, roles=DEFAULT_ROLE_USE)
        )
    return out


SHOWN = ("doc_id", "company", "fact_type", *NUMERIC_FIELDS, "counterparty", "mw_basis", "status")


def brief(fact: dict) -> str:
    """``key=value`` of a fact's identifying and scored fields (no evidence)."""
    return " ".join(f"{k}={fact[k]}" for k in SHOWN if fact.get(k) is not None)


def compare(
    name: str, predicted: list[dict], reference: list[dict], sample: list[dict[str, str]]
) -> str:
    """Full table, then per kind and per dev sub-split, then a bootstrap interval."""
    ids = [r["doc_id"] for r in sample]
    kinds = score_by_group(predicted, reference, {r["doc_id"]: r["kind"] for r in sample})
    subs = score_by_group(predicted, reference, {r["doc_id"]: r["subsplit"] for r in sample})
    (plo, phi), (rlo, rhi) = bootstrap_pr(predicted, reference, ids)
    return "\n".join(
        [
            report_real(name, kinds["ALL"], len(ids)),
            group_table(f"{name}, per kind", kinds),
            group_table(f"{name}, per dev sub-split", subs),
            f"-- {name}: 90 % bootstrap over documents: P {plo:.2f}-{phi:.2f}, "
            f"R {rlo:.2f}-{rhi:.2f}",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    """Print the agreement tables (and, with ``--show-disagreements``, the unmatched facts)."""
    repo = Path(__file__).resolve().parents[2]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", type=Path, default=repo / "data" / "eval")
    ap.add_argument(
        "--texts-dir",
        type=Path,
        default=None,
        help="real texts (default $MINERPIVOT_EVAL_TEXTS_DIR or data/eval/texts)",
    )
    ap.add_argument("--no-extractor", action="store_true", help="compare the label sets only")
    ap.add_argument("--show-disagreements", action="store_true", help="list unmatched facts")
    args = ap.parse_args(argv)
    sample = read_sample(args.eval_dir)
    ids = {r["doc_id"] for r in sample}
    first = only(load_gold(args.eval_dir / "labels_dev.jsonl"), ids)
    second = only(load_gold(args.eval_dir / SECOND_FILE), ids)
    print(f"# labeller agreement on {len(ids)} dev documents ({SAMPLE_FILE})")
    print(f"# first labels: {len(first)} facts; second labels: {len(second)} facts")
    print()
    print(compare("second against first", second, first, sample))
    print()
    print(compare("first against second", first, second, sample))
    if not args.no_extractor:
        texts = args.texts_dir or texts_dir(args.eval_dir / "texts")
        docs, skipped = load_sample_docs(args.eval_dir, texts, [r["doc_id"] for r in sample])
        for doc_id, reason in skipped:
            print(f"# {doc_id} not scored: {reason}")
        scored = [r for r in sample if r["doc_id"] in {d.doc_id for d in docs}]
        preds = extract_sample(docs)
        for name, ref in (("first", first), ("second", second)):
            print()
            print(compare(f"extractor against {name}", preds, ref, scored))
    if args.show_disagreements:
        only_first, only_second = disagreements(first, second)
        print()
        print(f"# first-label facts with no match in the second labels ({len(only_first)})")
        print("\n".join("  FIRST  " + brief(g) for g in only_first))
        print(f"# second-label facts with no match in the first labels ({len(only_second)})")
        print("\n".join("  SECOND " + brief(g) for g in only_second))
    return 0


if __name__ == "__main__":
    sys.exit(main())
