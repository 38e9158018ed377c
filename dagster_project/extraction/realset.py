"""The real-text evaluation set: metadata and labels in git, texts outside it.

``data/eval/real_docs.csv`` lists each document (``doc_id,url,title,published_date,company,
language,kind,split,sha256``); ``data/eval/labels_{dev,test}.jsonl`` hold hand-labelled facts in
the project's fact schema (one per line, with ``doc_id``). The texts themselves are third-party
and never committed: they live in ``$MINERPIVOT_EVAL_TEXTS_DIR`` (default ``data/eval/texts/``,
git-ignored) as ``<doc_id>.txt``. A text whose SHA-256 differs from the metadata is reported
and left out of the scores (it is not the text that was labelled).

Scoring (stricter about numbers, looser about slots than the own-words corpus):

* **fact level** — a predicted fact matches a label when ``fact_type`` and ``company`` are equal
  (``site`` and ``power_capacity`` count for each other) and every number the label states is
  within 2 % of the prediction's; each prediction matches at most one label (greedy, most
  agreeing fields first).
* **slot level** — per field, predictions and labels of one document, company and type group
  are paired greedily by agreeing fields (as for the own-words corpus) and a slot counts when
  it agrees within 2 % (names by containment).
"""

from __future__ import annotations

import csv
import hashlib
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from dagster_project.extraction.corpus import load_gold

REAL_TOL = 0.02
NUMERIC_FIELDS: tuple[str, ...] = (
    "mw",
    "contract_value_usd",
    "annual_revenue_usd",
    "term_years",
    "gpu_count",
    "amount_usd",
    "amount_usd_low",
    "amount_usd_high",
    "interest_rate_pct",
    "conversion_price_usd",
)
META_COLUMNS = (
    "doc_id",
    "url",
    "title",
    "published_date",
    "company",
    "language",
    "kind",
    "split",
    "sha256",
)
TYPE_GROUP = {"site": "capacity", "power_capacity": "capacity"}
# dev is cut once more, by a hash of the URL salted so that it is independent of the
# dev/test cut: rules are tuned on ``dev_fit`` errors only, and ``dev_check`` is read as
# figures only (it plays the test split's role while tuning)
DEV_CHECK_DIGITS = "0123456"  # first hex digit of sha1("check:" + url): 7/16 ≈ 44 %
DEV_SUBSPLITS = ("dev_fit", "dev_check")


def dev_subsplit(url: str) -> str:
    """``dev_check`` or ``dev_fit`` for a dev document's URL (as in ``real_docs.csv``)."""
    digit = hashlib.sha1(("check:" + url).encode("utf-8")).hexdigest()[0]
    return "dev_check" if digit in DEV_CHECK_DIGITS else "dev_fit"


@dataclass(frozen=True)
class RealDocument:
    """One real text, shaped like ``sources.documents.PressDocument`` for the extractor."""

    doc_id: str
    date: date | None
    source: str
    content: bytes
    content_type: str
    language: str | None
    split: str
    title: str = ""  # the page's headline (metadata), as an HTML <title> would give it
    subsplit: str = ""  # "dev_fit" / "dev_check" for a dev document (:func:`dev_subsplit`)


@dataclass
class RealSet:
    """Documents that can be scored, labels, and documents left out (with the reason)."""

    docs: list[RealDocument] = field(default_factory=list)
    labels: list[dict] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def split_ids(self, split: str) -> set[str]:
        """Documents of ``dev``/``test``, or of one dev sub-split (``dev_fit``/``dev_check``)."""
        if split in DEV_SUBSPLITS:
            return {d.doc_id for d in self.docs if d.split == "dev" and d.subsplit == split}
        return {d.doc_id for d in self.docs if d.split == split}


def texts_dir(default: Path) -> Path:
    """``$MINERPIVOT_EVAL_TEXTS_DIR`` or ``default``."""
    env = os.environ.get("MINERPIVOT_EVAL_TEXTS_DIR")
    return Path(env) if env else default


def _date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw.strip()[:10]) if raw.strip() else None
    except ValueError:
        return None


