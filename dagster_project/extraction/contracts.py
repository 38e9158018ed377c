"""Contract-assembly checks of round 7 (issue 11): which figures of a contract sentence belong
to the deal itself, to its upside, or to a running total over several deals.

``rules.py`` calls these small functions from its contract branch; each answers one question
about a sentence and its figures, so the rules stay readable and each check can be switched off
alone (``SWITCHES``) for the ablations reported in ``docs/extraction.md`` ("Round 7").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from typing import Any

from dagster_project.extraction import numbers as nb
from dagster_project.extraction import sites as site_passes
from dagster_project.extraction.facts import Fact
from dagster_project.extraction.text import Gated

# name -> on/off; the ablation script flips them one at a time (tests keep them on)
SWITCHES: dict[str, bool] = {
    "preamble_cue": True,
    "running_total": True,
    "trailing_option": True,
    "followup_mw": True,
    "campus_size": True,
    "own_name_annual": True,
    "upside_followup": True,
    "sum_value": True,
    "frame_merge": True,
    "exercised_option": True,
    "holding_total": True,
    "site_mw_to_deal": True,
    "cue_after": True,
    "exercised_is_deal": True,
    "own_lease": True,
    "equipment_supply": True,
    "rounded_upside": True,
    "yearly_rate_per_mw": True,
}


def is_upside(status: str | None) -> bool:
    """An option, not a deal. An exercised option is the deal now, so a later "the new lease
    is expected to generate $X" continues it (switch ``exercised_is_deal``)."""
    if status == "option_exercised":
        return not SWITCHES["exercised_is_deal"]
    return status == "option"


# a signing verb: the sentence's own deal starts here, so an "expanding ..." before it is the
# article's preamble ("In a step toward expanding its AI footprint, X has signed a $Y deal")
_SIGNING = re.compile(
    r"\b(?:signed|signs|inked|inks|entered\s+into|enters\s+into|struck|strikes|agreed|"
    r"announced|announces|secured|secures|landed|lands|won|wins|a\s+signé|a\s+conclu|"
    r"signe|conclut|annonce)\b",
    re.I,
)


# "... with two renewal options and is valued at $3 billion": a new predicate of the deal
_NEW_PREDICATE = re.compile(r"\band\s+(?:is|are|was|were|will\s+be|has\s+been)\b", re.I)


def cue_in_preamble(s: str, cue_start: int, q_start: int) -> bool:
    """An option/expansion cue that a signing verb or a new predicate ("and is valued at")
    separates from the amount is not the amount's cue: "toward expanding its infrastructure,
    Microsoft has inked a $9.7 billion deal" states the deal itself, not an upside."""
    if not SWITCHES["preamble_cue"]:
        return False
    return (
        _SIGNING.search(s, cue_start, q_start) is not None
        or _NEW_PREDICATE.search(s, cue_start, q_start) is not None
    )


# "brings Polaris Forge 1 to 400 MW", "bringing its contracted capacity to", "porte ... à":
# the figures after the cue are the new running total over the tenant's deals, not the deal's
_RUNNING = re.compile(
    r"\b(?:brings?|bringing|takes?|taking|lifts?|lifting|raises?|raising|increases?|"
    r"increasing|porte|portant|portera)\b(?:[^.;$€]{0,60}?\s(?:to|à)\s|"
    r"\s+(?:all|the\s+full|the\s+entire|its\s+full)\s)",  # "brings all 400 MW under contract"
    re.I,
)


# the literal gate of ``_RUNNING`` (its verbs, derived from the pattern): most contract
# sentences have none, and the pattern is not run on them
_RUNNING_GATE = Gated(_RUNNING)
_YEARLY = re.compile(r"annuali[sz]ed|annual|per year|a year|run-rate|\bARR\b|annuel", re.I)
_UPSIDE_BEFORE = re.compile(r"(?:option|extension|renewal|prolong|if\s)[^.;]{0,40}\Z", re.I)


