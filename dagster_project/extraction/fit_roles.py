"""Re-fit the figure-role model (:mod:`.roles`) on the real set's ``dev_fit`` documents.

Run: ``MINERPIVOT_EVAL_TEXTS_DIR=/work/eval-texts python -m
dagster_project.extraction.fit_roles [--write]``.

Only dev documents and ``labels_dev.jsonl`` are read (never the test split). Each figure the
number parser finds gets a gold role by its value: the ``<fact type>.<field>`` of the
document's labelled facts that state it (within 2 %), ``none`` when no label does; a figure
two roles claim is ambiguous and left out of training. The model is an L2-regularised
multinomial logistic regression (numpy, full-batch Adam from zeros, fixed iterations:
deterministic); the window and penalty are chosen by 5-fold cross-validation over
``dev_fit`` documents (fixed seed) for mention accuracy. The final model is fitted on all of
``dev_fit``; ``dev_check`` is scored with it (accuracy and confusion only). ``--write`` saves
``role_weights.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dagster_project.extraction.corpus import load_gold
from dagster_project.extraction.entities import default_resolver
from dagster_project.extraction.realset import load_real_set, slot_agree, texts_dir
from dagster_project.extraction.roles import (
    KIND_FIELDS,
    NONE,
    WEIGHTS_FILE,
    Mention,
    kind_of_role,
    role_of,
)
from dagster_project.extraction.rules import detect_language, document_mentions
from dagster_project.extraction.text import document_text

SEED = 20261130
FOLDS = 5
WINDOWS = (4, 8, 12)
LAMBDAS = (0.3, 1.0, 3.0, 10.0)
MIN_ROLE = 1  # every role dev_fit labels (annual revenue appears once)
MIN_FEATURE = 2  # features seen in fewer training mentions are dropped
ITERATIONS = 400
BALANCES = (0.0, 0.5)
MAX_CLASS_WEIGHT = 10.0


@dataclass
class DocMentions:
    """One dev document's figures, each with its gold role (``None`` = ambiguous)."""

    doc_id: str
    subsplit: str
    text: str
    lang: str
    mentions: list[Mention]
    gold: list[str | None]


def gold_role(m: Mention, labels: list[dict]) -> str | None:
    """The role the labels give this figure: one role, ``none``, or ``None`` (ambiguous)."""
    fields = KIND_FIELDS[m.kind]
    roles = set()
    for lab in labels:
        for f in fields:
            v = lab.get(f)
            if not isinstance(v, int | float) or v == 0:
                continue
            if any(slot_agree(f, x, v) for x in m.values()):
                roles.add(role_of(lab["fact_type"], f))
    if not roles:
        return NONE
    return roles.pop() if len(roles) == 1 else None


def doc_mentions(eval_dir: Path, texts: Path, window: int, split: str = "dev") -> list[DocMentions]:
    """Mentions and gold roles of every dev document with its text (dev labels only)."""
    if split != "dev":
        raise ValueError("role fitting reads the dev split only")
    real = load_real_set(eval_dir, texts)
    labels = load_gold(eval_dir / "labels_dev.jsonl")
    resolver = default_resolver()
    out = []
    for d in real.docs:
        if d.split != "dev":
            continue
        text, _ = document_text(d.content, d.content_type)
        lang = d.language or detect_language(text)
        ms = document_mentions(text, lang, resolver, window)
        mine = [g for g in labels if g["doc_id"] == d.doc_id]
        out.append(
            DocMentions(d.doc_id, d.subsplit, text, lang, ms, [gold_role(m, mine) for m in ms])
        )
    return out


def _rows(docs: list[DocMentions], roles: list[str]) -> tuple[list[Mention], list[int], list[str]]:
    ms, ys, ids = [], [], []
    for d in docs:
        for m, g in zip(d.mentions, d.gold, strict=True):
            if g is not None and g in roles:
                ms.append(m)
                ys.append(roles.index(g))
                ids.append(d.doc_id)
    return ms, ys, ids


def _matrix(ms: list[Mention], vocab: dict[str, int]) -> np.ndarray:
    x = np.zeros((len(ms), len(vocab)))
    for i, m in enumerate(ms):
        for f in m.features:
            j = vocab.get(f)
            if j is not None:
                x[i, j] = 1.0
    return x


def _mask(ms: list[Mention], roles: list[str]) -> np.ndarray:
    """0 where a role is allowed for the mention's kind, -inf elsewhere."""
    kinds = [kind_of_role(r) for r in roles]
    return np.array(
        [[0.0 if r == NONE or k == m.kind else -np.inf for r, k in zip(roles, kinds, strict=True)]
         for m in ms]
    )  # fmt: skip


