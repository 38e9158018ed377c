"""Site and company-capacity passes over the rules' facts (round 6b).

Small passes that run after the rules have assembled a document's facts; each is a general
reading of the labelling guide (``data/eval/README.md``), kept only where it raised
``dev_check`` (see ``docs/extraction.md``, "Round 6b: sites and capacity"):

- :func:`drop_rejected_role_sites`: a site the figure-role model adds from a MW figure that
  no fact uses must not be a figure the rules read and set aside on purpose (a pace "250 MW
  to 500 MW annually", the old figure of "from 600 MW to 750 MW", a bound of "range in size
  from 10 MW to 20 MW", the same capacity on another basis in brackets).
- :func:`is_leased`: a site figure equal to a contract's MW is that contract's capacity (one
  fact, as since round 2), except where the figure is written as a site's own size ("a
  second 150 MW facility", "the campus was designed to host 400 MW": :func:`sized_site`).

Round 8b (``docs/extraction.md``, "Round 8b: site precision"): :func:`_not_a_size` drops a
site/capacity fact whose figure is only a bound of a size range (:func:`range_bounds`) or the
capacity of a combined company; ``ACQUISITION_MW_DUP`` is on, limited to sentences about the
deal (``ACQ_DUP_MODE``).

Ablations measured and left off (switches below): a contract with only MW and no party
retyped as a site (``MINER_LEASE_SITE``, ``MINER_LEASE_OPTIONS``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from dagster_project.extraction import numbers as nb
from dagster_project.extraction.facts import Fact

_CAPACITY_TYPES = ("site", "power_capacity")

# switches for the measured ablations (module constants so a dev-only script can flip them)
ROLE_SITE_CHECK = True
ACQUISITION_MW_DUP = True  # round 8b: on, only where the site sentence is about the deal
MINER_LEASE_SITE = False
MINER_LEASE_OPTIONS = False


# a figure written as the size of a site: "a second 150MW facility", "its 18-megawatt
# Washington state facility", "the 1-gigawatt (GW) campus", "a 100-megawatt data center site"
_SITE_AFTER = re.compile(
    r"\s*(?:\((?:MW|GW|megawatts?|gigawatts?)\)\s*)?"
    r"(?:(?!(?:of|de|du|des|di|in|at|to|for|pour|à|en|with|and|et)\b)[\w.'-]+\s+){0,3}?"
    r"(?:data cent(?:er|re)\s+)?(?:sites?|campus|facility|facilities|plant|building|"
    r"data cent(?:er|re)|installation|centre de données|bâtiment)\b",
    re.I,
)
# ... or what a site was built for: "the site was designed to host 400 MW", "built to handle
# up to 200 MW", "campus of 750 MW"
_SITE_BEFORE = re.compile(
    r"(?:(?:designed|built|conçu|conçue|able)\s+(?:to|pour|for)\s+"
    r"(?:host|handle|support|accueillir|a capacity of|une capacité de)|"
    r"(?:campus|site|facility|installation)\s+(?:de|of|d'))"
    r"(?:\s+(?:up to|jusqu'à|approximately|about|environ))?\s*\Z",
    re.I,
)


def sized_site(sentence: str, value: float, lang: str = "en") -> bool:
    """``value`` MW is written in ``sentence`` as a site's size (:data:`_SITE_AFTER`,
    :data:`_SITE_BEFORE`), not as an amount of capacity leased or delivered."""
    for q in nb.find_mw(sentence, lang):
        if not _same(q.value, value):
            continue
        if _SITE_AFTER.match(sentence, q.end) or _SITE_BEFORE.search(
            sentence, max(0, q.start - 60), q.start
        ):
            return True
    return False


def _same(a: float, b: float, tol: float = 0.005) -> bool:
    return abs(a - b) <= tol * max(abs(a), abs(b), 1e-9)


def set_aside(sentence: str, lang: str, value: float) -> bool:
    """Every occurrence of ``value`` MW in ``sentence`` is one the rules discard as a size: a
    pace, a superseded figure, a range bound, or the same capacity restated on another basis."""
    from dagster_project.extraction import rules  # the rules' own tests (rules imports us)

    qs = nb.find_mw(sentence, lang)
    hits = [i for i, q in enumerate(qs) if _same(q.value, value)]
    if not hits:
        return False
    return all(
        rules._mw_rate(sentence, qs[i])
        or rules._superseded_mw(sentence, qs[i])
        or rules._range_bound(sentence, qs[i])
        or (i > 0 and rules._other_basis(sentence, qs[i - 1], qs[i]))
        for i in hits
    )


def drop_rejected_role_sites(before: Sequence[Fact], after: list[Fact], lang: str) -> list[Fact]:
    """``after`` without the sites the role pass added (facts not in ``before``) whose figure
    the rules set aside in its sentence (:func:`set_aside`)."""
    if not ROLE_SITE_CHECK or len(after) == len(before):
        return after
    old = {id(f) for f in before}
    return [
        f
        for f in after
        if id(f) in old
        or f.fact_type != "site"
        or f.mw is None
        or not (set_aside(f.evidence, lang, f.mw) or _not_a_size(f, lang))
    ]


def refine(facts: list[Fact], lang: str = "en") -> list[Fact]:
    """The document-level passes over the rules' facts (before the role model)."""
    out = facts
    if ASIDE_ALL or COMBINED_ENTITY:
        out = [f for f in out if not _not_a_size(f, lang)]
    if ACQUISITION_MW_DUP:
        bought = [
            (f.company, f.mw, f.evidence) for f in out if f.fact_type == "acquisition" and f.mw
        ]
        out = [
            f
            for f in out
            if not (
                f.fact_type in _CAPACITY_TYPES
                and f.mw is not None
                and any(
                    c == f.company and _same(m, f.mw) and _dup_of_deal(f.evidence, e)
                    for c, m, e in bought
                )
            )
        ]
    if MINER_LEASE_SITE:
        out = [_lease_as_site(f) for f in out]
    return out