def running_total_start(s: str, first_figure: int) -> int | None:
    """Offset where a running total starts in a contract sentence ("The added 150 MW lease
    brings the campus to 400 MW under contract, securing $11 billion over 15 years"), or
    ``None``. Only after a figure of the deal itself, and not when options do the bringing
    ("extension options bringing the total to $1 billion" is an upside)."""
    if not SWITCHES["running_total"]:
        return None
    if not _RUNNING_GATE.possible(s):
        return None
    m = _RUNNING.search(s, first_figure + 1)  # only a cue after the deal's first figure
    if m is None:
        return None
    if _UPSIDE_BEFORE.search(s, max(0, m.start() - 40), m.start()):
        return None
    return m.end()


def split_running_total(
    base: dict[str, Any],
    s: str,
    mws: list[nb.Quantity],
    usd: list[nb.Quantity],
    terms: list[nb.Quantity],
) -> tuple[list[nb.Quantity], list[nb.Quantity], list[nb.Quantity], dict[str, Any] | None]:
    """The deal's own MW, amounts and terms, and the running-total fact (``None`` when the
    sentence states no total): figures after the cue go to a ``scope: total`` fact of the
    same tenant, with no status (a total is not itself signed)."""
    if not (mws or usd) or not _RUNNING_GATE.possible(s):
        return mws, usd, terms, None
    at = running_total_start(s, min(q.start for q in (*mws, *usd)))
    if at is None:
        return mws, usd, terms, None
    t_mw = [q for q in mws if q.start >= at]
    t_usd = [q for q in usd if q.start >= at and q.per is None]
    if not (t_mw or t_usd):
        return mws, usd, terms, None
    t_terms = [q for q in terms if q.start >= at]
    total: dict[str, Any] = {"counterparty": base.get("counterparty"), "_scope": "total"}
    if t_mw:
        total.update(mw=t_mw[0].value, mw_basis=t_mw[0].basis)
    if t_usd:
        # "bringing total contracted annualized revenue to $3.7 billion": a yearly total
        yearly = _YEARLY.search(s, at - 60 if at >= 60 else 0, t_usd[0].end + 40)
        total["annual_revenue_usd" if yearly else "contract_value_usd"] = t_usd[0].value
    if t_terms:
        total["term_years"] = t_terms[0].value
    keep = [q for q in mws if q.start < at], [q for q in usd if q.start < at or q.per is not None]
    return keep[0], keep[1], [q for q in terms if q.start < at], total


_TRAILING_CUE = re.compile(
    r"\b(?:with|avec)\s+(?:the\s+|an?\s+|la\s+|une\s+)?(?:possibilit\w*|options?|"
    r"right|droit|potential)\b",
    re.I,
)


def trailing_option_cut(s: str, figures: list[nb.Quantity]) -> int | None:
    """Offset of an upside clause that comes after every deal figure ("$3 billion over the
    first ten years, with the option to extend twice for five years"), or ``None``: the
    figures before it are the base deal's, only what follows is the option's."""
    if not SWITCHES["trailing_option"] or not figures:
        return None
    m = _TRAILING_CUE.search(s, max(q.end for q in figures))
    return m.start() if m else None


_EXPANSION_MW = re.compile(
    r"(?:expan\w*|extend\w*|étendre|extension|option|possibilit\w*|potential|potentiel|"
    r"up\s+to|jusqu)[^.;]{0,60}\Z",
    re.I,
)


def followup_contract_mw(s: str, mws: list[nb.Quantity]) -> list[nb.Quantity]:
    """The MW figures of a sentence that follows a contract and names its tenant, without
    those stated as an expansion ("will deliver 168 MW to the tenant, with the possibility
    of extending it to 244 MW gross"): what is left may be the contract's capacity."""
    if not SWITCHES["followup_mw"] or len(mws) < 2:
        return mws
    return [q for q in mws if not _EXPANSION_MW.search(s, max(0, q.start - 80), q.start)]


