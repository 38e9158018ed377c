"""Precision/recall of the extractor against ``data/raw/press/gold.jsonl``.

Matching: a predicted fact can match a gold fact of the same doc, company and fact_type;
within that group pairs are chosen greedily by the number of agreeing fields. Field scores
count every non-null scored field of every predicted fact (precision) and gold fact
(recall); numbers agree within 0.5 % relative tolerance, counterparties when one name
contains the other (case-insensitive). ``scope``, ``event_date``, evidence and spans are
not scored. Run: ``python -m dagster_project.extraction.evaluate``.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from dagster_project.extraction.corpus import load_corpus, load_gold
from dagster_project.extraction.facts import FACT_TYPES, VALUE_FIELDS, Fact
from dagster_project.extraction.realset import (
    DEV_SUBSPLITS,
    RealScores,
    RealSet,
    load_real_set,
    report_real,
    score_real,
    texts_dir,
)
from dagster_project.extraction.roles import DEFAULT_ROLE_USE, RoleUse
from dagster_project.extraction.rules import extract_facts
from dagster_project.extraction.scorer import DEFAULT_SCORER, FactScorer

SCORED_FIELDS = VALUE_FIELDS
REL_TOL = 0.005


def values_agree(name: str, pred: object, gold: object) -> bool:
    """Field equality used for scoring (numbers within 0.5 %, names by containment)."""
    if pred is None or gold is None:
        return False
    if isinstance(gold, int | float) and isinstance(pred, int | float):
        if gold == 0:
            return abs(float(pred)) < 1e-9
        return abs(float(pred) - float(gold)) <= REL_TOL * abs(float(gold))
    p, g = str(pred).strip().lower(), str(gold).strip().lower()
    if name == "counterparty":
        return p in g or g in p
    return p == g


@dataclass
class Counts:
    """True positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


@dataclass
class Scores:
    """Fact-level counts per fact type and field-level counts per field."""

    facts: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    fields: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))

    def total(self, which: str = "facts") -> Counts:
        out = Counts()
        for c in getattr(self, which).values():
            out.tp, out.fp, out.fn = out.tp + c.tp, out.fp + c.fp, out.fn + c.fn
        return out


def _agreement(pred: dict, gold: dict) -> int:
    return sum(values_agree(f, pred.get(f), gold.get(f)) for f in SCORED_FIELDS)


def score(predicted: Iterable[dict], gold: Iterable[dict]) -> Scores:
    """Score predicted fact dicts against gold fact dicts (see module docstring)."""
    groups: dict[tuple, tuple[list[dict], list[dict]]] = defaultdict(lambda: ([], []))
    for p in predicted:
        groups[(p["doc_id"], p.get("company"), p["fact_type"])][0].append(p)
    for g in gold:
        groups[(g["doc_id"], g.get("company"), g["fact_type"])][1].append(g)
    s = Scores()
    for (_, _, ftype), (preds, golds) in groups.items():
        pairs = sorted(
            ((_agreement(p, g), i, j) for i, p in enumerate(preds) for j, g in enumerate(golds)),
            reverse=True,
        )
        used_p: set[int] = set()
        used_g: set[int] = set()
        matched: list[tuple[dict, dict]] = []
        for _, i, j in pairs:
            if i in used_p or j in used_g:
                continue
            used_p.add(i)
            used_g.add(j)
            matched.append((preds[i], golds[j]))
        s.facts[ftype].tp += len(matched)
        s.facts[ftype].fp += len(preds) - len(matched)
        s.facts[ftype].fn += len(golds) - len(matched)
        for p, g in matched:
            for f in SCORED_FIELDS:
                pv, gv = p.get(f), g.get(f)
                if pv is not None and values_agree(f, pv, gv):
                    s.fields[f].tp += 1
                else:
                    if pv is not None:
                        s.fields[f].fp += 1
                    if gv is not None:
                        s.fields[f].fn += 1
        for i, p in enumerate(preds):
            if i not in used_p:
                for f in SCORED_FIELDS:
                    s.fields[f].fp += p.get(f) is not None
        for j, g in enumerate(golds):
            if j not in used_g:
                for f in SCORED_FIELDS:
                    s.fields[f].fn += g.get(f) is not None
    return s