ACQ_DUP_MODE = "deal"  # "any" (round 6b, rejected), "same" sentence, "deal": it names the deal
_DEAL_WORDS = re.compile(
    r"\b(?:acqui\w*|purchas\w*|transaction|deal|bought|buy|rach\w*|achat|closing|closed)\b", re.I
)


def _dup_of_deal(sentence: str | None, deal_sentence: str | None) -> bool:
    if ACQ_DUP_MODE == "any":
        return True
    if ACQ_DUP_MODE == "same":
        return sentence == deal_sentence
    return sentence == deal_sentence or bool(sentence and _DEAL_WORDS.search(sentence))


def _lease_as_site(f: Fact) -> Fact:
    if f.fact_type != "hpc_contract" or f.mw is None or f.counterparty is not None:
        return f
    if f.status == "option" and not MINER_LEASE_OPTIONS:
        return f
    if any(
        getattr(f, k) is not None
        for k in ("contract_value_usd", "annual_revenue_usd", "term_years", "gpu_count")
    ):
        return f
    return replace(f, fact_type="site", status=None, scope=f.scope)


def leased_capacity(facts: Sequence[Fact]) -> dict[tuple[str | None, float], list[Fact]]:
    """(company, MW) → the contracts stating that MW."""
    out: dict[tuple[str | None, float], list[Fact]] = {}
    for f in facts:
        if f.fact_type == "hpc_contract" and f.mw:
            out.setdefault((f.company, f.mw), []).append(f)
    return out


def is_leased(f: Fact, leased: dict[tuple[str | None, float], list[Fact]]) -> bool:
    """A site/capacity fact whose MW a contract of the same company states is that contract's
    capacity (one fact)."""
    if f.fact_type not in _CAPACITY_TYPES or (f.company, f.mw) not in leased:
        return False
    if LEASED_RULE == "off":
        return False
    if LEASED_RULE == "sized":
        return not sized_site(f.evidence, f.mw)
    return True


LEASED_RULE = "sized"  # "all": any equal MW (rounds 2-6a); "off": never


