"""Acquisition and financing passes of round 7b (word classes, number forms, document shapes).

``rules.py`` keeps the sentence typing and slot filling; this module holds the round-7b
additions it calls (each switchable for ablations through :data:`SWITCHES`):

* ``purchase_objects``: a purchase of plural or counted assets ("agreed to purchase two
  mining facilities", "purchased all of X's outstanding stock") and French purchase verbs
  ("acheter des terrains") type a sentence as an acquisition;
* ``miner_target``: "to acquire Bitcoin mining rival X" is a takeover (the exclusion of
  buying bitcoin no longer takes "bitcoin mining/miner");
* ``proposed_words``: "planning to raise", "intention d'offrir", "proposition d'offre" are
  a proposed financing;
* ``french_greenshoe``: "les acquéreurs initiaux ... une option pour acquérir" is the
  offering's purchaser option, not a takeover;
* ``asset_mw``: an acquisition without MW takes the figure of a sentence that sizes the
  bought assets together ("the two data centers have a combined capacity of 390 MW", "the
  seven sites total 85 MW"), and that figure is no longer a site of its own;
* ``equity_part``: a deal valued at a total made of an equity value and assumed debt
  ("valued at $175 million, with $125 million in equity and $50 million in assumed debt")
  is priced at its equity part;
* ``valued_deal``: in a takeover document, a sentence that values "a transaction" or "a
  deal" states the takeover's price even when its verb is unusual;
* ``granted_loan``: a loan the miner makes to another company ("has provided X with a
  $5 million loan") is not the miner's financing;
* ``terminated_words``: a takeover is terminated by "terminated", "terminates" or "the
  termination of the merger", not by "a termination fee" or "terminating X's role";
* ``listed_prices``: "buys 3 acres for $1.9 million and 181 acres for $3.5 million" is two
  purchases, one per price;
* ``third_party_buyer``: "an investor group including X agreed to acquire Y" in a sentence
  naming no miner is someone else's takeover;
* ``capacity_before``: in a takeover sentence, a figure right after "(expansion) capacity
  (of/up to)" is the company's capacity, not the bought asset's size;
* ``non_debt_obligation``: an asset retirement obligation ("obligation de mise hors
  service") is not a bond;
* ``amended_facility``: an amended (and restated) facility is a signed financing, and an
  amount the text calls "previous/prior/original" is not a financing of its own anywhere in
  the document when another financing of the company is stated;
* ``additional_price``: "an additional $127 million" (an option to buy more, a milestone
  payment) is not a purchase's price;
* ``backstop_financing`` (an ablation of round 2's exclusion): a financing sentence that
  names a backstop is read as a financing (its guarantor's backstop when no amount is
  stated), no longer dropped by the word "backstop";
* ``restated_amount``: a financing with a lone amount (no party, status or second number)
  passes the minimum-evidence rule when the text states that amount at least twice (a
  headline and its body, a lead and its terms).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from dagster_project.extraction import numbers as nb
from dagster_project.extraction.facts import Fact
from dagster_project.extraction.text import Gated

SWITCHES: dict[str, bool] = {
    "purchase_objects": True,
    "miner_target": True,
    "proposed_words": True,
    "french_greenshoe": True,
    "asset_mw": True,
    "equity_part": True,
    "valued_deal": True,
    "granted_loan": True,
    "terminated_words": True,
    "listed_prices": True,
    "third_party_buyer": True,
    "capacity_before": True,
    "non_debt_obligation": True,
    "amended_facility": True,
    "additional_price": True,
    "backstop_financing": True,
    "restated_amount": True,
}

_NOT_ASSET = r"(?!(?:miners|machines|servers|rigs|GPUs?|ASICs?|shares|bitcoin)\b)"
# ``rules.ACQ_MORE``: purchases of plural or counted assets, French purchase verbs
ACQ_EXTRA = "|".join(
    [
        f"\\b{verb}\\s+(?:all\\s+of\\s+|)(?:{_NOT_ASSET}[\\w’',-]+\\s+){{0,5}}?"
        r"(?:facilities|sites|data cent(?:er|re)s|mines|power plants|"
        r"outstanding (?:stock|shares))\b"
        for verb in ("purchased?", "bought", "buying", "buys")
    ]
    + [
        f"\\b{verb}\\s+(?:des|un|une|le|la|les|l'|deux|trois|quatre|cinq|sept)\\s*"
        r"(?:[\w’',-]+\s+){0,3}?(?:terrains?|terres|sites?|installations?|centres? de données|"
        r"propriétés?|fermes?|mines?|centrales?)\b"
        for verb in ("acheter", "achète", "achètera", "acheté")
    ]
)
_PURCHASE_VERBS = Gated(re.compile(r"purchas|bought|buying|buys|achet|achèt", re.I))


def purchase_object(s: str, rx: Any) -> bool:
    """``s`` buys plural/counted assets (``rules.ACQ_MORE``); the regex runs only when a
    purchase verb is in the sentence (its gate would otherwise open on every "sites")."""
    if not SWITCHES["purchase_objects"]:
        return False
    return _PURCHASE_VERBS.possible(s) and rx.search(s) is not None


# round 2 kept every sentence with "backstop" out of the financing type
FIN_EXCLUDE_BACKSTOP = "backstop|"


# what may follow "buy/acquire bitcoin" when it is a takeover ("acquire Bitcoin mining rival")
BTC_NOT_MINER = r"(?!\s+min)"
# purchasers' option in French (a greenshoe, never a takeover)
GREENSHOE_FR = r"acquéreurs initiaux|acheteurs initiaux|souscripteurs initiaux"
FIN_PROPOSED = (
    r"|planning to (?:raise|issue|sell)|intends to (?:raise|issue|sell)|"
    r"intention d'(?:offrir|émettre|lever)|proposition d'offre|"
    r"prévoit d'(?:offrir|émettre)|prévoit de (?:lever|placer)|envisage d'(?:offrir|émettre)"
)

_ASSETS_TOGETHER = re.compile(
    r"\b(?:the|these|those|both|its|les|ces)\s+"
    r"(?:(?:two|three|four|five|six|seven|eight|nine|ten|\d+|deux|trois|quatre|cinq|six|sept)\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?:sites|facilities|data cent(?:er|re)s|mines|plants|campuses|"
    r"installations|centres)\b"
    r"(?P<gap>[^.;]{0,60}?)\b(?:combined|total|together|aggregate|au total|cumul)",
    re.I,
)


_TOGETHER_WORDS = ("combined", "total", "together", "aggregate", "cumul")
_ASSET_NOUNS = (
    "sites",
    "facilities",
    "data cent",
    "mines",
    "plants",
    "campuses",
    "install",
    "centres",
)


def _positions(low: str, words: Sequence[str]) -> list[int]:
    """Every offset of any of ``words`` in ``low`` (plain substring scans, no regex)."""
    out = []
    for w in words:
        i = low.find(w)
        while i >= 0:
            out.append(i)
            i = low.find(w, i + 1)
    return out


def assets_mw(sentence: str, lang: str) -> nb.Quantity | None:
    """The MW figure that sizes bought assets together in ``sentence`` (the first figure
    right after "the two data centers ... combined", within the clause), or ``None``."""
    m = _ASSETS_TOGETHER.search(sentence)
    if m is None:
        return None
    for q in nb.find_mw(sentence, lang):
        if q.start >= m.start() and q.start - m.end() <= 40:
            return q
    return None


def attach_asset_mw(facts: list[Fact], text: str, units: Sequence[Any], lang: str) -> list[Fact]:
    """Give an acquisition without MW (the last one stated before, else the first after) the
    figure of the document's one sentence that sizes bought assets together (see
    :func:`assets_mw`); a site or capacity fact of that figure made from the same sentence is
    dropped (it is the acquired asset, not a site of its own)."""
    if not SWITCHES["asset_mw"]:
        return facts
    open_acq = [f for f in facts if f.fact_type == "acquisition" and f.mw is None]
    if not open_acq or ("MW" not in text and "megawatt" not in text.lower()):
        return facts
    hits = _positions(text.lower(), _TOGETHER_WORDS)
    if not hits:
        return facts
    found: list[tuple[int, int, nb.Quantity]] = []
    starts = [u.start for u in units]
    for i in sorted({bisect_right(starts, h) - 1 for h in hits}):
        if i < 0:
            continue
        u = units[i]
        s = text[u.start : u.end]
        low = s.lower()
        if not any(n in low for n in _ASSET_NOUNS):
            continue
        q = assets_mw(s, lang)
        if q is not None:
            found.append((u.start, u.end, q))
    if len(found) != 1:
        return facts
    start, end, q = found[0]
    if any(f.fact_type == "acquisition" and f.mw == q.value for f in facts):
        return facts
    # the purchase stated last before the sizing sentence, else the first one after it
    before = [f for f in open_acq if f.span_start is not None and f.span_start < start]
    acq = before[-1] if before else open_acq[0]
    acq.mw, acq.mw_basis = q.value, q.basis
    return [
        f
        for f in facts
        if not (
            f.fact_type in ("site", "power_capacity")
            and f.mw == q.value
            and f.company == acq.company
            and f.span_start is not None
            and start <= f.span_start < end
        )
    ]


_DEBT_AFTER = re.compile(r"[^$€\d.;]{0,25}?\b(?:debt|dette|liabilities)\b", re.I)


def equity_part(s: str, usd: list[nb.Quantity]) -> nb.Quantity:
    """The price of a takeover among its amounts: the first, unless it is the total of the
    next two and the last of them is debt ("valued at $175 million, with $125 million in
    equity value and $50 million in assumed debt" → $125 million)."""
    first = usd[0]
    if not SWITCHES["equity_part"] or len(usd) < 3:
        return first
    a, b, c = usd[0], usd[1], usd[2]
    if abs(b.value + c.value - a.value) <= 0.01 * a.value and _DEBT_AFTER.match(s, c.end):
        return b
    return first


_VALUED_DEAL = Gated(
    re.compile(
        r"\b(?:transaction|deal|merger|opération|transaction)\s+(?:\w+\s+){0,2}?"
        r"(?:valued|évaluée?|valorisée?)\s+(?:at|à)\b",
        re.I,
    )
)


def valued_deal(s: str) -> bool:
    """``s`` values a transaction ("in a transaction valued at roughly $175 million")."""
    return SWITCHES["valued_deal"] and _VALUED_DEAL.search(s) is not None


_GRANTED_LOAN = re.compile(
    r"\b(?:provided|provides|extended|extends|granted|grants|lent|lends|advanced)\s+"
    r"(?:[A-Z][\w&'.-]*\s+){1,4}with\s+(?:an?\s+|)[^.;]{0,60}\bloans?\b|"
    r"\bloans?\s+(?:it\s+(?:made|granted)\s+|)to\s+(?:[A-Z][\w&'.-]*)|"
    r"\bprêts?\s+(?:accordés?\s+|consentis?\s+|)à\s+[A-Z]",
)


def granted_loan(s: str) -> bool:
    """``s`` states a loan the subject makes to another company (out of scope)."""
    return (
        SWITCHES["granted_loan"]
        and ("loan" in s or "prêt" in s)
        and _GRANTED_LOAN.search(s) is not None
    )


# a takeover's "terminated" status (not "termination fee", not "terminating X's role")
TERMINATED = (
    r"\bterminated\b|\bterminates\b|\bto terminate\b|"
    r"termination of (?:the|its|their) (?:merger|agreement|deal|transaction|acquisition)"
)
TERMINATED_OLD = r"terminat"
NON_DEBT_OBLIGATION = r"|obligations? de mise hors service|asset retirement obligation"

_PRICE_FOR = re.compile(
    r"\b(?:for|pour)\s+(?:about\s+|approximately\s+|roughly\s+|environ\s+|)(?:US|)\s*\Z", re.I
)
_AND = re.compile(r"\b(?:and|et)\b", re.I)


def listed_prices(s: str, usd: list[nb.Quantity]) -> list[nb.Quantity]:
    """The prices of several purchases listed in one sentence ("3 acres for $1.9 million
    and 181 acres for $3.5 million"): every amount led by "for/pour", each after the first
    joined by "and/et"; empty when the sentence is not such a list."""
    if not SWITCHES["listed_prices"] or len(usd) < 2:
        return []
    for i, q in enumerate(usd):
        if not _PRICE_FOR.search(s, max(0, q.start - 25), q.start):
            return []
        if i and not _AND.search(s, usd[i - 1].end, q.start):
            return []
    return list(usd)


_THIRD_PARTY_BUYER = re.compile(
    r"\b(?:investor group|group of investors|consortium|investors including|"
    r"a group (?:including|led by)|private equity firm)\b",
    re.I,
)


def third_party_buyer(s: str) -> bool:
    """``s`` tells of a takeover by a group of outside investors."""
    return SWITCHES["third_party_buyer"] and _THIRD_PARTY_BUYER.search(s) is not None


_CAPACITY_BEFORE = re.compile(
    r"\b(?:capacity|capacité|capability)\s+(?:of\s+|up\s+to\s+|to\s+|jusqu'à\s+|de\s+|)"
    r"(?:approximately\s+|about\s+|over\s+|more than\s+|nearly\s+|)\Z",
    re.I,
)


def capacity_before(s: str, q: nb.Quantity) -> bool:
    """``q`` follows "(expansion) capacity (up to)" in a takeover sentence: a company
    capacity, not the bought asset's size."""
    return SWITCHES["capacity_before"] and bool(
        _CAPACITY_BEFORE.search(s, max(0, q.start - 40), q.start)
    )


AMENDED = r"|\bamend(?:ed|ment|s)\b|amended and restated|modifié"
_PREVIOUS_BEFORE = re.compile(
    r"\b(?:previous|prior|original|former|existing|précédent\w*)\s+(?:US|)\s*\Z", re.I
)


_PREVIOUS_WORDS = ("previous", "prior", "original", "former", "existing", "précédent")


def drop_previous_amounts(facts: list[Fact], text: str) -> list[Fact]:
    """Drop a financing whose amount the text calls previous/prior/original somewhere
    ("an amendment and restatement of its previous $50 million credit facility") when the
    company has another financing in the document (the amended one)."""
    if not SWITCHES["amended_facility"]:
        return facts
    fin = [f for f in facts if f.fact_type == "financing" and f.amount_usd]
    if len(fin) < 2:
        return facts
    hits = _positions(text.lower(), _PREVIOUS_WORDS)
    if not hits:
        return facts
    old: set[float] = set()
    for h in hits:
        window = text[h : h + 45]  # "previous $50 million ..."
        if "$" not in window and "US" not in window:
            continue
        for q in nb.find_money(window, "en"):
            if q.per is None and _PREVIOUS_BEFORE.search(window, 0, q.start):
                old.add(q.value)
    if not old:
        return facts
    drop = set()
    for f in fin:
        if f.amount_usd in old and any(
            g is not f and g.company == f.company and g.amount_usd not in old for g in fin
        ):
            drop.add(id(f))
    return [f for f in facts if id(f) not in drop]


_ADDITIONAL_BEFORE = re.compile(r"\b(?:additional|further|supplémentaires?)\s+(?:US|)\s*\Z", re.I)


def additional_price(s: str, q: nb.Quantity) -> bool:
    """``q`` is "an additional/further $X" (more to pay later, an option), not the price."""
    return SWITCHES["additional_price"] and bool(
        _ADDITIONAL_BEFORE.search(s, max(0, q.start - 15), q.start)
    )


class RestatedAmount:
    """``fact ↦`` its lone financing amount is stated at least twice in ``text`` (the text's
    amounts are read once, on the first financing asked about)."""

    def __init__(self, text: str, lang: str) -> None:
        self.text, self.lang = text, lang
        self._counts: dict[float, int] | None = None

    def __call__(self, fact: Fact) -> bool:
        if not SWITCHES["restated_amount"] or fact.fact_type != "financing":
            return False
        if fact.amount_usd is None:
            return False
        if self._counts is None:
            self._counts = {}
            for q in nb.find_money(self.text, self.lang):
                if q.per is None:
                    self._counts[q.value] = self._counts.get(q.value, 0) + 1
        return self._counts.get(fact.amount_usd, 0) >= 2