# "up to $17.7 billion if all renewal options are exercised", "$1.8 billion including two
# extension options", "jusqu'à 8,7 milliards si les options sont exercées": the cue follows
_CUE_AFTER = re.compile(
    r"[^.;,$€\d]{0,40}?\b(?:if|assuming|should|including|includes|si|y\s+compris)\b"
    r"[^.;$€\d]{0,50}?\b(?:options?|extensions?|renewals?|prolongations?)\b|"
    r"\s+(?:with|avec)\s+(?:the\s+|all\s+|les\s+)?(?:extensions?|renewals?|prolongations?)\b",
    re.I,
)


def cue_after(s: str, q: nb.Quantity) -> bool:
    """An amount followed by the options it assumes ("... and up to $17.7 billion if all
    renewal options are exercised") is the option's value, not the base deal's."""
    if not SWITCHES["cue_after"]:
        return False
    return _CUE_AFTER.match(s, q.end) is not None


def cue_before(rx: re.Pattern[str], s: str, q: nb.Quantity) -> bool:
    """``rx`` (an option cue anchored at the window's end) matches in the 90 characters
    before ``q``, and no signing verb separates the cue from ``q`` (:func:`cue_in_preamble`)."""
    m = rx.search(s, max(0, q.start - 90), q.start)
    return m is not None and not cue_in_preamble(s, m.start(), q.start)


# "its Childress facility, which is designed to support up to 750 megawatts": what a campus
# can hold, said of the place (the deal's own capacity is said of the deal)
_CAMPUS_SIZE = re.compile(
    r"\b(?:campus|site|facility|facilities|installation)\b[^.;$€]{0,50}?"
    r"(?:\b(?:designed|built|planned|engineered|able|expected|set)\s+to\s+"
    r"(?:support|host|handle|accommodate|reach|scale\s+to)|"
    # "a campus that could scale to 1,000 MW": the place's size, not the tenant's option
    r"\b(?:that|which)\s+(?:could|can|may|will)\s+(?:scale|grow|expand|reach)(?:\s+up)?\s+to)\s+"
    r"(?:up\s+to\s+|approximately\s+|about\s+|around\s+|over\s+|more\s+than\s+)?\Z",
    re.I,
)


def campus_size(s: str, q: nb.Quantity) -> bool:
    """``q`` (a MW figure in a contract sentence) is the size of the campus named just
    before it ("the facility, which is designed to support up to 750 MW"), a site fact."""
    if not SWITCHES["campus_size"] or " to " not in s[max(0, q.start - 45) : q.start]:
        return False
    return _CAMPUS_SIZE.search(s, max(0, q.start - 110), q.start) is not None


def names_another_company(mentions: list[Any], company: str | None) -> bool:
    """The sentence names a miner other than ``company`` (the contract's): a yearly revenue
    there may be another company's. A sentence naming only the contract's own miner ("With
    the deal alone expected to generate $1.9 billion a year, X's pivot ...") still speaks of
    that contract."""
    if not SWITCHES["own_name_annual"]:
        return bool(mentions)
    return any(m.key != company for m in mentions)


# "if both options are exercised", "should the extensions be exercised", "si ces options sont
# exercées": the amount of the sentence is what the deal reaches with its options
_EXERCISED_IF = Gated(
    re.compile(
        r"\b(?:if|should|once|si|lorsque)\b[^.;]{0,60}?\b(?:exercised|exerc[ée]e?s?|levée?s?)\b|"
        # "Two five-year extensions could lift the total to $8.7 billion"
        r"\b(?:extensions?|renewals?|options?|prolongations?)\b[^.;$€]{0,40}?"
        r"\b(?:could|would|may|might|pourrai\w*|porterai\w*)\b",
        re.I,
    )
)