def load_real_set(eval_dir: Path, texts: Path) -> RealSet:
    """Metadata, labels and texts; a missing or changed text is skipped with its reason."""
    out = RealSet()
    meta = eval_dir / "real_docs.csv"
    if not meta.is_file():
        return out
    with meta.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in ("doc_id", "split", "sha256") if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{meta}: column(s) {missing} missing")
        for i, row in enumerate(reader, start=2):
            doc_id = (row.get("doc_id") or "").strip()
            if not doc_id:
                raise ValueError(f"{meta}: row {i}: field 'doc_id' is empty")
            path = next(
                (texts / f"{doc_id}{ext}" for ext in (".txt", ".html", ".htm")
                 if (texts / f"{doc_id}{ext}").is_file()),
                None,
            )  # fmt: skip
            if path is None:
                out.skipped.append((doc_id, f"no text in {texts}"))
                continue
            raw = path.read_bytes()
            want = (row.get("sha256") or "").strip().lower()
            got = hashlib.sha256(raw).hexdigest()
            if want and got != want:
                out.skipped.append((doc_id, f"sha256 {got[:12]}… differs from metadata"))
                continue
            split = (row.get("split") or "dev").strip()
            url = (row.get("url") or "").strip()
            out.docs.append(
                RealDocument(
                    doc_id=doc_id,
                    date=_date(row.get("published_date") or ""),
                    source=url or str(path),
                    content=raw,
                    content_type="text/html" if path.suffix != ".txt" else "text/plain",
                    language=(row.get("language") or "").strip() or None,
                    split=split,
                    title=(row.get("title") or "").strip(),
                    subsplit=dev_subsplit(url) if split == "dev" else "",
                )
            )
    for name in ("labels_dev.jsonl", "labels_test.jsonl"):
        if (eval_dir / name).is_file():
            out.labels += load_gold(eval_dir / name)
    return out


def _num_agree(pred: object, gold: object, tol: float = REAL_TOL) -> bool:
    if not isinstance(pred, int | float) or not isinstance(gold, int | float):
        return False
    if gold == 0:
        return abs(float(pred)) < 1e-9
    return abs(float(pred) - float(gold)) <= tol * abs(float(gold))


def slot_agree(name: str, pred: object, gold: object) -> bool:
    """One slot agrees: numbers within 2 %, counterparties by containment, else equal."""
    if pred is None or gold is None:
        return False
    if name in NUMERIC_FIELDS:
        return _num_agree(pred, gold)
    p, g = str(pred).strip().lower(), str(gold).strip().lower()
    if name == "counterparty":
        return p in g or g in p
    return p == g


def fact_matches(pred: dict, gold: dict) -> bool:
    """Fact-level match: type group + company + every number the label states (2 %)."""
    if TYPE_GROUP.get(pred["fact_type"], pred["fact_type"]) != TYPE_GROUP.get(
        gold["fact_type"], gold["fact_type"]
    ):
        return False
    if pred.get("doc_id") != gold.get("doc_id") or pred.get("company") != gold.get("company"):
        return False
    return all(_num_agree(pred.get(f), gold[f]) for f in NUMERIC_FIELDS if gold.get(f) is not None)


@dataclass
class RealScores:
    """Fact-level and per-field counts (tp, fp, fn) plus the unmatched facts for reading."""

    fact_tp: int = 0
    fact_fp: int = 0
    fact_fn: int = 0
    by_type: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))
    fields: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))
    missed: list[dict] = field(default_factory=list)
    spurious: list[dict] = field(default_factory=list)

    @staticmethod
    def pr(tp: int, fp: int, fn: int) -> tuple[float | None, float | None]:
        return (tp / (tp + fp) if tp + fp else None, tp / (tp + fn) if tp + fn else None)

    @property
    def precision(self) -> float | None:
        return self.pr(self.fact_tp, self.fact_fp, self.fact_fn)[0]

    @property
    def recall(self) -> float | None:
        return self.pr(self.fact_tp, self.fact_fp, self.fact_fn)[1]


def _slot_fields() -> tuple[str, ...]:
    from dagster_project.extraction.facts import VALUE_FIELDS

    return VALUE_FIELDS