# where a deal is carried out: "to deploy Blackwell systems at its 60-megawatt Childress
# campus", "hosted in the 50 MW facility"
_AT_SITE = re.compile(
    r"\b(?:at|in|on|within|à|dans|sur)\s+(?:its|the|their|a|an|le|la|l'|son|sa|leur)\s*\Z",
    re.I,
)


def site_of_deal(sentence: str, q: nb.Quantity) -> bool:
    """MW figure ``q`` of a deal sentence names the size of the site the deal is placed at
    ("at its 60-megawatt Childress campus"): a site fact, not the deal's capacity."""
    return (
        SITE_IN_DEAL
        and bool(_AT_SITE.search(sentence, max(0, q.start - 12), q.start))
        and bool(_SITE_AFTER.match(sentence, q.end))
    )


def crit_is_site(sentence: str, q: nb.Quantity, lang: str) -> bool:
    """A lone critical-IT figure after a contract is its capacity unless the sentence writes
    it as a site's own size ("a campus built to handle up to 200 MW of critical IT load")."""
    return CRIT_SITE and sized_site(sentence, q.value, lang)


SITE_IN_DEAL = True
CRIT_SITE = True

# round 8b: site/capacity facts the rules make themselves (not only the role model's) are
# checked too: a bound of a size range is not a size ("the sites range in size from 8 MW to
# 15 MW, totaling 60 MW": 8 and 15 are bounds, 60 is not); and a capacity of a combination of
# two companies that does not exist yet ("the combined company would have about 1 GW") is not
# a site or capacity of the subject (the guide leaves it out)
ASIDE_ALL = True
ASIDE_MODE = "range"  # "range": range bounds only; "all": also paces, old figures, bases
COMBINED_ENTITY = True

_RANGE_START = re.compile(
    r"\b(?:rang\w*|var(?:y|ies|ied|ying|ient|ent)\w*)\s+(?:in\s+(?:size|capacity)\s+|en\s+taille\s+)?(?:from|de)\s*\Z",
    re.I,
)
_RANGE_MID = re.compile(r"\s*(?:MW|megawatts?|mégawatts?)?\s*(?:to|and|through|-|–|à)\s*", re.I)
_COMBINED = re.compile(
    r"\b(?:combined\s+(?:company|companies|entity|group|business)|pro[\s-]?forma|"
    r"(?:soci[ée]t[ée]|entit[ée]|groupe)\s+(?:combin[ée]e?|fusionn[ée]e?|issue\s+de\s+la\s+fusion))\b",
    re.I,
)


def range_bounds(sentence: str, lang: str = "en") -> list[float]:
    """MW values written as the bounds of a size range: the figure right after "range(s) in
    size from" and the one after it joined by "to" / "-" ("from 8 MW to 15 MW")."""
    if "rang" not in sentence and "var" not in sentence:
        return []
    qs = nb.find_mw(sentence, lang)
    out: list[float] = []
    for i, q in enumerate(qs):
        if _RANGE_START.search(sentence, max(0, q.start - 45), q.start):
            out.append(q.value)
            if i + 1 < len(qs) and _RANGE_MID.fullmatch(sentence, q.end, qs[i + 1].start):
                out.append(qs[i + 1].value)
    return out


def _not_a_size(f: Fact, lang: str) -> bool:
    if f.fact_type not in _CAPACITY_TYPES or f.mw is None or not f.evidence:
        return False
    s = f.evidence
    if COMBINED_ENTITY and _COMBINED.search(s):
        return True
    if not ASIDE_ALL:
        return False
    if ASIDE_MODE == "all" and set_aside(s, lang, f.mw):
        return True
    bounds = range_bounds(s, lang)
    if not bounds or not any(_same(b, f.mw) for b in bounds):
        return False
    # every mention of the value is a bound (not "range from 10 MW to 20 MW; the 20 MW site")
    n = sum(_same(q.value, f.mw) for q in nb.find_mw(s, lang))
    return n == sum(_same(b, f.mw) for b in bounds)