def upside_followup(
    s: str,
    money: list[nb.Quantity],
    mentions: list[Any],
    deal_money: Callable[[list[nb.Quantity], str], list[nb.Quantity]],
) -> bool:
    """A sentence right after a contract, without a contract word of its own, that states
    the value the deal reaches if its options are exercised: one amount, no other miner.
    ``deal_money`` (the rules' filter of deal amounts) runs only past the cheap checks."""
    if not SWITCHES["upside_followup"] or mentions or not money:
        return False
    if not _EXERCISED_IF.possible(s):  # before the costlier deal-money filter
        return False
    usd = [q for q in deal_money(money, s) if q.currency == "USD" and q.per is None]
    return len(usd) == 1 and _EXERCISED_IF.search(s) is not None


# "The deal lifts Cipher's total contracted lease payments to roughly $8.5 billion"
_TOTAL_WORDS = re.compile(r"\b(?:total|contracted|backlog|combined|cumul\w*|au total)\b", re.I)


def total_followup(s: str, money: list[nb.Quantity], mentions_other: bool) -> bool:
    """A sentence right after a contract that raises the total over the company's contracts
    ("lifts total contracted lease payments to $8.5 billion"): one USD amount after a
    running-total cue and a total word; typed as a contract so that it becomes a total."""
    if not SWITCHES["running_total"] or mentions_other or not money:
        return False
    if not _RUNNING_GATE.possible(s):
        return False
    usd = [q for q in money if q.currency == "USD" and q.per is None]
    if len(usd) != 1:
        return False
    m = _RUNNING.search(s)
    return (
        m is not None
        and m.end() <= usd[0].start
        and _TOTAL_WORDS.search(s, 0, usd[0].start) is not None
    )


_AMOUNTS = ("contract_value_usd", "amount_usd")
# what a contract is summed with in "the combined commitment": the hardware or site bought
_PURCHASES = ("gpu_purchase", "acquisition")
_ADDED = re.compile(r"\b(?:[Aa]dditional|[Ii]ncremental|[Ss]upplémentaires?)\b")


def _near(a: float, b: float, tol: float = 0.01) -> bool:
    return abs(a - b) <= tol * max(abs(a), abs(b), 1e-9)


# a sum is told as one ("combined", "together", "in total", "engagement combiné", "au total")
# literal stems without a first letter: plain alternatives scan far faster than classes
_SUM_CUE = re.compile(r"ombin|ogether|otal|OTAL|ggregate|nsemble|umul")


def _mixed_sum(v: float, own: list[float], other: list[float]) -> bool:
    """``v`` = another contract's value (``own``, sorted) + a purchase amount (GPUs, a site)
    (within 1 %): a binary search per amount, not a scan of every pair."""
    tol = 0.01 * v
    if not own or v < own[0] + min(other) - tol or v > own[-1] + max(other) + tol:
        return False
    for a in other:
        i = bisect.bisect_left(own, v - a - tol)
        while i < len(own) and own[i] <= v - a + tol:
            if not _near(own[i], v, 0.005):  # not the value itself plus a small amount
                return True
            i += 1
    return False


_CONTRACT_SLOTS = ("mw", "contract_value_usd", "annual_revenue_usd", "term_years", "gpu_model")


def _compatible(a: Fact, b: Fact) -> bool:
    for k in _CONTRACT_SLOTS:
        x, y = getattr(a, k), getattr(b, k)
        if x is None or y is None:
            continue
        if isinstance(x, int | float) and isinstance(y, int | float):
            if not _near(float(x), float(y), 0.005):
                return False
        elif x != y:
            return False
    return True