def fit_softmax(
    x: np.ndarray, y: np.ndarray, mask: np.ndarray, lam: float, balance: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """Weights (features × roles) and bias; L2 ``lam`` on the weights (not the bias).

    ``balance``: each figure's loss is weighted by ``(n_max / n_role) ** balance`` (capped at
    ``MAX_CLASS_WEIGHT``), so that a role labelled once or twice in ``dev_fit`` still moves
    the weights (0 = plain likelihood)."""
    n, d = x.shape
    k = mask.shape[1]
    counts = np.bincount(y, minlength=k).astype(float)
    cw = np.where(counts > 0, (counts.max() / np.maximum(counts, 1.0)) ** balance, 0.0)
    sw = np.minimum(cw, MAX_CLASS_WEIGHT)[y][:, None]
    w = np.zeros((d, k))
    b = np.zeros(k)
    onehot = np.zeros((n, k))
    onehot[np.arange(n), y] = 1.0
    mw, vw, mb, vb = np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b)
    lr, b1, b2, eps = 0.05, 0.9, 0.999, 1e-8
    for t in range(1, ITERATIONS + 1):
        z = x @ w + b + mask
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        g = (p - onehot) * sw
        gw = x.T @ g + lam * w
        gb = g.sum(axis=0)
        mw = b1 * mw + (1 - b1) * gw
        vw = b2 * vw + (1 - b2) * gw * gw
        mb = b1 * mb + (1 - b1) * gb
        vb = b2 * vb + (1 - b2) * gb * gb
        w -= lr * (mw / (1 - b1**t)) / (np.sqrt(vw / (1 - b2**t)) + eps)
        b -= lr * (mb / (1 - b1**t)) / (np.sqrt(vb / (1 - b2**t)) + eps)
    return w, b