def _fmt(v: float | None) -> str:
    return "  -  " if v is None else f"{v:5.2f}"


def report(name: str, s: Scores) -> str:
    """Plain-text table of fact-type and field scores."""
    lines = [f"== {name} ==", f"{'fact_type':<16}{'P':>6}{'R':>6}{'tp':>5}{'fp':>5}{'fn':>5}"]
    for ft in FACT_TYPES:
        c = s.facts.get(ft, Counts())
        lines.append(
            f"{ft:<16}{_fmt(c.precision):>6}{_fmt(c.recall):>6}{c.tp:>5}{c.fp:>5}{c.fn:>5}"
        )
    t = s.total("facts")
    lines.append(
        f"{'ALL FACTS':<16}{_fmt(t.precision):>6}{_fmt(t.recall):>6}{t.tp:>5}{t.fp:>5}{t.fn:>5}"
    )
    lines.append(f"{'field':<22}{'P':>6}{'R':>6}{'tp':>5}{'fp':>5}{'fn':>5}")
    for f in SCORED_FIELDS:
        c = s.fields.get(f, Counts())
        if c.tp + c.fp + c.fn:
            lines.append(
                f"{f:<22}{_fmt(c.precision):>6}{_fmt(c.recall):>6}{c.tp:>5}{c.fp:>5}{c.fn:>5}"
            )
    t = s.total("fields")
    lines.append(
        f"{'ALL FIELDS':<22}{_fmt(t.precision):>6}{_fmt(t.recall):>6}{t.tp:>5}{t.fp:>5}{t.fn:>5}"
    )
    return "\n".join(lines)


def evaluate(press_dir: Path, context_dir: Path | None) -> dict[str, Scores]:
    """Scores per split ("dev", "test") over the corpus and its gold file."""
    docs = load_corpus(press_dir, context_dir)
    gold = load_gold(press_dir / "gold.jsonl")
    out: dict[str, Scores] = {}
    for split in ("dev", "test"):
        ids = {d.doc_id for d in docs if d.split == split}
        preds: list[dict] = []
        for d in docs:
            if d.doc_id in ids:
                preds += [f.to_dict() for f in extract_facts(d)]
        out[split] = score(preds, [g for g in gold if g["doc_id"] in ids])
    return out


def facts_as_dicts(facts: Iterable[Fact]) -> list[dict]:
    """``Fact.to_dict()`` for each fact."""
    return [f.to_dict() for f in facts]


def french_article_scores(press_dir: Path, context_dir: Path | None) -> RealScores | None:
    """The French context article under the real-set rules (fact type + company + 2 %)."""
    docs = [d for d in load_corpus(press_dir, context_dir) if d.doc_id == FRENCH_ARTICLE]
    if not docs:
        return None
    gold = [g for g in load_gold(press_dir / "gold.jsonl") if g["doc_id"] == FRENCH_ARTICLE]
    return score_real(facts_as_dicts(extract_facts(docs[0])), gold)


def evaluate_real(
    real: RealSet,
    splits: Iterable[str] = ("dev", "test"),
    scorer: FactScorer | None = DEFAULT_SCORER,
    roles: RoleUse = DEFAULT_ROLE_USE,
) -> dict[str, RealScores]:
    """Real-set scores per split (only documents whose text is present and unchanged); a
    split not asked for is not even extracted (``--split dev`` never touches the test texts'
    facts). Asking for ``dev`` also scores its sub-splits ``dev_fit`` and ``dev_check``
    (:func:`realset.dev_subsplit`) from the same predictions. ``scorer=None``: the rules'
    candidates without the learned fact scorer; ``roles``: how the figure-role model is used
    (``RoleUse()``: not at all)."""
    wanted = list(splits)
    if "dev" in wanted:
        wanted += [s for s in DEV_SUBSPLITS if s not in wanted]
    ids_of = {split: real.split_ids(split) for split in wanted}
    todo = set().union(*ids_of.values()) if ids_of else set()
    preds_of: dict[str, list[dict]] = {}
    for d in real.docs:
        if d.doc_id in todo:
            preds_of[d.doc_id] = facts_as_dicts(
                extract_facts(d, language=d.language, scorer=scorer, roles=roles)
            )
    out: dict[str, RealScores] = {}
    for split in wanted:
        ids = ids_of[split]
        if not ids:
            continue
        preds = [p for doc_id in sorted(ids) for p in preds_of[doc_id]]
        out[split] = score_real(preds, [g for g in real.labels if g["doc_id"] in ids])
    return out