def _same_party(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return False
    x, y = a.lower(), b.lower()
    return x in y or y in x


def reconcile(facts: list[Fact]) -> list[Fact]:
    """One document's contracts as one frame per deal (after the rules and the scorer).

    1. A contract value told as a sum ("combined", "together", "in total") that equals
       another contract's value plus a purchase amount (GPUs, a site) of the document ("the
       combined $15.5 billion commitment" after a $9.7 billion contract and a $5.8 billion
       purchase) is not this deal's value: it is cleared (and a "total" it made goes too).
    2. Two base contract facts (no option, no total) of one company and one named tenant whose
       slots never disagree are one deal told in pieces: the later piece fills the earlier;
       two running totals of one tenant that agree are one total.
    3. :func:`_site_mw_to_deal`, and an option recalled for an added lease of the same MW
       ("kept the option to secure the additional 150 MW") is that lease, not an upside.
    """
    deals = [f for f in facts if f.fact_type == "hpc_contract"]
    if not deals:
        return facts
    if SWITCHES["sum_value"]:
        other = [float(f.amount_usd) for f in facts if f.amount_usd and f.fact_type in _PURCHASES]
        cued = (
            [f for f in deals if f.contract_value_usd and _SUM_CUE.search(f.evidence)]
            if other
            else []
        )
        if cued:
            own = sorted(float(f.contract_value_usd) for f in deals if f.contract_value_usd)
            for f in cued:
                if _mixed_sum(float(f.contract_value_usd or 0.0), own, other):
                    if f.scope == "total":
                        f.scope = None
                    f.contract_value_usd = None
    if not SWITCHES["frame_merge"]:
        return facts
    gone: set[int] = set()
    base = [
        f
        for f in deals
        if f.status not in ("option", "option_exercised", "backstop")
        and f.scope != "total"
        and f.counterparty is not None
    ]
    _merge_pieces(base, gone, _CONTRACT_SLOTS + ("mw_basis", "status"), named=True)
    totals = [f for f in deals if f.scope == "total" and f.status is None]
    _merge_pieces(totals, gone, _CONTRACT_SLOTS, named=False)
    if SWITCHES["site_mw_to_deal"]:
        _site_mw_to_deal(facts, [f for f in base if id(f) not in gone], gone)
    options = [
        f
        for f in deals
        if f.status == "option" and f.mw is not None and f.contract_value_usd is None
    ]
    base_mw = {round(float(b.mw), 1) for b in base if b.mw is not None}
    if SWITCHES["exercised_option"] and any(round(float(f.mw or 0), 1) in base_mw for f in options):
        added = [
            b for b in base if id(b) not in gone and b.mw is not None and _ADDED.search(b.evidence)
        ]  # leases told as the added MW
        for f in options:
            for b in added:
                if (
                    b.company == f.company
                    and _near(float(b.mw or 0.0), float(f.mw or 0.0), 0.005)
                    and (f.counterparty is None or _same_party(b.counterparty, f.counterparty))
                ):
                    gone.add(id(f))
                    break
    _restatements([f for f in deals if id(f) not in gone], gone)
    return [f for f in facts if id(f) not in gone] if gone else facts


def _merge_pieces(pieces: list[Fact], gone: set[int], slots: tuple[str, ...], named: bool) -> None:
    """Fold each fact into the first earlier one of its company whose tenant is the same
    (``named``: both named; else the later may name none) and whose slots never disagree;
    a total also needs a shared MW or value figure."""
    if len(pieces) < 2:
        return
    kept: dict[str | None, list[tuple[Fact, str]]] = {}
    for later in pieces:
        party = (later.counterparty or "").lower()
        target = None
        for earlier, e_party in kept.get(later.company, ())[-6:]:  # the recent ones
            if named or party:
                if not (party and e_party and (party in e_party or e_party in party)):
                    continue
            if not _compatible(earlier, later):
                continue
            if not named and not any(
                getattr(earlier, k) is not None and getattr(later, k) is not None
                for k in ("mw", "contract_value_usd")
            ):
                continue
            target = earlier
            break
        if target is None:
            kept.setdefault(later.company, []).append((later, party))
            continue
        for k in slots:
            if getattr(target, k) is None and getattr(later, k) is not None:
                setattr(target, k, getattr(later, k))
        gone.add(id(later))


# "Applied Digital has about $11 billion in prospective lease revenue": what the company holds
# over all its leases, not the value of the deal just told
_HOLDS = re.compile(
    r"\b(?:has|have|holds?|now\s+has|now\s+holds)\s+(?:about|approximately|roughly|around|"
    r"nearly|some|over|more\s+than|~)?\s*\Z",
    re.I,
)
_HOLD_KEY = re.compile(r"\b(?:has|have|holds?)\b", re.I)
_HELD_REVENUE = re.compile(
    r"[^.;]{0,25}\b(?:prospective|anticipated|contracted|backlog|total)\b[^.;]{0,20}"
    r"\b(?:revenue|lease\s+revenue|revenues)\b",
    re.I,
)


def holding_total(
    base: dict[str, Any],
    s: str,
    mws: list[nb.Quantity],
    usd: list[nb.Quantity],
    terms: list[nb.Quantity],
) -> dict[str, Any] | None:
    """The total a company holds over its contracts, stated in a contract sentence without
    any MW ("With the new deal, X has about $11 billion in prospective lease revenue over 15
    years"): a ``scope: total`` fact kept apart from the deal told before it."""
    if not SWITCHES["holding_total"] or mws or len(usd) != 1 or not _HOLD_KEY.search(s):
        return None
    q = usd[0]
    if not _HOLDS.search(s, max(0, q.start - 30), q.start) or not _HELD_REVENUE.match(s, q.end):
        return None
    held: dict[str, Any] = {
        "counterparty": base.get("counterparty"),
        "contract_value_usd": q.value,
        "_scope": "total",
        "_apart": True,
    }
    after = [t for t in terms if t.start > q.end]
    if after:
        held["term_years"] = after[0].value
    return held


def states_holding(s: str, money: list[nb.Quantity]) -> bool:
    """The sentence states a total the company holds over its contracts (one USD amount
    after "has/holds", followed by a contracted/prospective revenue word)."""
    if not SWITCHES["holding_total"] or not money or not _HOLD_KEY.search(s):
        return False
    usd = [q for q in money if q.currency == "USD" and q.per is None]
    return len(usd) == 1 and (
        _HOLDS.search(s, max(0, usd[0].start - 30), usd[0].start) is not None
        and _HELD_REVENUE.match(s, usd[0].end) is not None
    )


def _site_mw_to_deal(facts: list[Fact], deals: list[Fact], gone: set[int]) -> None:
    """A tenant's deal told without MW, in a document with exactly one critical-IT site or
    capacity figure of the same company: that figure is the deal's capacity (contracts are
    sized in critical IT; the guide keeps a lease's MW only on the contract, so the site
    fact goes). Requiring the tenant's name beside the figure found nothing on dev_fit."""
    todo = [d for d in deals if d.mw is None and d.counterparty is not None]
    if not todo:
        return
    crit: dict[str | None, list[Fact]] = {}
    for f in facts:
        if (
            f.mw_basis == "critical_it"
            and f.fact_type in ("site", "power_capacity")
            and id(f) not in gone
        ):
            crit.setdefault(f.company, []).append(f)
    sized: dict[int, bool] = {}
    for d in todo:
        cands = [f for f in crit.get(d.company, ()) if id(f) not in gone]
        if len(cands) != 1:
            continue
        c = cands[0]
        if id(c) not in sized:  # the figure a campus is "built to handle" stays the campus's
            sized[id(c)] = site_passes.sized_site(c.evidence, c.mw or 0.0)
        if not sized[id(c)]:
            d.mw, d.mw_basis = c.mw, c.mw_basis
            gone.add(id(c))


# round 8: a lease sentence where the miner is the lessee, not the landlord ("X signed a lease
# agreement with a data center in Sharon", "a letter of intent to lease another 10 MW", a
# ground lease, a lease-to-own site, French "location de terres"): its MW figures are sites,
# never a hosting contract (the literal gate skips sentences without any of its words)
_OWN_LEASE = Gated(
    re.compile(
        r"\blease\s+agreement\s+with\s+(?:a|the)\s+(?:data\s+cent(?:er|re)|landlord|port|city|"
        r"county|owner)\b(?!\s+(?:operator|developer|company|provider|firm|customer|tenant))"
        r"|\bletter\s+of\s+intent\s+to\s+lease\b"
        r"|\b(?:ground|land)\s+lease\b|\blease-to-own\b"
        r"|\blocation\s+de\s+terr(?:es|ains)\b|\bbail\s+foncier\b",
        re.I,
    )
)


def own_lease(s: str) -> bool:
    """The miner takes a lease (site, land, space) in sentence ``s``: not a tenant's deal."""
    if not SWITCHES["own_lease"]:
        return False
    return _OWN_LEASE.search(s) is not None


# round 8: "an agreement with a provider supplying critical IT equipment and building
# materials" buys equipment for the miner's own GPU centre (a ``gpu_purchase``, as the
# labelling guide reads it), it leases nothing to a tenant
_EQUIPMENT_SUPPLY = Gated(
    re.compile(
        r"\b(?:provider|supplier|vendor|manufacturer)\s+(?:supplying|to\s+supply|providing)\s+"
        r"(?:\w+\s+){0,3}?(?:equipment|hardware|servers)\b",
        re.I,
    )
)


def equipment_supply(s: str) -> bool:
    """Sentence ``s`` is a supply agreement for equipment, not a hosting contract."""
    return SWITCHES["equipment_supply"] and _EQUIPMENT_SUPPLY.search(s) is not None


_NUMERIC_SLOTS = ("mw", "contract_value_usd", "annual_revenue_usd", "term_years")
# a headline's rounded floor of a figure the body states exactly ("a contract that could
# exceed $8 billion" above "... to about $8.7 billion if both extensions are taken")
_FLOOR_CUE = re.compile(
    r"\b(?:more\s+than|over|exceed\w*|top|above|upwards\s+of|d[ée]passer|plus\s+de|au-del[àa]\s+de)\b",
    re.I,
)


def _numbers(f: Fact) -> dict[str, float]:
    return {k: float(v) for k in _NUMERIC_SLOTS if (v := getattr(f, k)) is not None}


def _restatements(deals: list[Fact], gone: set[int]) -> None:
    """Round 8 (``rounded_upside``): drop a contract fact whose only number is a value told
    as a floor ("a contract that could exceed $8 billion") when another contract fact of the
    same company states a value just above it (within 15 %): the heading rounds the body's
    figure down, it is no second deal."""
    if not SWITCHES["rounded_upside"] or len(deals) < 2:
        return
    nums = {id(f): _numbers(f) for f in deals}
    for a in deals:
        na = nums[id(a)]
        v = na.get("contract_value_usd")
        if len(na) != 1 or v is None or not _FLOOR_CUE.search(a.evidence):
            continue
        for b in deals:
            w = nums[id(b)].get("contract_value_usd")
            if b is not a and id(b) not in gone and b.company == a.company and w is not None:
                if v < w <= 1.15 * v:
                    gone.add(id(a))
                    break


# round 8: "$1.85 million per MW per year", "$1.78 million/MW/year", "par MW et par an": a
# lease's revenue rate per MW, never a build cost (``capex_per_mw``)
_YEARLY_PER_MW = re.compile(
    r"(?:per|/)\s*MW\s*(?:per|/|a|each)\s*(?:year|yr|annum)\b|\bpar\s+MW\s+(?:et\s+)?par\s+an\b",
    re.I,
)


def yearly_rate_per_mw(s: str) -> bool:
    """A money-per-MW figure of sentence ``s`` is a yearly revenue rate."""
    if not SWITCHES["yearly_rate_per_mw"] or "MW" not in s:
        return False
    return _YEARLY_PER_MW.search(s) is not None
