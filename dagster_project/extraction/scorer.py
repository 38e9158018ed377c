"""The learned fact scorer: a logistic regression over what the rules know about each fact.

The rules (:mod:`.rules`) make candidate facts; this module turns each candidate into a small
feature vector (its type, how many slots and numbers it has, whether its company was named or
inferred, where in the text it sits, how it was typed, how many sentences merged into it, how
many facts the document has) and keeps it when ``w · x + b`` reaches the threshold's logit.

The weights live in :mod:`.scorer_weights` (plain constants, reviewed in git) and are re-fitted
from the real set's ``dev_fit`` documents only by ``python -m
dagster_project.extraction.fit_scorer`` (deterministic; see ``docs/extraction.md``, "Round 4").
Scoring is a dot product in plain Python: no model file, nothing downloaded.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from dagster_project.extraction.facts import Fact

# the trace the rules keep per candidate fact (a list, indexed by these positions)
TRACE = ("sentence", "paragraph", "inferred", "carried", "side_type", "miners", "merges")
TRACE_MERGES = TRACE.index("merges")

_NUMBERS = (
    "mw", "contract_value_usd", "annual_revenue_usd", "term_years", "gpu_count", "amount_usd",
    "amount_usd_low", "amount_usd_high", "interest_rate_pct", "conversion_price_usd",
)  # fmt: skip
_TYPES = (
    "hpc_contract",
    "financing",
    "acquisition",
    "gpu_purchase",
    "capex_per_mw",
    "power_capacity",
)  # `site` is the reference level (the bias)
_GROUP = {"power_capacity": "capacity", "site": "capacity"}
_FIGURES = ("mw", "contract_value_usd", "annual_revenue_usd", "amount_usd", "gpu_count")
_MONEY = frozenset(("contract_value_usd", "annual_revenue_usd", "amount_usd"))
_STEP = math.log1p(0.005)  # figures within 0.5 % fall in the same or a neighbouring bucket


def _bucket(value: float) -> int:
    return int(math.floor(math.log(value) / _STEP))


def _shared(facts: Sequence[Fact]) -> list[tuple[bool, bool]]:
    """Per fact: (a figure equals a figure of a fact of another type group, that figure is
    money). Figures are bucketed on a log scale, so the check is linear in the figures."""
    buckets: dict[int, list[tuple[int, str, float, bool]]] = {}
    figures = []
    for i, f in enumerate(facts):
        group = _GROUP.get(f.fact_type, f.fact_type)
        mine = []
        for k in _FIGURES:
            v = getattr(f, k)
            if v is not None and v > 0:
                item = (i, group, float(v), k in _MONEY)
                mine.append(item)
                buckets.setdefault(_bucket(v), []).append(item)
        figures.append(mine)
    out = []
    for mine in figures:
        share = money = False
        for i, group, v, is_money in mine:
            b = _bucket(v)
            for key in (b - 1, b, b + 1):
                for j, g2, v2, m2 in buckets.get(key, ()):
                    if j != i and g2 != group and abs(v2 - v) <= 0.005 * v:
                        share = True
                        money = money or (is_money and m2)
        out.append((share, money))
    return out


FEATURES: tuple[str, ...] = (
    *(f"type_{t}" for t in _TYPES),
    "numbers",  # numeric slots filled
    "counterparty",  # a party named
    "status",  # a status stated
    "option",  # status option / option_exercised
    "total",  # scope "total" (a sum over deals)
    "company_inferred",  # no miner named in its sentence: the default company
    "company_none",  # an industry figure (no company)
    "headline",  # made from the first sentence (the headline when there is one)
    "sentence_log",  # log(1 + index of its first sentence)
    "merges_log",  # log(1 + later sentences merged into it)
    "carried",  # typed by the sentence before it, not by its own words
    "side_type",  # a second type read beside the sentence's deal (capacity beside a purchase)
    "miners_in_sentence",  # tracked miners named in its sentence (capped at 3)
    "same_type_log",  # log(1 + other candidates of its type group in the document)
    "doc_facts_log",  # log(1 + candidates in the document)
    "release",  # read as the issuer's release (dateline, or a write-up about <= 2 miners)
    "rule_confidence",  # the rules' slot-count confidence
    "shares_figure",  # one of its figures is also a figure of a fact of another type
    "shares_money",  # ... and that figure is a dollar amount (one of the two is misread)
)


def feature_rows(
    facts: Sequence[Fact], traces: Mapping[int, Sequence[int]], release: bool
) -> list[list[float]]:
    """One feature vector (in :data:`FEATURES` order) per candidate fact of one document."""
    groups = Counter(_GROUP.get(f.fact_type, f.fact_type) for f in facts)
    doc_log = math.log1p(len(facts))
    rel = 1.0 if release else 0.0
    rows = []
    for f, (share, money) in zip(facts, _shared(facts), strict=True):
        sentence, _para, inferred, carried, side, miners, merges = traces[id(f)]
        ft = f.fact_type
        numbers = sum(getattr(f, k) is not None for k in _NUMBERS)
        rows.append(
            [
                *(1.0 if ft == t else 0.0 for t in _TYPES),
                float(numbers),
                1.0 if f.counterparty is not None else 0.0,
                1.0 if f.status is not None else 0.0,
                1.0 if f.status in ("option", "option_exercised") else 0.0,
                1.0 if f.scope == "total" else 0.0,
                1.0 if inferred else 0.0,
                1.0 if f.company is None else 0.0,
                1.0 if sentence == 0 else 0.0,
                math.log1p(sentence),
                math.log1p(merges),
                1.0 if carried else 0.0,
                1.0 if side else 0.0,
                float(min(miners, 3)),
                math.log1p(groups[_GROUP.get(ft, ft)] - 1),
                doc_log,
                rel,
                f.confidence,
                1.0 if share else 0.0,
                1.0 if money else 0.0,
            ]
        )
    return rows


@dataclass(frozen=True)
class FactScorer:
    """``weights`` (one per feature name) and ``bias`` on raw features; a fact is kept when
    its probability reaches ``threshold``."""

    weights: tuple[float, ...]
    bias: float
    threshold: float

    @classmethod
    def from_mapping(cls, weights: Mapping[str, float], bias: float, threshold: float):
        """From named weights; a feature without a weight counts 0, an unknown name fails."""
        unknown = set(weights) - set(FEATURES)
        if unknown:
            raise ValueError(f"scorer weights name unknown feature(s): {sorted(unknown)}")
        return cls(tuple(float(weights.get(n, 0.0)) for n in FEATURES), float(bias), threshold)

    @cached_property
    def cut(self) -> float:
        """The threshold as a logit (``keep`` compares the raw score to it, no exp)."""
        t = min(max(self.threshold, 1e-9), 1 - 1e-9)
        return math.log(t / (1 - t))

    @property
    def keeps_all(self) -> bool:
        """A threshold of 0 keeps every fact (no features computed)."""
        return self.threshold <= 0.0

    def logit(self, x: Sequence[float]) -> float:
        """``w · x + b``."""
        return self.bias + math.fsum(w * v for w, v in zip(self.weights, x, strict=True))

    def probability(self, x: Sequence[float]) -> float:
        """The fitted probability that the fact matches a hand-labelled one."""
        return 1.0 / (1.0 + math.exp(-self.logit(x)))

    def keep(self, x: Sequence[float]) -> bool:
        """Whether the fact passes the threshold."""
        return self.logit(x) >= self.cut


def load_default() -> FactScorer:
    """The scorer fitted on ``dev_fit`` (:mod:`.scorer_weights`)."""
    from dagster_project.extraction import scorer_weights as sw

    return FactScorer.from_mapping(sw.WEIGHTS, sw.BIAS, sw.THRESHOLD)


DEFAULT_SCORER = load_default()