def _predict(x: np.ndarray, mask: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    z = x @ w + b + mask
    return z.argmax(axis=1)


def _vocab(ms: list[Mention]) -> dict[str, int]:
    counts = Counter(f for m in ms for f in set(m.features))
    return {f: i for i, f in enumerate(sorted(f for f, c in counts.items() if c >= MIN_FEATURE))}


def train(
    ms: list[Mention], ys: list[int], roles: list[str], lam: float, balance: float = 0.0
) -> tuple[dict[str, int], np.ndarray, np.ndarray]:
    """(vocabulary, weights, bias) fitted on ``ms``."""
    vocab = _vocab(ms)
    w, b = fit_softmax(_matrix(ms, vocab), np.array(ys), _mask(ms, roles), lam, balance)
    return vocab, w, b


def accuracy(
    ms: list[Mention],
    ys: list[int],
    roles: list[str],
    vocab: dict[str, int],
    w: np.ndarray,
    b: np.ndarray,
) -> tuple[float, np.ndarray]:
    """Accuracy and predictions of a fitted model on ``ms``."""
    pred = _predict(_matrix(ms, vocab), _mask(ms, roles), w, b)
    return float(np.mean(pred == np.array(ys))) if ys else 0.0, pred


def cross_validate(docs_of: dict[int, list[DocMentions]]) -> tuple[int, float, float, dict]:
    """(window, lambda, balance, table) chosen by document folds over ``dev_fit`` for mention
    accuracy; the table also holds the balanced accuracy (mean recall over roles)."""
    table = {}
    best = (-1.0, WINDOWS[0], LAMBDAS[0], BALANCES[0])
    for window in WINDOWS:
        fit_docs = [d for d in docs_of[window] if d.subsplit == "dev_fit"]
        roles = role_list(fit_docs)
        names = sorted(d.doc_id for d in fit_docs)
        order = np.random.default_rng(SEED).permutation(len(names))
        fold_of = {names[k]: i % FOLDS for i, k in enumerate(order)}
        for lam in LAMBDAS:
            for bal in BALANCES:
                gold: list[int] = []
                pred: list[int] = []
                for k in range(FOLDS):
                    tr = [d for d in fit_docs if fold_of[d.doc_id] != k]
                    te = [d for d in fit_docs if fold_of[d.doc_id] == k]
                    ms, ys, _ = _rows(tr, roles)
                    vocab, w, b = train(ms, ys, roles, lam, bal)
                    tms, tys, _ = _rows(te, roles)
                    _, p = accuracy(tms, tys, roles, vocab, w, b)
                    gold += tys
                    pred += list(p)
                g, p = np.array(gold), np.array(pred)
                acc = float(np.mean(g == p))
                balanced = float(np.mean([np.mean(p[g == c] == c) for c in np.unique(g)]))
                table[(window, lam, bal)] = (acc, balanced)
                if acc > best[0] + 1e-12:
                    best = (acc, window, lam, bal)
    return best[1], best[2], best[3], table


def role_list(fit_docs: list[DocMentions]) -> list[str]:
    """``none`` first, then every role seen at least ``MIN_ROLE`` times in ``dev_fit``."""
    counts = Counter(g for d in fit_docs for g in d.gold if g is not None and g != NONE)
    return [NONE, *sorted(r for r, c in counts.items() if c >= MIN_ROLE)]


def to_json(
    roles: list[str],
    vocab: dict[str, int],
    w: np.ndarray,
    b: np.ndarray,
    window: int,
    note: str,
) -> dict:
    """Sparse JSON weights: features whose weights are all under 1e-3 are dropped."""
    weights = {}
    for f, j in sorted(vocab.items()):
        row = w[j]
        if np.max(np.abs(row)) >= 1e-3:
            weights[f] = [round(float(v), 4) for v in row]
    return {
        "note": note,
        "roles": roles,
        "window": window,
        "bias": [round(float(v), 4) for v in b],
        "weights": weights,
    }


def render(data: dict) -> str:
    """The weights as JSON with one feature per line (readable diffs when refitted)."""
    head = {k: v for k, v in data.items() if k != "weights"}
    lines = ["{"]
    lines += [f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}," for k, v in head.items()]
    lines.append('"weights": {')
    items = list(data["weights"].items())
    for i, (f, w) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        lines.append(f"{json.dumps(f, ensure_ascii=False)}: {json.dumps(w)}{comma}")
    lines += ["}", "}", ""]
    return "\n".join(lines)


def confusion(ys: list[int], pred: np.ndarray, roles: list[str]) -> str:
    """Rows: gold role; columns: predicted role (counts)."""
    short = [r.replace("hpc_contract", "hpc").replace("_usd", "") for r in roles]
    lines = ["gold \\ predicted: " + " | ".join(f"{i}={s}" for i, s in enumerate(short))]
    m = np.zeros((len(roles), len(roles)), dtype=int)
    for g, p in zip(ys, pred, strict=True):
        m[g, p] += 1
    for i, s in enumerate(short):
        lines.append(f"  {i:>2} {s:<28}" + " ".join(f"{v:>3}" for v in m[i]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Cross-validate, fit on ``dev_fit``, score ``dev_check``; ``--write`` saves weights."""
    repo = Path(__file__).resolve().parents[2]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval-dir", type=Path, default=repo / "data" / "eval")
    ap.add_argument("--texts-dir", type=Path, default=None)
    ap.add_argument("--write", action="store_true", help=f"write {WEIGHTS_FILE.name}")
    args = ap.parse_args(argv)
    texts = args.texts_dir or texts_dir(args.eval_dir / "texts")
    docs_of = {w: doc_mentions(args.eval_dir, texts, w) for w in WINDOWS}
    any_docs = docs_of[WINDOWS[0]]
    if not any_docs:
        print(f"no dev documents with text in {texts}", file=sys.stderr)
        return 1
    for sub in ("dev_fit", "dev_check"):
        gold = [g for d in any_docs if d.subsplit == sub for g in d.gold]
        print(
            f"{sub}: {sum(d.subsplit == sub for d in any_docs)} documents, {len(gold)} "
            f"figures ({sum(g is None for g in gold)} ambiguous, "
            f"{sum(g == NONE for g in gold)} none)"
        )
    window, lam, bal, table = cross_validate(docs_of)
    for (wd, lm, bl), (acc, balanced) in table.items():
        print(
            f"  window {wd:>2} lambda {lm:>5} balance {bl}: CV accuracy {acc:.4f}, "
            f"balanced {balanced:.4f}"
        )
    print(f"chosen: window {window}, lambda {lam}, balance {bal}")
    docs = docs_of[window]
    fit_docs = [d for d in docs if d.subsplit == "dev_fit"]
    roles = role_list(fit_docs)
    ms, ys, _ = _rows(fit_docs, roles)
    vocab, w, b = train(ms, ys, roles, lam, bal)
    acc_fit, _ = accuracy(ms, ys, roles, vocab, w, b)
    print(f"roles ({len(roles)}): {Counter(roles[y] for y in ys).most_common()}")
    print(f"dev_fit: {len(ys)} training figures, {len(vocab)} features; in-sample {acc_fit:.4f}")
    check = [d for d in docs if d.subsplit == "dev_check"]
    cms, cys, _ = _rows(check, roles)
    acc, pred = accuracy(cms, cys, roles, vocab, w, b)
    base = float(np.mean(np.array(cys) == 0)) if cys else 0.0
    print(f"dev_check: {len(cys)} figures, accuracy {acc:.4f} (all 'none': {base:.4f})")
    print(confusion(cys, pred, roles))
    if args.write:
        note = (
            f"fitted on dev_fit ({len(fit_docs)} documents, {len(ys)} figures); window {window}, "
            f"lambda {lam}, balance {bal} by {FOLDS}-fold CV over documents (seed {SEED}); "
            f"dev_check accuracy {acc:.4f}"
        )
        data = to_json(roles, vocab, w, b, window, note)
        WEIGHTS_FILE.write_text(render(data), "utf-8")
        print(f"wrote {WEIGHTS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