def summary_line(scores: dict[str, RealScores]) -> str:
    """One line of fact-level P/R per scored split ("dev P 0.91 R 0.86 | dev_fit ...")."""
    return " | ".join(
        f"{split} P {_fmt(s.precision).strip()} R {_fmt(s.recall).strip()} "
        f"({s.fact_tp}/{s.fact_tp + s.fact_fp}, {s.fact_tp}/{s.fact_tp + s.fact_fn})"
        for split, s in scores.items()
    )


def main(argv: list[str] | None = None) -> int:
    """Print dev and test scores (own-words corpus, then the real set when its texts exist)."""
    from dagster_project.settings import load_settings

    settings = load_settings()
    repo = Path(__file__).resolve().parents[2]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--press-dir", type=Path, default=settings.raw_dir / "press")
    ap.add_argument("--context-dir", type=Path, default=settings.context_dir)
    ap.add_argument("--eval-dir", type=Path, default=repo / "data" / "eval")
    ap.add_argument(
        "--texts-dir",
        type=Path,
        default=None,
        help="real texts (default $MINERPIVOT_EVAL_TEXTS_DIR or data/eval/texts)",
    )
    ap.add_argument("--split", choices=("dev", "test", "both"), default="both")
    ap.add_argument(
        "--show-errors",
        action="store_true",
        help="list missed/spurious facts of dev_fit only (dev_check is read as figures only)",
    )
    ap.add_argument(
        "--no-scorer",
        action="store_true",
        help="score the rules' candidates without the learned fact scorer (real set only)",
    )
    ap.add_argument(
        "--no-roles",
        action="store_true",
        help="score without the figure-role model's new sites (real set only)",
    )
    args = ap.parse_args(argv)
    print("# own-words corpus (data/raw/press/gold.jsonl)")
    for split, s in evaluate(args.press_dir, args.context_dir).items():
        print(report(split, s))
        print()
    fr = french_article_scores(args.press_dir, args.context_dir)
    if fr is not None:
        print(
            f"# French context article, real-set rules: P {_fmt(fr.precision)} "
            f"R {_fmt(fr.recall)} (tp {fr.fact_tp}, fp {fr.fact_fp}, fn {fr.fact_fn})"
        )
        print()
    texts = args.texts_dir or texts_dir(args.eval_dir / "texts")
    real = load_real_set(args.eval_dir, texts)
    if not real.docs and not real.skipped:
        print(f"# real set: no metadata in {args.eval_dir} or no texts in {texts}; skipped")
        return 0
    for doc_id, reason in real.skipped:
        print(f"# real set: {doc_id} not scored: {reason}")
    scores = evaluate_real(
        real,
        ("dev", "test") if args.split == "both" else (args.split,),
        None if args.no_scorer else DEFAULT_SCORER,
        RoleUse() if args.no_roles else DEFAULT_ROLE_USE,
    )
    for split, s in scores.items():
        print(report_real(split, s, len(real.split_ids(split))))
        if args.show_errors and split == "dev_fit":
            for g in s.missed:
                print("  MISSED ", {k: v for k, v in g.items() if v is not None})
            for p in s.spurious:
                keep = {k: v for k, v in p.items() if v is not None and k not in _NOISE}
                print("  SPURIOUS", keep)
        print()
    print("# fact level: " + summary_line(scores))
    return 0


_NOISE = ("evidence", "span_start", "span_end", "confidence", "event_date")
FRENCH_ARTICLE = "forbes_miners_ai_pivot_fr"


if __name__ == "__main__":
    sys.exit(main())
