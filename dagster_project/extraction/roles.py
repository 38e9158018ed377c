"""Figure roles: which slot of which fact a number in the text fills (round 5).

Every figure the rules' number parser sees (money, MW, terms in years, GPU counts) is a
*mention*; a multinomial logistic regression over the words around it (left and right of the
figure, within ``window`` tokens of its sentence), its unit and magnitude, and a few sentence
facts (first sentence, a tracked miner or a counterparty named, other figures of its kind)
gives it a role such as ``hpc_contract.contract_value_usd``, ``hpc_contract.annual_revenue_usd``,
``financing.amount_usd``, ``capacity.mw`` (``site`` and ``power_capacity``) or ``none`` (a
figure no fact uses). Roles are restricted to the figure's kind (a MW figure is never a value).

The weights live in ``role_weights.json`` (sparse: feature → one weight per role), written by
``python -m dagster_project.extraction.fit_roles --write`` from the real set's ``dev_fit``
documents only; scoring is a sum of dictionary look-ups in plain Python. Nothing is downloaded.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Protocol

from dagster_project.extraction import numbers as nb
from dagster_project.extraction.facts import Fact

WEIGHTS_FILE = Path(__file__).with_name("role_weights.json")
NONE = "none"
# the fact field each mention kind can fill (roles are "<fact type>.<field>")
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "money": (
        "contract_value_usd",
        "annual_revenue_usd",
        "amount_usd",
        "amount_usd_low",
        "amount_usd_high",
        "conversion_price_usd",
    ),
    "mw": ("mw",),
    "term": ("term_years",),
    "count": ("gpu_count",),
}
# ``site`` and ``power_capacity`` count for each other in scoring: one role
ROLE_TYPE = {"site": "capacity", "power_capacity": "capacity"}
# a range's bounds fill the same role as a single amount
ROLE_FIELD = {"amount_usd_low": "amount_usd", "amount_usd_high": "amount_usd"}

# cue words (EN + FR, lower case) that name a figure's role near it; one feature per group
# and side ("cue:L:annual"), so that a role seen rarely can still borrow from its cue
CUES: dict[str, frozenset[str]] = {
    "annual": frozenset(
        ("annual", "annually", "annualized", "annualised", "yearly", "annuel", "annuelle",
         "annuels", "annualisé", "annualisés")
    ),
    "total": frozenset(("total", "aggregate", "cumulative", "combined", "totaling", "totalling")),
    "value": frozenset(("value", "valued", "worth", "revenue", "revenues", "valeur", "revenus")),
    "before": frozenset(("from", "initially", "initial", "original", "previously", "up", "contre")),
    "option": frozenset(("option", "options", "expansion", "potential", "additional", "extension")),
    "site": frozenset(("campus", "site", "facility", "facilities", "installation", "energized")),
    "debt": frozenset(
        ("notes", "loan", "offering", "credit", "financing", "debt", "convertible", "facility",
         "prêt", "financement", "obligations")
    ),
    "buy": frozenset(("acquire", "acquisition", "acquired", "purchase", "buy", "rachat", "achat")),
    "lease": frozenset(("lease", "leases", "contract", "agreement", "tenant", "bail", "contrat")),
}  # fmt: skip
_TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|\d[\d.,]*|\$|€|%")


class _Spans(Protocol):
    start: int
    end: int


@dataclass
class Mention:
    """One figure of a document with the features the role model reads."""

    kind: str  # money | mw | term | count
    value: float
    start: int
    end: int
    sentence: int
    low: float | None = None
    high: float | None = None
    features: list[str] = field(default_factory=list)
    sentence_start: int = 0  # the sentence's span in the text (the evidence of a new fact)
    sentence_end: int = 0

    def values(self) -> tuple[float, ...]:
        """The figure and, for a range, its bounds."""
        return tuple(v for v in (self.value, self.low, self.high) if v is not None)


def role_of(fact_type: str, field_name: str) -> str:
    """``"site", "mw"`` → ``"capacity.mw"``; ``amount_usd_low`` → ``…amount_usd``."""
    return f"{ROLE_TYPE.get(fact_type, fact_type)}.{ROLE_FIELD.get(field_name, field_name)}"


def kind_of_role(role: str) -> str | None:
    """The mention kind a role belongs to (``None`` for ``none``)."""
    if role == NONE:
        return None
    fld = role.split(".", 1)[1]
    return next((k for k, fields in KIND_FIELDS.items() if fld in fields), None)


def _tokens(s: str) -> list[str]:
    out = []
    for t in _TOKEN.findall(s.lower()):
        out.append("#" if t[0].isdigit() else t)
    return out


def _magnitude(kind: str, value: float) -> str:
    if value <= 0:
        return "0"
    if kind == "money":
        return str(int(math.floor(math.log10(value))))
    if kind == "mw":
        for cap, name in ((10, "<10"), (50, "<50"), (200, "<200"), (500, "<500"), (1000, "<1k")):
            if value < cap:
                return name
        return ">=1k"
    if kind == "term":
        return "<=5" if value <= 5 else ("<=10" if value <= 10 else ">10")
    return "<1k" if value < 1000 else ("<10k" if value < 10000 else ">=10k")


_FINDERS = {
    "money": lambda s, lang: [q for q in nb.find_money(s, lang) if q.currency is not None],
    "mw": nb.find_mw,
    "term": nb.find_terms,
    "count": nb.find_gpu_counts,
}
KINDS = tuple(_FINDERS)


def find_mentions(
    text: str,
    sentences: Sequence[_Spans],
    lang: str,
    window: int,
    info: Callable[[int, str], tuple[bool, bool, str | None]] | None = None,
    kinds: Sequence[str] = KINDS,
    skip: Callable[[float], bool] | None = None,
    only: set[int] | None = None,
) -> list[Mention]:
    """Every money/MW/term/GPU-count figure of ``text`` (sentence by sentence) with features.

    ``info(index, sentence)``: whether the sentence names a tracked miner, whether it names a
    known counterparty, and the fact type its trigger words give (the caller's resolver and
    rules; ``None`` leaves those features out); it is asked only for sentences that keep a
    figure. ``kinds`` limits the figures looked for; ``skip(value)`` drops a figure (after
    the per-sentence counts its features use, so the others' features do not change);
    ``only``: the indices of the sentences to read (positions keep counting all of them)."""
    out: list[Mention] = []
    for idx, sent in enumerate(sentences):
        if only is not None and idx not in only:
            continue
        s = text[sent.start : sent.end]
        found: list[nb.Quantity] = []
        for kind in kinds:
            found += _FINDERS[kind](s, lang)
        if not found:
            continue
        found.sort(key=lambda q: q.start)
        per_kind: dict[str, list[float]] = {}
        for q in found:
            per_kind.setdefault(q.kind, []).append(q.value)
        if skip is not None:
            found = [q for q in found if not skip(q.value)]
            if not found:
                continue
        shared = [f"lang={lang}", f"sent={min(idx, 4)}"]
        if info is not None:
            miner, party, stype = info(idx, s)
            if miner:
                shared.append("miner_in_sentence")
            if party:
                shared.append("party_in_sentence")
            shared.append(f"stype={stype}")
        for q in found:
            left = _tokens(s[: q.start])[-window:]
            right = _tokens(s[q.end :])[:window]
            same = per_kind[q.kind]
            rank = sorted(same, reverse=True).index(q.value)
            feats = [
                f"kind={q.kind}",
                f"mag={q.kind}:{_magnitude(q.kind, q.value)}",
                f"n={q.kind}:{min(len(same), 3)}",
                f"rank={q.kind}:{min(rank, 2)}",
                *(f"{q.kind}:{x}" for x in shared),
            ]
            if q.per:
                feats.append(f"per={q.per}")
            if q.qualifier:
                feats.append(f"qual={q.qualifier}")
            if q.basis:
                feats.append(f"basis={q.basis}")
            if q.low is not None:
                feats.append("range")
            if q.currency and q.currency != "USD":
                feats.append("cur=other")
            feats += [f"L:{w}" for w in set(left)]
            feats += [f"R:{w}" for w in set(right)]
            lw, rw = set(left), set(right)
            feats += [f"cue:L:{c}" for c, words in CUES.items() if lw & words]
            feats += [f"cue:R:{c}" for c, words in CUES.items() if rw & words]
            feats += [f"L1:{w}" for w in left[-2:]]
            feats += [f"R1:{w}" for w in right[:2]]
            out.append(
                Mention(q.kind, q.value, q.start + sent.start, q.end + sent.start, idx,
                        q.low, q.high, feats, sent.start, sent.end)
            )  # fmt: skip
    return out


@dataclass(frozen=True)
class RoleModel:
    """Sparse multinomial logistic regression: ``weights[feature][k]`` per role ``k``."""

    roles: tuple[str, ...]
    weights: dict[str, tuple[float, ...]]
    bias: tuple[float, ...]
    window: int

    @classmethod
    def from_json(cls, data: dict) -> RoleModel:
        roles = tuple(data["roles"])
        weights = {f: tuple(float(x) for x in w) for f, w in data["weights"].items()}
        bad = [f for f, w in weights.items() if len(w) != len(roles)]
        if bad or len(data["bias"]) != len(roles):
            raise ValueError(f"role weights: wrong length for {bad[:3] or 'bias'}")
        return cls(roles, weights, tuple(float(b) for b in data["bias"]), int(data["window"]))

    def allowed(self, kind: str) -> list[int]:
        """Indices of the roles a figure of ``kind`` may take (``none`` always)."""
        return [k for k, r in enumerate(self.roles) if r == NONE or kind_of_role(r) == kind]

    def probabilities(self, mention: Mention) -> dict[str, float]:
        """Role → probability (softmax over the roles of the mention's kind)."""
        idx = self.allowed(mention.kind)
        scores = {k: self.bias[k] for k in idx}
        for f in mention.features:
            w = self.weights.get(f)
            if w is not None:
                for k in idx:
                    scores[k] += w[k]
        top = max(scores.values())
        exp = {k: math.exp(v - top) for k, v in scores.items()}
        total = sum(exp.values())
        return {self.roles[k]: v / total for k, v in exp.items()}

    def predict(self, mention: Mention) -> tuple[str, float]:
        """The most likely role and its probability."""
        probs = self.probabilities(mention)
        role = max(probs, key=lambda r: (probs[r], r))
        return role, probs[role]


@cache
def load_default() -> RoleModel:
    """The shipped weights (``role_weights.json``)."""
    return RoleModel.from_json(json.loads(WEIGHTS_FILE.read_text(encoding="utf-8")))


# numeric slots the role model may check (veto/move) or fill, per fact type
CHECKED_FIELDS = ("contract_value_usd", "annual_revenue_usd", "amount_usd", "mw", "term_years")
FILLED_FIELDS = ("contract_value_usd", "annual_revenue_usd", "term_years", "mw")
_SAME = 0.005


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= _SAME * max(abs(b), 1e-9)


@dataclass(frozen=True)
class RoleUse:
    """How assembly uses the role model: a probability of 1.0 (or more) turns a use off."""

    veto: float = 1.01  # clear (or move) a slot whose figure the model gives another role
    fill: float = 1.01  # fill a contract's empty slot with the figure rated highest for it
    veto_to: str = "none"  # "none": veto only figures the model calls `none`; "any": any role
    retype: bool = False  # a fact whose only figure belongs to another fact type takes that type
    replace: float = 1.01  # a vetoed slot takes another figure of the span rated this high for it
    site: float = 1.01  # a MW figure no fact uses, rated `capacity.mw` this high, becomes a site

    @property
    def active(self) -> bool:
        return min(self.veto, self.fill, self.site) <= 1.0

    @property
    def sites_only(self) -> bool:
        """Only new sites are made (so only unused MW figures need reading)."""
        return self.site <= 1.0 and self.veto > 1.0 and self.fill > 1.0


# the shipped use: new sites only, at the threshold chosen by cross-validation on dev_fit
# (veto, move, retype and fill lowered or kept dev_check's fact-level F1; "Round 5")
SITE_THRESHOLD = 0.9
DEFAULT_ROLE_USE = RoleUse(site=SITE_THRESHOLD)


def apply_roles(
    facts: list,
    mentions: Sequence[Mention],
    probs: Sequence[dict[str, float]],
    use: RoleUse,
    text: str = "",
    taken: Sequence[float] = (),
) -> list:
    """Facts after the role model's veto / fill / new sites (``facts`` are changed in place;
    a fact left without any number is dropped). ``probs[i]`` belongs to ``mentions[i]``;
    ``taken``: MW figures that may not become new sites."""
    if not use.active or not mentions:
        return facts
    changed: set[int] = set()
    if use.veto <= 1.0:
        for f in facts:
            for fld in CHECKED_FIELDS:
                v = getattr(f, fld, None)
                if v is None:
                    continue
                here = [
                    i
                    for i, m in enumerate(mentions)
                    if f.span_start <= m.start < f.span_end and any(_same(x, v) for x in m.values())
                ]
                if not here:
                    continue  # the figure came from elsewhere (merged from far): not judged
                own = role_of(f.fact_type, fld)
                tops = [max(probs[i].items(), key=lambda kv: (kv[1], kv[0])) for i in here]
                if any(r == own or p < use.veto for r, p in tops):
                    continue
                if use.veto_to == "none" and any(r != NONE for r, _ in tops):
                    continue
                role = tops[0][0]
                _reassign(f, fld, v, own, role, mentions, probs, here, use)
                changed.add(id(f))
    if use.fill <= 1.0:
        used = [
            getattr(f, k) for f in facts for k in CHECKED_FIELDS if getattr(f, k, None) is not None
        ]
        base = [f for f in facts if f.fact_type == "hpc_contract" and f.status != "option"]
        if len(base) == 1:
            f = base[0]
            for fld in FILLED_FIELDS:
                if getattr(f, fld) is not None:
                    continue
                role = role_of("hpc_contract", fld)
                best = None
                for m, p in zip(mentions, probs, strict=True):
                    pr = p.get(role, 0.0)
                    if pr >= use.fill and (best is None or pr > best[0]):
                        if not any(_same(m.value, u) for u in used):
                            best = (pr, m)
                if best is not None:
                    setattr(f, fld, best[1].value)
                    used.append(best[1].value)
                    changed.add(id(f))
    if use.site <= 1.0 and facts:
        facts = facts + _new_sites(facts, mentions, probs, use.site, text, taken)
    if not changed:
        return facts
    numeric = (*CHECKED_FIELDS, "gpu_count", "amount_usd_low", "amount_usd_high",
               "interest_rate_pct", "conversion_price_usd")  # fmt: skip
    return [
        f
        for f in facts
        if id(f) not in changed
        or any(getattr(f, k) is not None for k in numeric)
        or (f.status == "backstop" and f.counterparty)
    ]


_TYPE_OF_ROLE = {"capacity": "site"}


def _numbers(f: object) -> list[str]:
    numeric = (*CHECKED_FIELDS, "gpu_count", "amount_usd_low", "amount_usd_high",
               "interest_rate_pct", "conversion_price_usd")  # fmt: skip
    return [k for k in numeric if getattr(f, k) is not None]


def _reassign(
    f: object,
    fld: str,
    v: float,
    own: str,
    role: str,
    mentions: Sequence[Mention],
    probs: Sequence[dict[str, float]],
    here: list[int],
    use: RoleUse,
) -> None:
    """The model gives figure ``v`` (slot ``fld`` of fact ``f``) the role ``role``, not
    ``own``: move it to the fact's other slot, retype a one-figure fact, or clear the slot
    (and take the span's figure rated highest for ``own`` when ``use.replace`` allows)."""
    rtype, rfield = role.split(".", 1) if role != NONE else (NONE, "")
    ftype = f.fact_type  # type: ignore[attr-defined]
    if rtype == ROLE_TYPE.get(ftype, ftype):
        if getattr(f, rfield, 1) is None:
            setattr(f, fld, None)
            setattr(f, rfield, v)  # the same deal's other slot (value → annual revenue)
        return
    if (
        rtype != NONE
        and use.retype
        and _numbers(f) == [fld]
        and kind_of_role(own) == kind_of_role(role)
    ):
        setattr(f, fld, None)
        f.fact_type = _TYPE_OF_ROLE.get(rtype, rtype)  # type: ignore[attr-defined]
        setattr(f, rfield, v)
        if f.fact_type in ("site", "power_capacity"):  # type: ignore[attr-defined]
            f.counterparty = None  # type: ignore[attr-defined]
        return
    setattr(f, fld, None)
    if use.replace <= 1.0:
        best = None
        for i, m in enumerate(mentions):
            if i in here or not (f.span_start <= m.start < f.span_end):  # type: ignore[attr-defined]
                continue
            pr = probs[i].get(own, 0.0)
            if pr >= use.replace and (best is None or pr > best[0]):
                best = (pr, m.value)
        if best is not None:
            setattr(f, fld, best[1])


def _new_sites(
    facts: list,
    mentions: Sequence[Mention],
    probs: Sequence[dict[str, float]],
    t: float,
    text: str,
    taken: Sequence[float] = (),
) -> list:
    """``site`` facts for MW figures that no fact uses (nor ``taken``: figures of candidates
    the scorer dropped) and the model rates ``capacity.mw`` with probability ``t`` or more;
    the company is that of the nearest fact before it."""
    used = [f.mw for f in facts if f.mw is not None] + list(taken)
    out: list = []
    for m, p in zip(mentions, probs, strict=True):
        if m.kind != "mw" or p.get("capacity.mw", 0.0) < t:
            continue
        if any(_same(m.value, u) for u in used):
            continue
        before = [f for f in facts if f.span_start <= m.start] or facts
        near = max(before, key=lambda f: (f.span_start <= m.start, f.span_start))
        # the figure's sentence is the evidence (the figure alone when the caller gave none)
        a, b = (m.sentence_start, m.sentence_end) if m.sentence_end else (m.start, m.end)
        out.append(
            Fact(doc_id=near.doc_id, company=near.company, fact_type="site", mw=m.value,
                 evidence=text[a:b], span_start=a, span_end=b,
                 confidence=round(p["capacity.mw"], 2))
        )  # fmt: skip
        used.append(m.value)
    return out
