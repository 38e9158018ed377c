"""Re-fit the learned fact scorer (:mod:`.scorer`) on the real set's ``dev_fit`` documents.

Run: ``MINERPIVOT_EVAL_TEXTS_DIR=/work/eval-texts python -m
dagster_project.extraction.fit_scorer [--write]``.

Only ``dev_fit`` is read (never ``dev_check``, never the test split). Every candidate fact of
the rules gets the label "matches a hand-labelled fact" under the real-set pairing
(:func:`.realset.score_real`). The model is an L2-regularised logistic regression fitted by
Newton's method on standardised features (numpy; deterministic, no random start); the
regularisation strength and the probability threshold are chosen together by 5-fold
cross-validation over documents (fixed seed) for the best fact-level F1 of ``dev_fit``, where
a dropped right fact costs recall and a dropped wrong fact gains precision. The final weights
are fitted on all of ``dev_fit``, mapped back to raw feature units, and (with ``--write``)
written to ``scorer_weights.py``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from dagster_project.extraction.realset import load_real_set, score_real, texts_dir
from dagster_project.extraction.rules import extract_candidates
from dagster_project.extraction.scorer import FEATURES

SEED = 20261130
FOLDS = 5
LAMBDAS = (0.3, 1.0, 3.0, 10.0, 30.0)
WEIGHTS_FILE = Path(__file__).with_name("scorer_weights.py")


def dev_fit_examples(eval_dir: Path, texts: Path) -> tuple[np.ndarray, np.ndarray, list[str], int]:
    """Feature matrix, 0/1 labels, document id per row, and the number of ``dev_fit`` labels."""
    real = load_real_set(eval_dir, texts)
    ids = real.split_ids("dev_fit")
    rows: list[list[float]] = []
    ys: list[int] = []
    docs: list[str] = []
    for d in real.docs:
        if d.doc_id not in ids:
            continue
        cands = extract_candidates(d, language=d.language)
        preds = [f.to_dict() for f, _ in cands]
        gold = [g for g in real.labels if g["doc_id"] == d.doc_id]
        wrong = {id(p) for p in score_real(preds, gold).spurious}
        for p, (_, x) in zip(preds, cands, strict=True):
            rows.append(x)
            ys.append(0 if id(p) in wrong else 1)
            docs.append(d.doc_id)
    n_labels = sum(1 for g in real.labels if g["doc_id"] in ids)
    return np.array(rows, dtype=float), np.array(ys, dtype=float), docs, n_labels


def fit_logistic(x: np.ndarray, y: np.ndarray, lam: float) -> tuple[np.ndarray, float]:
    """Weights and bias on raw units; L2 penalty ``lam`` on standardised weights (not bias)."""
    mu = x.mean(axis=0)
    sd = x.std(axis=0)
    sd[sd == 0] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - mu) / sd])
    w = np.zeros(z.shape[1])
    pen = np.full(z.shape[1], lam)
    pen[0] = 0.0
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(z @ w)))
        grad = z.T @ (p - y) + pen * w
        hess = (z * (p * (1 - p))[:, None]).T @ z + np.diag(pen) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.max(np.abs(step)) < 1e-10:
            break
    raw = w[1:] / sd
    return raw, float(w[0] - raw @ mu)


def _prob(x: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(x @ w + b)))


def f1_at(prob: np.ndarray, y: np.ndarray, t: float, n_labels: int) -> float:
    """Fact-level F1 of ``dev_fit`` when the facts under ``t`` are dropped."""
    keep = prob >= t
    tp = float(np.sum(keep & (y == 1)))
    fp = float(np.sum(keep & (y == 0)))
    return 2 * tp / (2 * tp + fp + (n_labels - tp)) if tp else 0.0


def cross_validate(
    x: np.ndarray, y: np.ndarray, docs: list[str], n_labels: int
) -> tuple[float, float, float, dict]:
    """(lambda, threshold, CV F1, table) chosen by document folds; ties keep more facts."""
    names = sorted(set(docs))
    order = np.random.default_rng(SEED).permutation(len(names))
    fold_of = {names[k]: i % FOLDS for i, k in enumerate(order)}
    folds = np.array([fold_of[d] for d in docs])
    best = (0.0, LAMBDAS[0], 0.0)
    table: dict = {}
    for lam in LAMBDAS:
        oof = np.zeros(len(y))
        for k in range(FOLDS):
            tr, te = folds != k, folds == k
            w, b = fit_logistic(x[tr], y[tr], lam)
            oof[te] = _prob(x[te], w, b)
        # candidate thresholds: no cut, then midpoints between sorted distinct probabilities
        ps = np.unique(oof)
        cands = [0.0, *((ps[:-1] + ps[1:]) / 2)]
        scored = [(f1_at(oof, y, t, n_labels), -t) for t in cands]
        f1, neg_t = max(scored)
        table[lam] = (f1, -neg_t, f1_at(oof, y, 0.0, n_labels))
        if f1 > best[0] + 1e-12:
            best = (f1, lam, -neg_t)
    return best[1], best[2], best[0], table


def render(weights: np.ndarray, bias: float, threshold: float, note: str) -> str:
    """``scorer_weights.py`` source (ruff-format stable)."""
    lines = [
        '"""Weights of the learned fact scorer (written by ``python -m',
        "dagster_project.extraction.fit_scorer --write``; do not edit by hand).",
        "",
        note,
        '"""',
        "",
        "WEIGHTS: dict[str, float] = {",
        *(f'    "{n}": {round(float(w), 6)!r},' for n, w in zip(FEATURES, weights, strict=True)),
        "}",
        f"BIAS = {round(bias, 6)!r}",
        f"THRESHOLD = {round(threshold, 6)!r}",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Fit, print the cross-validation table and weights; ``--write`` saves them."""
    repo = Path(__file__).resolve().parents[2]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", type=Path, default=repo / "data" / "eval")
    ap.add_argument("--texts-dir", type=Path, default=None)
    ap.add_argument("--write", action="store_true", help=f"write {WEIGHTS_FILE.name}")
    args = ap.parse_args(argv)
    texts = args.texts_dir or texts_dir(args.eval_dir / "texts")
    x, y, docs, n_labels = dev_fit_examples(args.eval_dir, texts)
    if not len(y):
        print(f"no dev_fit documents with text in {texts}", file=sys.stderr)
        return 1
    print(
        f"dev_fit: {len(set(docs))} documents, {len(y)} candidate facts "
        f"({int(y.sum())} right, {int(len(y) - y.sum())} wrong), {n_labels} labels"
    )
    lam, threshold, f1, table = cross_validate(x, y, docs, n_labels)
    for k, (f, t, base) in table.items():
        print(f"  lambda {k:>5}: CV F1 {f:.4f} at threshold {t:.3f} (no cut: {base:.4f})")
    w, b = fit_logistic(x, y, lam)
    print(f"chosen: lambda {lam}, threshold {threshold:.3f}, CV F1 {f1:.4f}")
    for n, v in zip(FEATURES, w, strict=True):
        print(f"  {n:<22}{v:+.4f}")
    print(f"  {'bias':<22}{b:+.4f}")
    full = _prob(x, w, b)
    dropped = full < threshold
    print(
        f"on dev_fit (in-sample): drops {int(dropped.sum())} candidates, "
        f"{int((dropped & (y == 0)).sum())} of them wrong"
    )
    if args.write:
        note = (
            f"Fitted on dev_fit: {len(set(docs))} documents, {len(y)} candidates "
            f"({int(len(y) - y.sum())} wrong);\n"
            f"lambda {lam}, threshold by {FOLDS}-fold CV over documents (seed {SEED}): "
            f"CV F1 {f1:.4f}."
        )
        WEIGHTS_FILE.write_text(render(w, b, threshold, note), encoding="utf-8")
        print(f"wrote {WEIGHTS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