def score_real(predicted: Iterable[dict], gold: Iterable[dict]) -> RealScores:
    """Fact-level and slot-level scores (see the module docstring)."""
    preds, golds = list(predicted), list(gold)
    s = RealScores()
    slots = _slot_fields()

    def agreement(p: dict, g: dict) -> int:
        return sum(slot_agree(f, p.get(f), g.get(f)) for f in slots)

    # fact level: one-to-one, greedy by agreement among pairs that match
    pairs = sorted(
        (
            (agreement(p, g), -i, -j, i, j)
            for i, p in enumerate(preds)
            for j, g in enumerate(golds)
            if fact_matches(p, g)
        ),
        reverse=True,
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    for *_, i, j in pairs:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        s.by_type[golds[j]["fact_type"]][0] += 1
    for i, p in enumerate(preds):
        if i not in used_p:
            s.by_type[p["fact_type"]][1] += 1
            s.spurious.append(p)
    for j, g in enumerate(golds):
        if j not in used_g:
            s.by_type[g["fact_type"]][2] += 1
            s.missed.append(g)
    s.fact_tp, s.fact_fp, s.fact_fn = (
        len(used_p),
        len(preds) - len(used_p),
        len(golds) - len(used_g),
    )

    # slot level: pair within (doc, company, type group) by agreement, then count slots
    groups: dict[tuple, tuple[list[dict], list[dict]]] = defaultdict(lambda: ([], []))
    for p in preds:
        groups[(p["doc_id"], p.get("company"), TYPE_GROUP.get(p["fact_type"], p["fact_type"]))][
            0
        ].append(p)
    for g in golds:
        groups[(g["doc_id"], g.get("company"), TYPE_GROUP.get(g["fact_type"], g["fact_type"]))][
            1
        ].append(g)
    for gp, gg in groups.values():
        ranked = sorted(
            ((agreement(p, g), -i, -j, i, j) for i, p in enumerate(gp) for j, g in enumerate(gg)),
            reverse=True,
        )
        up: set[int] = set()
        ug: set[int] = set()
        matched: list[tuple[dict, dict]] = []
        for *_, i, j in ranked:
            if i in up or j in ug:
                continue
            up.add(i)
            ug.add(j)
            matched.append((gp[i], gg[j]))
        unmatched = [(p, {}) for i, p in enumerate(gp) if i not in up]
        unmatched += [({}, g) for j, g in enumerate(gg) if j not in ug]
        for p, g in matched + unmatched:
            for f in slots:
                pv, gv = p.get(f), g.get(f)
                if pv is not None and slot_agree(f, pv, gv):
                    s.fields[f][0] += 1
                    continue
                if pv is not None:
                    s.fields[f][1] += 1
                if gv is not None:
                    s.fields[f][2] += 1
    return s


def _fmt(v: float | None) -> str:
    return "  -  " if v is None else f"{v:5.2f}"


def report_real(name: str, s: RealScores, n_docs: int) -> str:
    """Plain-text table: fact-level P/R (overall and per type) and slot-level P/R per field."""
    lines = [
        f"== real {name} ({n_docs} documents) ==",
        f"{'fact_type':<16}{'P':>6}{'R':>6}{'tp':>5}{'fp':>5}{'fn':>5}",
    ]
    for ft in sorted(s.by_type):
        tp, fp, fn = s.by_type[ft]
        p, r = s.pr(tp, fp, fn)
        lines.append(f"{ft:<16}{_fmt(p):>6}{_fmt(r):>6}{tp:>5}{fp:>5}{fn:>5}")
    p, r = s.precision, s.recall
    lines.append(
        f"{'ALL FACTS':<16}{_fmt(p):>6}{_fmt(r):>6}{s.fact_tp:>5}{s.fact_fp:>5}{s.fact_fn:>5}"
    )
    lines.append(f"{'slot':<22}{'P':>6}{'R':>6}{'tp':>5}{'fp':>5}{'fn':>5}")
    tot = [0, 0, 0]
    for f in _slot_fields():
        tp, fp, fn = s.fields.get(f, [0, 0, 0])
        if tp + fp + fn:
            p, r = s.pr(tp, fp, fn)
            lines.append(f"{f:<22}{_fmt(p):>6}{_fmt(r):>6}{tp:>5}{fp:>5}{fn:>5}")
            tot = [tot[0] + tp, tot[1] + fp, tot[2] + fn]
    p, r = s.pr(*tot)
    lines.append(f"{'ALL SLOTS':<22}{_fmt(p):>6}{_fmt(r):>6}{tot[0]:>5}{tot[1]:>5}{tot[2]:>5}")
    return "\n".join(lines)
