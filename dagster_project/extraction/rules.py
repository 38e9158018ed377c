"""The rule-based extractor: sentences → typed facts with slots and evidence spans.

Pipeline per document: normalise text → split sentences (and clauses that carry their own
deal) → pick a fact type from trigger words → fill slots from the quantities of that
sentence → merge a follow-up sentence into the previous fact of the same type when no slot
conflicts ("... $3.5 billion. ... $290 million per year for 12 years").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Protocol

from dagster_project.extraction import contracts, deals
from dagster_project.extraction import numbers as nb
from dagster_project.extraction import sites as site_passes
from dagster_project.extraction.entities import Resolver, default_resolver
from dagster_project.extraction.facts import VALUE_FIELDS, Fact
from dagster_project.extraction.issuer import find_issuer
from dagster_project.extraction.roles import (
    DEFAULT_ROLE_USE,
    Mention,
    RoleUse,
    apply_roles,
    find_mentions,
)
from dagster_project.extraction.roles import KINDS as ROLE_KINDS
from dagster_project.extraction.roles import load_default as load_role_model
from dagster_project.extraction.scorer import (
    DEFAULT_SCORER,
    TRACE_MERGES,
    FactScorer,
    feature_rows,
)
from dagster_project.extraction.text import Gated, document_text, fold

_VALUE_SET = frozenset(VALUE_FIELDS)


class DocumentLike(Protocol):
    """Anything with the attributes of ``sources.documents.PressDocument``."""

    doc_id: str
    content: bytes | str
    content_type: str


def _each(words: str, rest: str = "", lead: str = r"\b") -> str:
    """``lead(?:w1|w2|...)rest`` written as ``lead w1 rest|lead w2 rest|...``: the same
    matches, but every alternative starts with a letter, so the pattern gets its class-led
    form (``text.class_led``) and the engine scans for its first letters in C."""
    return "|".join(f"{lead}{w}{rest}" for w in words.split("|"))


def _rx(pattern: str) -> Gated:
    """Case-insensitive trigger; sentences without any of its literal words skip the regex."""
    return Gated(re.compile(pattern, re.I))


ACQ = _rx(
    r"\bacquir|\bacquisition|\bmerger\b|\bto buy\b|\btakeover\b|\bacquérir|\bracheter|"
    r"\brachat|\bfusion\b|purchase of (?:a|an|the)\s+(?:[\w-]+\s+){0,4}(?:site|campus|land|"
    r"wind farm|facility|data cent)|purchase price|share purchase agreement|"
    + _each(
        "purchased?|bought|buying|buys",
        r"\s+(?:the\s+|a\s+|an\s+|)(?:[\w,-]+\s+){0,4}(?:acres|land|site|campus|property)",
    )
)
# purchases of plural/counted assets and French purchase verbs (round 7b), kept apart from
# ACQ so that their asset nouns do not open ACQ's gate on every "sites" sentence
ACQ_MORE = _rx(deals.ACQ_EXTRA)
# third-party credit support and equity warrants mention "acquire" but are not acquisitions
ACQ_EXCLUDE = _rx(
    r"warrants?|backstop|guarantee|credit support|right to acquire|option to acquire|"
    r"share repurchase|buyback|bons de souscription|option to (?:buy|purchase)|"
    r"initial purchasers|capped call|potential acquisitions|net proceeds|use of proceeds|"
    + (deals.GREENSHOE_FR + "|" if deals.SWITCHES["french_greenshoe"] else "")
    + r"produit net|proceeds (?:to|will|would|are|of)|"
    # buying GPUs is a purchase, not a takeover ("$200 million allocated to GPU acquisition")
    r"GPU acquisition|acquisition of (?:\w+\s+){0,3}GPUs?|acquisition de GPU|"
    + _each(
        "buy|acquire|purchase",
        r"\w*\s+(?:additional\s+|more\s+)?(?:bitcoin|btc|ether|eth)\b"
        + (deals.BTC_NOT_MINER if deals.SWITCHES["miner_target"] else ""),
        "",
    )
)
CONTRACT_NEGATED = _rx(
    r"negotiat|not yet (?:finali[sz]ed|signed)|in (?:advanced |active )?(?:talks|discussions)|"
    r"plans to lease|no assurance|en négociation|en discussions?|pending"
)
# a release or write-up about a company takeover: its bare "agreement" is the merger's
ACQ_DOC = _rx(
    r"merger agreement|agreed to acquire|agreement to acquire|to acquire [A-Z]|all-stock|"
    r"pour acquérir|racheter|entièrement en actions|accord de fusion|exchange ratio|"
    r"ratio d'échange|takeover"
)
LEASE_WORDS = _rx(
    r"leas|colocation|hosting|\bbail\b|hébergement|\bMW\b|megawatt|mégawatt|\bGPUs?\b|"
    r"capacit|cloud"
)
FIN = _rx(
    r"\bnotes\b|\bnote offering|\bconvertible|\bbonds?\b|\bloan\b|credit facility|\bfinancing\b|"
    r"\bfinancement|\bobligations?\b|\bdette\b|\bemprunt|conversion price|prix de conversion|"
    r"\bconvertir\b|d'intérêt|strategic investment|investissement stratégique|"
    r"interest rate|bear interest|interest at|taux d'intérêt|zero-coupon|zéro coupon|"
    # "a $3.2 billion private debt offering", "a private debt facility of up to $300 million"
    r"\bdebt (?:offering|facility|financing)|\bprivate debt\b|financing facility"
)
FIN_EXCLUDE = _rx(
    ("" if deals.SWITCHES["backstop_financing"] else deals.FIN_EXCLUDE_BACKSTOP)
    + r"lease obligations|credit support|obligations de location"
    + (deals.NON_DEBT_OBLIGATION if deals.SWITCHES["non_debt_obligation"] else "")
)
FIN_SUPPORT = _rx(r"\badditional\b|supplémentaire|net proceeds|produit net|over-allotment")
_SUPPORT_BEFORE = re.compile(
    r"(?:\badditional|supplémentaire|net proceeds|produit net|over-allotment)[^$€\d;]{0,35}\Z",
    re.I,
)
_SUPPORT_AFTER = re.compile(
    r"\s*(?:US\s*|)(?:of\s+|in\s+|d'|de\s+|)(?:additional|supplémentaires?|net proceeds|"
    r"over-allotment)",
    re.I,
)
PURCHASE = _rx(
    r"\bpurchas|\bbought\b|\bbuy\b|\border|\bacquir|\bachat\b|\bacheté|\bachète|commande|"
    r"acquisition de GPU|acquisition of (?:\w+\s+){0,3}GPU|\bdeliver(?:y|ies)\b|livraison|"
    r"\bacheter\b|"
    # "an equipment deal with Dell for the acquisition of NVIDIA GB300 systems"
    r"acquisition (?:de|of) (?:\w+\s+){0,2}"
    r"(?:systèmes|systems|serveurs|servers|équipements?|equipment)"
)
# NVIDIA's architecture names stand for its GPU systems ("Dell air-cooled Blackwell systems")
GPU_WORD = _rx(r"\bGPUs?\b|\bpuces\b|\bAI servers\b|serveurs IA|\bBlackwell\b|\bVera Rubin\b")
# a hardware vendor as the party of a GPU deal makes it a purchase ("GPU hardware through a
# $5.8 billion agreement with Dell"), whatever the deal is called
VENDOR_PARTY = _rx(
    _each(
        "with|from|through|via|by",
        r"\s+(?:Dell|Super\s?Micro|Supermicro|Hewlett Packard|HPE|Lenovo)\b",
    )
)
# "deal" names a compute contract only beside compute/capacity words ("a $9.7 billion, five-year
# deal with Microsoft ... AI cloud services"); acquisitions and financings are typed before it
DEAL_CONTRACT = _rx(r"\bdeals?\b")
DEAL_WITH = _rx(r"\bdeals?\s+with\b")
COMPUTE_WORDS = _rx(
    r"cloud|\bcompute\b|\bHPC\b|capacit|\bGPUs?\b|\bMW\b|megawatt|data cent|colocation|hosting|"
    r"\bleas"
)
_CONTRACT_WORDS = (
    r"\bleas(?:e|es|ed|ing)\b|\bcolocation\b|\bhosting\b|\bcontracts?\b|\bagreements?\b|"
    r"\bpartnership|\bbail\b|\blouer\b|\bcontrats?\b|\bpartenariat|\baccord\b|"
    r"lettre d'intention|letter of intent|\bLOI\b|\bcollaboration|right of first offer|"
    # "the total contracted critical IT load for Fluidstack"
    r"\bcontracted\s+(?:critical\s+IT|IT\s+load|HPC|AI|colocation|hosting)|"
    r"joint venture|coentreprise|\bbase term\b|\binitial term\b|contract (?:value|revenue)|"
    r"droit de premi[eè]re? (?:offre|refus)|"
    # a party given exclusivity ("obtained 30-day exclusivity on CB-5"), not sites "under
    # exclusivity" in a pipeline
    + _each(
        "obtained|granted|received|secured|gave|given", r"\s+(?:[\w‑-]+\s+){0,2}exclusivity", ""
    )
)
CONTRACT = _rx(_CONTRACT_WORDS + r"|\boptions?\b")  # not "optional(ity)"
_CONTRACT_CORE = _rx(_CONTRACT_WORDS)  # CONTRACT without the bare "option"
CONTRACT_EXCLUDE = _rx(
    r"ground lease|supply agreement|interconnection|raccordement|power purchase|"
    r"contrats? d'achat|contrats? d'électricité|lease (?:payments|obligations|overhead)|"
    r"merger agreement|no new (?:customer )?contract|did not announce|not announced|aucun|"
    r"net proceeds|produit net|connection agreement|utility company|utility partner|"
    # "a 30-year lease to secure 570 MW of additional power": a power deal, not HPC
    + _each("MW|megawatts?|GW", r"\s+(?:\(MW\)\s+|)of\s+(?:additional\s+|new\s+|)power\b", "")
    + r"|power supply|"
    # the buyers' or underwriters' option to take more notes or shares (a greenshoe)
    r"purchasers'? option|underwriters'? option|over-allotment|greenshoe"
)
SITE = _rx(
    r"\bsites?\b|\bcampus\b|\bfacility\b|\bbuildings?\b|\bbâtiments?\b|\bphase\b|wind farm|"
    r"\bparc éolien|\binstallations?\b|designed to|\bscale to|scalable to|gigafactory|\bplants?\b"
)
POWER = _rx(
    r"portfolio|pipeline|under management|energi[sz]ed|operating capacity|capacity|"
    r"\boperating\b|\boperational\b|\bonline\b|en service|en exploitation|interconnection|"
    r"footprint|"
    r"\bsecured\b|contrôlent|d'énergie|capacité|\bpower\b|portefeuille"
)
AGGREGATE = _rx(
    r"\b(?:\d+\s+(?:US-listed\s+|U\.S\.-listed\s+)?(?:bitcoin\s+)?miners|"
    r"\d+\s+mineurs(?:\s+de\s+bitcoin)?(?:\s+cotés\s+aux\s+États-Unis)?)"
)
ANAPHORA = _rx(
    _each(
        "the|this|these|such|each|both",
        r"\s+(?:(?:new|initial|first|second|third|amended|"
        r"definitive|proposed|lease|colocation|hosting|HPC|AI|merger|long-term|\d+-year|"
        r"convertible|senior|secured|strategic)\s+)*"
        r"(?:agreements?|leases?|contracts?|transactions?|deals?|acquisition|merger|offering|notes?|"
        r"facility|loan|financing|arrangement|investment)\b",
    )
    + r"|\bl'(?:accord|opération|acquisition)\b|"
    + _each("ce|le", r"\s+(?:contrat|bail)\b")
    + r"|\bla\s+transaction\b"
)
TOTAL = _rx(r"\btotal\b|au total|combined|cumul")
CLAUSE_SPLIT = _rx(r",\s+(?:et|and)\s+(?:a\s+|has\s+)?(?:annoncé|announced|signed|a signé|agreed)")

STATUS_RULES: dict[str, list[tuple[str, Gated]]] = {
    "hpc_contract": [
        ("option_exercised", _rx(r"exercised (?:its |an |the )?option|a exercé|levé l'option")),
        (
            "letter_of_intent",
            _rx(r"letter of intent|\bLOI\b|lettre d'intention|non-binding|memorandum of under"),
        ),
        (
            "option",
            _rx(
                r"\boption|right of first|first right of|\bROF[OR]\b|renewal|extension|prolong|"
                r"could (?:lift|raise)|droit de premi[eè]re? (?:offre|refus)|exclusivit"
            ),
        ),
        (
            "definitive",
            _rx(
                r"\bsigned\b|\bsigns\b|entered into|definitive|executed|finali[sz]ed|a signé|"
                r"signature|conclu|agreements? with|\bleases? with"
            ),
        ),
    ],
    "financing": [
        (
            "completed",
            _rx(
                r"\bclosed\b|\bclosing of\b|\bcompleted\b|\bcompletion of\b|finalisé|"
                r"a finalisé|clôtur"
            ),
        ),
        ("priced", _rx(r"\bpriced\b|\bpricing\b|\bprices\b|\bupsized?\b|\bupsizes\b")),
        (
            "proposed",
            _rx(
                r"\bproposed\b|intends to offer|proposé|plans? to (?:offer|issue|raise)|"
                r"planning to offer"
                + (deals.FIN_PROPOSED if deals.SWITCHES["proposed_words"] else "")
            ),
        ),
        (
            "definitive",
            # "senior secured notes" describes the notes, not a signed deal
            _rx(
                r"\bsecured\b(?! (?:notes|convertible|credit|term|debt|bonds|loan|revolv))|"
                r"entered into|\bsigned\b|obtenu|a conclu"
                + (deals.AMENDED if deals.SWITCHES["amended_facility"] else "")
            ),
        ),
    ],
    "acquisition": [
        (
            "terminated",
            _rx(
                (deals.TERMINATED if deals.SWITCHES["terminated_words"] else deals.TERMINATED_OLD)
                + r"|résili|abandon|mis fin|mettent fin|voted against|ont voté contre|"
                r"rejected|rejett|called off"
            ),
        ),
        ("completed", _rx(r"\bcompleted\b|\bclosed\b|finali[sz]ed|a finalisé|a conclu l'acqu")),
        (
            "definitive",
            _rx(
                r"definitive|agreed to acquire|will acquire|accepté d'acquérir|accord définitif|"
                # "signed an agreement to acquire 447 acres", "a deal to buy the site"
                r"(?:agreement|deal) to (?:acquire|buy|purchase)"
            ),
        ),
        ("proposed", _rx(r"\bproposed\b|offer to acquire|unsolicited|proposition")),
    ],
}
_INTEREST_AFTER = _rx(
    r"\A\s*(?:annual\s+|per annum\s+|annuel\s+|)"
    r"(?:convertible|senior|notes?|coupon|interest|d'intérêt|intérêt)"
)
_INTEREST_BEFORE = _rx(
    r"(?:obligations|notes|bonds|dette|interest|intérêt|coupon|taux|rate of)[^%]{0,40}$"
)
_ZERO_COUPON = _rx(
    r"zero[- ]coupon|zéro coupon|not bear (?:regular )?interest|sans coupon|interest[- ]free|"
    r"sans intérêts?"
)
_PRICE_PERCENT = re.compile(
    r"\s*(?:of\s+(?:the\s+|their\s+|its\s+)?(?:aggregate\s+|then-applicable\s+|)"
    r"(?:principal|par|face|conversion|issue|stated|liquidation)|du\s+(?:principal|nominal|pair))",
    re.I,
)
_ABBREV = re.compile(
    r"(?:\b[A-Z]|\bInc|\bCorp|\bLtd|\bCo|\bNo|\bMr|\bMs|\bDr|\bSt|\bvs|\bapprox|\bU\.S|"
    r"\bJ\.P|\bS\.A|\betc)\.$"
)
_ABBREV_MAX = 12  # longer than any _ABBREV alternative ("approx." is 7 characters)
# "(?<=[.!?])\s+(?=[\"(«]?[A-Z0-9À-Ý])|\n+" with the first whitespace character taken out
# of both alternatives (both start with one; "\n" is one) and the lookbehinds moved after
# it: same matches, but the pattern starts with a class, so the regex engine scans for the
# next whitespace in C instead of trying a lookbehind at every character.
_SENT_END = re.compile(
    r"\s(?:(?:(?<=[.!?]\s)|(?<=[.!?][\"')»]\s))\s*(?=[\"(«]?[A-Z0-9À-Ý])|(?<=\n)\n*)"
)
_SITE_NAME = re.compile(
    r"(?:(?:at|in|à|pour)\s+(?:its\s+|the\s+|le\s+)?(?:site\s+)?)"
    r"([A-Z][\w'-]+(?:\s+(?:[A-Z0-9][\w'-]*|\d+))*?)(?:\s+(?:site|campus|data center campus))?\b"
)
MIN_DEAL_USD = 1e6
# "Google has committed to backing up $1.4 billion of Fluidstack's lease obligations": to back a
# tenant's obligations is to guarantee them
_BACKING = r"\bback(?:s|ed|ing|)(?:\s+up|)\s[^;]{0,60}?\bobligations\b"
_BACKSTOP = _rx(r"backstop|guarantee|garantie financière|garantir les|" + _BACKING)
_CAPACITY_WORD = _rx(r"capacit")
_ACQ_ANAPHORA = _rx(
    _each("this|the", r"\s+(?:transaction|acquisition|deal)\b")
    + r"|\bcette (?:transaction|acquisition)\b"
)
_DEAL_WORD = _rx(_each("deals?|agreements?|contracts?|leases?|accords?|contrats?|bail|baux", r"\b"))
# what a deal is said to bring in ("expected to generate more than $10 billion in revenue")
_VALUE_WORD = _rx(r"revenue|generate|worth|valued?\b|valeur|revenus|rapporter|générer")
_ASSET_REF = _rx(
    _each(
        "the|this|that",
        r"\s+(?:new\s+|acquired\s+|purchased\s+|)(?:site|facility|data cent(?:er|re)|campus|"
        r"property)\b",
    )
    + "|"
    + _each("ce site|cette installation|ce centre", r"\b")
)
_DATA_CENTER = _rx(r"data ?cent(?:er|re)s?|centres? de données")
_ACQ_CONSEQUENCE = _rx(
    _each("with|following|after|upon", r"\s+(?:this|the)\s+(?:acquisition|transaction|deal)", "")
    + r"|avec cette acquisition|à la suite de l'acquisition"
)
_ANNUAL_BEFORE = re.compile(
    r"annual(?:i[sz]ed)?\s+(?:contract\s+|lease\s+|run-rate\s+)?revenues?\s+(?:of\s+)?"
    r"(?:approximately\s+|about\s+|roughly\s+|~\s*|up\s+to\s+|)\Z|"
    r"revenus\s+annuels\s+(?:d'environ\s+|de\s+)\Z",
    re.I,
)
_CAPACITY_NEAR = re.compile(
    r"[^.;,]{0,30}?\b(?:capacity target|target|expansion|across|pipeline|portfolio|"
    r"under management|capacité|portefeuille|power (?:contracts?|purchase|supply))",
    re.I,
)
# earnings and spending figures next to a contract are not its value ("$25 million of
# average annual NOI", "run-rate EBITDA ... $13MM", "~$89.8 million of retrofit capex")
_NOT_VALUE_NEAR = re.compile(
    r"ebitda|\bnoi\b|net operating income|margin|capex|capital expend|cost|retrofit|"
    r"investment|dépenses|coût|recurring revenue|\bARR\b",
    re.I,
)
_OPTION_CUE_MW = re.compile(
    r"(?:option|extension|renewal|could|potential|expan|rights?\b|droit|exclusivit|"
    r"pourrai|potentiel)[^;]{0,80}\Z",
    re.I,
)
# "two additional five-year extensions": a term that is the option's, not the base deal's
_OPTION_TERM_AFTER = re.compile(r"[\s-]*(?:extension|renewal|option)", re.I)
_SITE_WORDS = ("campus", "site", "facility", "installation")
_CUE_WORDS = (
    "option",
    "extension",
    "renewal",
    "could",
    "potential",
    "if ",
    "prolong",
    "pourrai",
    "expan",
    "right",
    "up to",
    "droit",
    "exclusivit",
    "potentiel",
)
_SITE_MW = re.compile(
    r"(?:(?:campus|site|facility|installation)\s+(?:de|of|d')|"
    r"(?:designed|built|conçu|conçue|conçus|conçues)\s+(?:for|pour|to)\s+"
    r"(?:une\s+capacité\s+de|a\s+capacity\s+of|scale\s+to|)|"
    # "Campus Expansion Potential Up to 1 GW (800 MW option)": the campus's size
    r"(?:campus|site)\s+(?:expansion\s+)?potential\s+(?:of\s+|)(?:up\s+to\s+|))\s*\Z",
    re.I,
)
_OPTION_CUE = re.compile(
    r"(?:option|extension|renewal|could|potential|if (?:all|fully)|prolong|pourrai|expan|"
    r"rights?\b)(?:(?!,\s+(?:and|et)\s)[^$€\d]){0,80}\Z",  # not across ", and is expected to"
    re.I,
)
_SUPERSEDED = re.compile(
    r"(?:(?:initially|originally|first|previously)\s+(?:proposed|announced|planned|"
    r"offered)[^$€\d]{0,30}|\bup from\s+|\bfrom\s+|\bcontre\s+|"
    r"\bfrom\s+(?:the\s+|its\s+|an?\s+)?(?:original|initial|previous|prior|planned|"
    r"proposed)\s+|"
    # "an amendment and restatement of its previous $50 million credit facility"
    r"\b(?:previous|prior|former)\s+)"
    r"(?:US)?[$€]?\Z",
    re.I,
)
_PREMIUM = re.compile(r"premium|prime|discount|décote", re.I)
_REPURCHASE_AFTER = re.compile(
    r"\s*(?:of\s+(?:its\s+)?)?(?:common\s+)?(?:share|stock)\s+(?:re)?purchase|"
    r"\s*(?:share\s+)?(?:buyback|repurchase)|"
    r"\s*(?:will be used\s+|)to\s+(?:repurchase|buy back|redeem|repay|refinance)",
    re.I,
)
_REPURCHASE_BEFORE = re.compile(r"(?:repurchase|buy\s?back|rachat d'actions)[^$€\d]{0,30}\Z", re.I)
_PRINCIPAL = re.compile(r"\s*principal", re.I)
_CONVER = _rx(r"conver")
_PORTFOLIO = _rx(r"portfolio|pipeline|under management|portefeuille|contrôlent")

# detect_language counts the whole words equal to one of these, French against English, in
# one scan of an alternation of both lists (no Counter over every word of the text)
_FR_WORDS = ("le", "la", "les", "des", "du", "une", "est", "et", "pour", "avec", "dans", "sur")
_EN_WORDS = ("the", "and", "of", "to", "with", "for", "is", "on", "in", "its")
_LANG_WORD = re.compile(
    r"\b(?:" + "|".join(sorted(_FR_WORDS + _EN_WORDS, key=len, reverse=True)) + r")\b"
)


@dataclass
class _Sentence:
    start: int
    end: int
    para: int


def sentences(text: str) -> list[_Sentence]:
    """Sentence spans (abbreviations and initials such as "J.P." do not end a sentence)."""
    out: list[_Sentence] = []
    para = 0
    pos = 0
    pending = 0
    lines = text.count("\n")
    # a hard-wrapped text: lines so short (under 12 characters on average) that they are
    # fragments of sentences, not headlines or list items ("The\nHPC\nand\n...")
    fragments = lines > 20 and len(text) < 12 * lines
    prose = (
        not fragments
        and lines >= 6
        and _WRAP_MIN // 2 <= len(text) / (lines + 1) <= _WRAP_MAX + 20
        and text.count(".\n") * 2 < lines  # most line breaks come mid-sentence
        and len(_OPEN_BREAK.findall(text)) * 2 >= lines
        and _prose_wrapped(text)
    )
    for m in _SENT_END.finditer(text):
        # an abbreviation ends right at the break (it is anchored with "$"), so only the last
        # few characters are searched; the search still sees the text before them for "\b"
        if "\n" not in m.group(0):
            if _ABBREV.search(text, max(pending, m.start() - _ABBREV_MAX), m.start()):
                continue
        elif _wrapped(text, m, fragments) or (prose and _wrapped_line(text, m)):
            continue
        _add(out, text, pending, m.start(), para)
        if "\n\n" in m.group(0):
            para += 1
        pending = m.end()
        pos = pending
    _add(out, text, pos if pos > pending else pending, len(text), para)
    return out


@lru_cache(maxsize=2)
def _cached_sentences(text: str) -> tuple[_Sentence, ...]:
    """:func:`sentences` of the document being read (the rules and the role model both split
    it; neither changes the spans)."""
    return tuple(sentences(text))


_SENTENCE_END_CHARS = frozenset(".!?:;\"')»”")


def _wrapped(text: str, m: re.Match[str], fragments: bool) -> bool:
    """A single line break inside a sentence of a text wrapped into fragments: the line
    before ends without punctuation. (Joining every line that goes on in lower case was
    tried too: one more false fact on dev_fit, nothing gained.)"""
    if not fragments or "\n\n" in m.group(0) or m.start() == 0:
        return False
    return text[m.start() - 1] not in _SENTENCE_END_CHARS


_WRAP_MIN, _WRAP_MAX = 40, 90  # line lengths of prose hard-wrapped at a fixed width
_OPEN_BREAK = re.compile(r"[a-z,]\n(?!\n)")  # a line that stops on a word or a comma


def _prose_wrapped(text: str) -> bool:
    """Prose hard-wrapped at a fixed width (a wire text pasted with its line breaks): most
    lines are 40-90 characters long, and at least five of them stop mid-sentence. A text of
    one paragraph per line, or of headlines and bullets, is not."""
    lines = [ln.rstrip() for ln in text.split("\n") if ln.strip()]
    mid = [ln for ln in lines if _WRAP_MIN <= len(ln) <= _WRAP_MAX]
    if len(mid) < 0.6 * len(lines):
        return False
    return sum(ln[-1] not in _SENTENCE_END_CHARS and ln[-1] != "|" for ln in mid) >= 5


def _wrapped_line(text: str, m: re.Match[str]) -> bool:
    """A single line break after a wrapped line of such prose (40-90 characters, no
    closing punctuation): the sentence goes on."""
    if "\n\n" in m.group(0) or m.start() == 0:
        return False
    if text[m.start() - 1] in _SENTENCE_END_CHARS:
        return False
    line_start = text.rfind("\n", 0, m.start()) + 1
    return _WRAP_MIN <= m.start() - line_start <= _WRAP_MAX


def _add(out: list[_Sentence], text: str, start: int, end: int, para: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(_Sentence(start, end, para))


_AND_SPLIT = re.compile(r",\s+(?:and|et)\s")
_CONTRAST_WORDS = (" while ", " whereas ", " tandis que ", " alors que ")
_CONTRAST = re.compile(r",\s+(?:while|whereas|tandis que|alors que)\s", re.I)


def _units(text: str, lang: str, resolver: Resolver | None = None) -> list[_Sentence]:
    """Sentences, each cut where a second deal starts (", and signed a lease with ...")
    when every part states a fact of its own."""
    out: list[_Sentence] = []
    for sent in _cached_sentences(text):
        s = text[sent.start : sent.end]
        if "," not in s:
            out.append(sent)
            continue
        cuts = [m.start() for m in CLAUSE_SPLIT.finditer(s)] if " and " in s or " et " in s else []
        if cuts:
            out += _typed_parts(text, s, sent, cuts, lang) or [sent]
            continue
        if ", and " in s or ", et " in s:
            # "... $1.3 billion to support the financing, and the lease term is 25 years":
            # coordinated clauses of different types are kept apart
            parts = _typed_parts(text, s, sent, [m.start() for m in _AND_SPLIT.finditer(s)], lang)
            if parts:
                out += parts
                continue
        if any(w in s for w in _CONTRAST_WORDS):
            # ", while IREN expands to 3 GW": a second miner's figure in a contrast clause
            m = _CONTRAST.search(s)
            if m and resolver is not None:
                left, right = resolver.miners(s[: m.start()]), resolver.miners(s[m.start() :])
                if left and right and left[0].key != right[0].key:
                    out.append(_Sentence(sent.start, sent.start + m.start(), sent.para))
                    out.append(_Sentence(sent.start + m.start(), sent.end, sent.para))
                    continue
            if m:
                # "the first is a cloud contract with X, while the second is an equipment deal
                # with Dell": two deals of different types, one per clause
                parts = _typed_parts(text, s, sent, [m.start()], lang)
                if parts:
                    out += parts
                    continue
        out.append(sent)
    return out


def _typed_parts(
    text: str, s: str, sent: _Sentence, cuts: list[int], lang: str
) -> list[_Sentence] | None:
    """The parts of ``sent`` cut at ``cuts`` when each states a fact and not all of the
    same type; ``None`` otherwise (also, cheaply, when fewer than two types are possible)."""
    if not cuts or _possible_types(s) < 2:
        return None
    bounds = [0, *cuts, len(s)]
    parts = [
        _Sentence(sent.start + a, sent.start + b, sent.para)
        for a, b in zip(bounds, bounds[1:], strict=False)
    ]
    typed = [
        classify(text[p.start : p.end], nb.find_money(text[p.start : p.end], lang)) for p in parts
    ]
    if all(typed) and len(set(typed)) > 1:
        return parts
    return None


def _possible_types(s: str) -> int:
    """How many fact types :func:`classify` could give a part of ``s`` (each test is a
    necessary condition on the words of ``s``, which holds the words of every part)."""
    low = fold(s)
    capex = "per" in low or "/" in s or "par" in low
    return (
        ACQ.possible(s)
        + (FIN.possible(s) or _BACKSTOP.possible(s) or _backstop_word(s))
        + CONTRACT.possible(s)
        + PURCHASE.possible(s)
        + capex
    )


def _sentence_language(s: str) -> str:
    """ "en" for a sentence of a French text written in English (at least three English
    function words and more than French ones), else "fr"."""
    if " the " not in s and " and " not in s and " of " not in s:
        return "fr"
    runs = Counter(_LANG_WORD.findall(s.lower()))
    en = sum(map(runs.__getitem__, _EN_WORDS))
    return "en" if en >= 3 and en > sum(map(runs.__getitem__, _FR_WORDS)) else "fr"


def detect_language(text: str) -> str:
    """ "fr" when French function words dominate, else "en"."""
    runs = Counter(_LANG_WORD.findall(text[:4000].lower()))
    fr = sum(map(runs.__getitem__, _FR_WORDS))
    en = sum(map(runs.__getitem__, _EN_WORDS))
    return "fr" if fr > en else "en"


def _backstop_word(s: str) -> bool:
    low = fold(s)
    return (
        "backstop" in low
        or "guarant" in low
        or "garanti" in low
        or ("obligation" in low and _BACKING_RX.search(s) is not None)
    )


_BUILD_WORDS = _rx(
    r"\bcosts?\b|capex|capital expend|\bbuild|construct|develop|retrofit|\bcoûts?\b|"
    r"construction|investissement"
)


def _price_per_mw_of_purchase(sentence: str) -> bool:
    """ "will acquire seven facilities for $27.5 million, or about $324,000 per megawatt": a
    price per MW of a purchase is not a build cost (no cost/capex/build word beside it)."""
    return (
        ACQ.search(sentence) is not None
        and not ACQ_EXCLUDE.search(sentence)
        and not _BUILD_WORDS.search(sentence)
    )


def _backed_contract(sentence: str, money: list[nb.Quantity]) -> bool:
    """A contract sentence that also states its guarantee: a contract word, an amount at the
    guarantee word, and the contract's own figures (an amount before the guarantee, its MW or
    its term)."""
    if not _CONTRACT_CORE.search(sentence):
        return False
    g = _GUARANTEE_WORD.search(sentence)
    usd = [q for q in money if q.per is None and q.currency == "USD" and q.value >= MIN_DEAL_USD]
    if g is None or not usd:
        return False
    guaranteed = _guaranteed_amount(sentence, usd, g)
    if guaranteed is None:
        return False
    if any(q.end < g.start() and q is not guaranteed for q in usd):
        return True
    return not _no_deal_figures(sentence)


# "a $3 billion AI cloud hosting deal backstopped by Google": the amount names the deal
_DEAL_NOUN = re.compile(
    r"\b(?:deals?|agreements?|contracts?|leases?|accords?|contrats?)\b"
    r"(?!\s+(?:obligations|payments|commitments))",
    re.I,
)


def _guaranteed_amount(s: str, usd: list[nb.Quantity], g: re.Match[str]) -> nb.Quantity | None:
    """The amount named at the guarantee word ("a $1.4 billion financial guarantee", "will
    backstop $1.4 billion")."""
    near = [
        q
        for q in usd
        if (
            q.end <= g.start()
            and g.start() - q.end <= _NEAR
            and not _DEAL_NOUN.search(s, q.end, g.start())
        )
        or (q.start >= g.end() and q.start - g.end() <= _NEAR)
    ]
    return min(
        near, key=lambda q: min(abs(g.start() - q.end), abs(q.start - g.end())), default=None
    )


def _no_deal_figures(sentence: str) -> bool:
    """No MW and no term: a backstop sentence without an amount is only about the
    guarantee ("Google is providing a financial backstop for the lease payments"), not a
    lease stated beside it ("signed a 15-year lease for 245 MW ... Google providing a
    backstop")."""
    return not nb.find_mw(sentence) and not nb.find_terms(sentence)


def classify(sentence: str, money: list[nb.Quantity]) -> str | None:
    """The fact type a sentence states, or ``None``."""
    has_gpu = bool(nb.GPU_MODEL.search(sentence) or GPU_WORD.search(sentence))
    if has_gpu and (PURCHASE.search(sentence) or VENDOR_PARTY.search(sentence)):
        return "gpu_purchase"
    if (
        any(q.per == "mw" for q in money)
        and not _price_per_mw_of_purchase(sentence)
        and not contracts.yearly_rate_per_mw(sentence)  # round 8: revenue per MW a year
    ):
        return "capex_per_mw"
    if _backstop_word(sentence) and (
        _BACKSTOP.search(sentence)
        and (any(q.per is None for q in money) or (not money and _no_deal_figures(sentence)))
    ):
        if _backed_contract(sentence, money):
            return "hpc_contract"  # "a $3 billion hosting agreement ..., backed by a $1.4
            # billion guarantee": the contract, its guarantee split off in the slots
        return "financing"  # a third party's guarantee of lease payments (status "backstop")
    acq = (
        ACQ.search(sentence) is not None
        or (bool(money) and deals.purchase_object(sentence, ACQ_MORE))
    ) and not ACQ_EXCLUDE.search(sentence)
    fin = FIN.search(sentence) is not None and not FIN_EXCLUDE.search(sentence)
    if acq or fin:
        first = "acquisition" if acq else "financing"
        if money and (acq + fin) + (CONTRACT.search(sentence) is not None) > 1:
            # several deal words: the deal is the one named right at its amount ("the
            # financing comes as Cipher secured a $3B AI hosting deal", "a $3.7 billion
            # hosting agreement with Fluidstack where Google acquired a stake")
            return _nearest_type(sentence, money, acq, fin) or first
        return first
    contract = CONTRACT.search(sentence)
    if contract is None and DEAL_CONTRACT.search(sentence) and COMPUTE_WORDS.search(sentence):
        # a new deal: with a named party or a deal-sized amount; "the deal marks a pivot"
        # and "before the deal" are not contracts
        if DEAL_WITH.search(sentence) or _deal_money(money, sentence):
            contract = DEAL_CONTRACT.search(sentence)
    if contract and not CONTRACT_EXCLUDE.search(sentence):
        # "X will backstop $1.4 billion of ..." restates credit support, not a new deal
        if _BACKSTOP.search(sentence) and not nb.find_terms(sentence):
            return None
        # "an option to buy another $50 million in shares", "initial purchasers received an
        # option": an option is a contract's only beside lease/capacity words (the leftmost
        # contract word, when it is not "option", is one of the others)
        if (
            contract.group(0)[:6].lower() == "option"
            and not _CONTRACT_CORE.search(sentence)
            and not LEASE_WORDS.search(sentence)
        ):
            return None
        return "hpc_contract"
    return None


_NEAR = 24  # characters between an amount and the deal word that names it


def _nearest_type(sentence: str, money: list[nb.Quantity], acq: bool, fin: bool) -> str | None:
    """The type whose trigger word stands closest to the first deal-sized amount, when one
    is within a few words of it; ``None`` to keep the usual order."""
    amounts = [q for q in money if q.per is None and q.value >= MIN_DEAL_USD]
    if not amounts:
        return None
    q = amounts[0]
    best: tuple[int, str] | None = None
    kinds = [("acquisition", ACQ)] if acq else []
    kinds += [("financing", FIN)] if fin else []
    if not CONTRACT_EXCLUDE.search(sentence):
        kinds.append(("hpc_contract", CONTRACT))
    found = [(kind, m.start(), m.end()) for kind, rx in kinds for m in rx.finditer(sentence)]
    for kind, start, end in found:
        if kind == "hpc_contract":
            # "a loan agreement", "share purchase agreement": the word before names the deal
            kind = next(
                (k for k, _, e in found if k != "hpc_contract" and 0 <= start - e <= 1), kind
            )
        gap = q.start - end if end <= q.start else start - q.end
        if gap <= _NEAR and (best is None or gap < best[0]):
            best = (gap, kind)
    return best[1] if best else None


def _status(fact_type: str, sentence: str) -> str | None:
    for status, rx in STATUS_RULES.get(fact_type, []):
        if rx.search(sentence):
            return status
    return None


def _interest(sentence: str, lang: str) -> float | None:
    low = sentence.lower()
    premium = any(w in low for w in ("premium", "prime", "discount", "décote"))
    for q in nb.find_percent(sentence, lang):
        if premium and _PREMIUM.search(
            sentence, max(0, q.start - 30), min(len(sentence), q.end + 25)
        ):
            continue  # "a premium of approximately 42.5% over the last price", "a 27.5%
            # conversion premium"
        if _PRICE_PERCENT.match(sentence, q.end):
            continue  # "redeemed at 100% of the principal amount", "130% of the conversion price"
        if _INTEREST_AFTER.search(sentence[q.end : q.end + 30]) or _INTEREST_BEFORE.search(
            sentence[max(0, q.start - 60) : q.start]
        ):
            return q.value
    return None


_ASSUMED = re.compile(r"\bassum(?:e|es|ed|ing|ption of)\b[^$€\d]{0,15}\Z", re.I)
_DEAL_GATE = re.compile(
    r"from|initial|original|first|previous|contre|purchase|buyback|buy back|rachat|assum|"
    r"redeem|repay|refinance|preliminary|cash"
)
# a cash position is not a deal ("Cash was $1.8bn as of Oct 31"; not "for $67.5 million in
# cash", a price)
_CASH_BEFORE = re.compile(
    r"\bcash(?:\s+and\s+cash\s+equivalents|\s+balance|\s+position|)\s+(?:was|were|of|stood\s+at|"
    r"totall?ed|reached)\s+(?:approximately\s+|about\s+|roughly\s+|)(?:US|)\Z",
    re.I,
)
# a draw or tranche of a facility is not its size ("initial funding of $112.5 million from
# a $5.0 billion facility", "the first tranche of the loan is $50 million", "will initially
# provide $50 million", "$50 million in initial funding")
_DRAW_BEFORE = re.compile(
    r"(?:\b(?:first|initial|preliminary|premi[eè]re?)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:tranche|draw(?:down)?|funding|disbursement|advance|"
    r"of\s+the\s+(?:loan|facility|financing|credit))\b|"
    r"\binitially\s+(?:provide|fund|draw|lend|advance)\w*)[^$€\d]{0,25}\Z",
    re.I,
)
_DRAW_AFTER = re.compile(
    r"\s*(?:in|of|as)\s+(?:an?\s+|)(?:initial|first|preliminary)\s+(?:funding|draw|tranche)",
    re.I,
)
_DRAW_WORDS = re.compile("first|initial|preliminary|premi")  # on lower-cased text
_USE_WORDS = ("purchase", "buyback", "buy back", "rachat", "redeem", "repay", "refinance")
_SUPERSEDED_WORDS = ("from", "initial", "original", "first", "previous", "contre")


_last_deal: tuple[object, object, list[nb.Quantity]] = (None, None, [])


def _deal_money(money: list[nb.Quantity], sentence: str) -> list[nb.Quantity]:
    """Amounts that can be a deal's size (called several times per sentence: memoised)."""
    global _last_deal
    if _last_deal[0] is money and _last_deal[1] is sentence:
        return _last_deal[2]
    out = _deal_money_uncached(money, sentence)
    _last_deal = (money, sentence, out)
    return out


def _deal_money_uncached(money: list[nb.Quantity], sentence: str) -> list[nb.Quantity]:
    out = []
    buyback: bool | None = None
    superseded: bool | None = None
    assumed = False
    draw = False
    cash = False
    for q in money:
        if q.per or q.value < MIN_DEAL_USD:
            continue
        if _PRINCIPAL.match(sentence[q.end : q.end + 12]):
            continue
        if superseded is None:
            low = sentence.lower()
            if _DEAL_GATE.search(low) is None:  # none of the words below: every amount stays
                superseded = buyback = False
            else:
                superseded = any(w in low for w in _SUPERSEDED_WORDS)
                buyback = any(w in low for w in _USE_WORDS)
                assumed = "assum" in low
                draw = _DRAW_WORDS.search(low) is not None
                cash = "cash" in low
        if cash and _CASH_BEFORE.search(sentence, max(0, q.start - 50), q.start):
            continue  # a cash position
        if draw and (
            _DRAW_BEFORE.search(sentence, max(0, q.start - 60), q.start)
            or _DRAW_AFTER.match(sentence, q.end)
        ):
            continue  # a draw or tranche of a facility, not the facility
        if assumed and _ASSUMED.search(sentence, max(0, q.start - 25), q.start):
            continue  # "will assume $19 million in deposits", "assumption of $50 million debt"
        if superseded and _SUPERSEDED.search(sentence, max(0, q.start - 50), q.start):
            continue  # "up from $800 million", "initially proposed raising $300 million"
        if buyback and (
            _REPURCHASE_AFTER.match(sentence, q.end)
            or _REPURCHASE_BEFORE.search(sentence, max(0, q.start - 40), q.start)
        ):
            continue  # share buybacks are not deals
        out.append(q)
    return out


def _scope(sentence: str, fact_type: str) -> str | None:
    m = AGGREGATE.search(sentence)
    if m:
        return m.group(0)
    if TOTAL.search(sentence) and fact_type in ("hpc_contract", "power_capacity"):
        return "total"
    if fact_type == "site":
        sm = _SITE_NAME.search(sentence)
        if sm:
            return sm.group(1)
    return None


def _slots(
    fact_type: str,
    s: str,
    lang: str,
    resolver: Resolver,
    money: list[nb.Quantity] | None = None,
    mws: list[nb.Quantity] | None = None,
) -> list[dict[str, Any]]:
    """Slot dicts (one per fact) for one sentence or clause of a known type.

    ``money``/``mws`` are the quantities of ``s`` when the caller already has them.
    """
    if money is None:
        money = nb.find_money(s, lang)
    if mws is None:
        mws = nb.find_mw(s, lang)
    terms = nb.find_terms(s, lang)
    if terms and (" to " in s or " or " in s or "-" in s):
        # "three to six years": the bound of a range is not a stated term
        terms = [t for t in terms if not _TERM_RANGE.search(s, max(0, t.start - 20), t.start)]
    base: dict[str, Any] = {}
    if fact_type in ("hpc_contract", "financing", "acquisition", "gpu_purchase"):
        if fact_type == "acquisition":
            base["counterparty"] = _acquired_party(s, resolver)
        else:
            cp = resolver.counterparty(s)
            if cp is not None and _RIVAL_GATE.possible(s) and _rival(s, cp, resolver):
                cp = resolver.counterparty(s, exclude=cp)  # "won the contract, beating X"
            base["counterparty"] = (
                cp
                or _named_party(s, resolver)
                or (_leased_to(s, resolver) if "leased to" in s else None)
            )
    if fact_type in ("hpc_contract", "financing", "acquisition"):
        base["status"] = _status(fact_type, s)
    if fact_type == "capex_per_mw":
        out = []
        for q in money:
            if q.per != "mw" or q.currency != "USD":
                continue
            d: dict[str, Any] = {}
            if q.low is not None:
                d.update(amount_usd_low=q.low, amount_usd_high=q.high)
            elif q.qualifier == "up_to":
                d["amount_usd_high"] = q.value
            elif q.qualifier == "more_than":
                d["amount_usd_low"] = q.value
            else:
                d["amount_usd"] = q.value
            d["_span"] = (q.start, q.end)
            out.append(d)
        return out
    deal = _deal_money(money, s)
    usd = [q for q in deal if q.currency == "USD"]
    if fact_type == "hpc_contract" and len(mws) >= 2 and len(usd) >= 2:
        listed = _listed_contracts(base, s, lang, resolver, money, mws, usd, terms)
        if listed:
            return listed
    if fact_type == "hpc_contract":
        # "... $311 million, with extension options bringing the total to ~$1.0 billion",
        # "25 MW ... and options to expand to 200 MW": an amount or MW after an option cue is a
        # separate option fact, the rest is the base deal
        low = s.lower()
        sites: list[dict[str, Any]] = []
        if mws and any(w in low for w in _SITE_WORDS):
            # "deployed at its campus de 750 MW", "facilities designed for a capacity of 750
            # MW": the site's size, a site fact beside the contract
            at_site = [
                q
                for q in mws
                if _SITE_MW.search(s, max(0, q.start - 40), q.start)
                or site_passes.site_of_deal(s, q)
                or contracts.campus_size(s, q)
            ]
            if at_site:
                mws = [q for q in mws if q not in at_site]
                sites = [
                    {"_type": "site", "mw": q.value, "mw_basis": q.basis, "_span": (q.start, q.end)}
                    for q in at_site
                ]
        held = contracts.holding_total(base, s, mws, usd, terms)
        if held is not None:
            return [held, *sites]  # "X now has $11 billion of contracted revenue"
        if _backstop_word(s):
            g = _GUARANTEE_WORD.search(s)
            backed = _guaranteed_amount(s, usd, g) if g is not None and usd else None
            if backed is not None:
                usd = [q for q in usd if q is not backed]
                guarantor = _guarantor(s, resolver, exclude=base.get("counterparty"))
                sites.append(
                    {
                        "_type": "financing",
                        "status": "backstop",
                        "counterparty": guarantor,  # never the tenant itself
                        "amount_usd": backed.value,
                    }
                )
        # "exercised its option and signed a lease for 150 MW": the option is now the deal
        mws, usd, terms, running = contracts.split_running_total(base, s, mws, usd, terms)
        if running is not None:
            sites.append(running)  # "brings the campus to 400 MW under contract": a total
        cued = base.get("status") != "option_exercised" and any(w in low for w in _CUE_WORDS)
        base_usd = [q for q in usd if q.per is None]
        opt = [
            q
            for q in base_usd
            if cued and (contracts.cue_before(_OPTION_CUE, s, q) or contracts.cue_after(s, q))
        ]
        opt_mw = [q for q in mws if cued and contracts.cue_before(_OPTION_CUE_MW, s, q)]
        # the base deal keeps what is not cued; each cued figure is its own option fact (the
        # extra MW and the value "if all extensions are exercised" are separate upsides)
        if terms and cued:
            terms = [q for q in terms if not _OPTION_TERM_AFTER.match(s, q.end)]
        has_base = len(base_usd) > len(opt) or len(mws) > len(opt_mw) or bool(terms)
        if (opt or opt_mw) and has_base:
            options: list[dict[str, Any]] = []
            cp = base.get("counterparty")
            if opt:
                usd = [q for q in usd if q not in opt]
                options.append(
                    {"counterparty": cp, "status": "option", "contract_value_usd": opt[0].value}
                )
            if opt_mw:
                mws = [q for q in mws if q not in opt_mw]
                mw_q = opt_mw[-1]  # "options to expand to 200 MW": the figure reached
                options.append(
                    {
                        "counterparty": cp,
                        "status": "option",
                        "mw": mw_q.value,
                        "mw_basis": mw_q.basis,
                    }
                )
            if base.get("status") == "option":
                base["status"] = _status_without_option(s)
            return [*_slots_contract(base, s, lang, money, mws, usd, terms), *options, *sites]
        if (
            opt
            and not has_base
            and base.get("status") is None
            and _COULD.search(s, 0, opt[0].start)
        ):
            # "these contracts could generate up to $8.7 billion": only the upside is stated
            base["status"] = "option"
        elif base.get("status") == "option":
            cut = contracts.trailing_option_cut(s, [*mws, *base_usd])
            if cut is not None:  # "$3 billion ..., with the option to extend twice ..."
                base["status"] = _status_without_option(s[:cut])
                terms = [q for q in terms if q.start < cut]
        return [*_slots_contract(base, s, lang, money, mws, usd, terms), *sites]
    return _slots_other(fact_type, base, s, lang, resolver, money, mws, usd, deal, terms)


_COULD = re.compile(r"\b(?:could|would|pourrai(?:en)?t|porterai(?:en)?t)\b", re.I)
_TERM_RANGE = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|\d+)"
    r"\s*(?:to|or|-)\s*\Z",
    re.I,
)


_RIVAL_BEFORE = re.compile(
    r"\b(?:beating|beat|beats|defeat(?:s|ed|ing|)|outbid(?:s|ding|)|over|against|"
    r"rivals?|competing\s+with|ahead\s+of)\s+(?:the\s+|)\Z",
    re.I,
)
# its literal gate: the counterparty mentions are looked at only when a competition word is
# in the sentence
_RIVAL_GATE = Gated(_RIVAL_BEFORE)


def _rival(s: str, key: str, resolver: Resolver) -> bool:
    """Every mention of counterparty ``key`` comes right after a competition word ("won a
    100 MW contract, beating Microsoft"): a rival, not the party."""
    spans = [n.start for n in resolver.counterparty_mentions(s) if n.key == key]
    return bool(spans) and all(_RIVAL_BEFORE.search(s, max(0, a - 25), a) for a in spans)


_LIST_JOIN = re.compile(r"(?:,|;|\band\b|\bet\b)", re.I)


def _listed_contracts(
    base: dict[str, Any],
    s: str,
    lang: str,
    resolver: Resolver,
    money: list[nb.Quantity],
    mws: list[nb.Quantity],
    usd: list[nb.Quantity],
    terms: list[nb.Quantity],
) -> list[dict[str, Any]]:
    """Several contracts listed in one sentence, each MW followed by its own amount ("a 200
    MW contract with CoreWeave, anticipated to yield $3.5 billion, and a 70 MW contract
    with the potential to bring in $1.225 billion, both spanning 12 years"): one fact per
    MW with the amount after it; a single stated term applies to each. ``[]`` when the
    figures do not alternate MW, amount, MW, amount."""
    figures = sorted([*mws, *usd], key=lambda q: q.start)
    kinds = [q.kind for q in figures]
    if kinds != ["mw", "money"] * (len(figures) // 2) or len(mws) != len(usd):
        return []
    for prev_money, nxt in zip(usd, mws[1:], strict=False):
        if not _LIST_JOIN.search(s, prev_money.end, nxt.start):
            return []
    out = []
    bounds = [q.start for q in mws[1:]] + [len(s)]
    starts = [0] + bounds[:-1]
    for mw, amount, a, b in zip(mws, usd, starts, bounds, strict=True):
        part = s[a:b]
        d = dict(base)
        d["counterparty"] = resolver.counterparty(part) or _named_party(part, resolver)
        d.update(mw=mw.value, mw_basis=mw.basis, contract_value_usd=amount.value)
        if len(terms) == 1:
            d["term_years"] = terms[0].value
        out.append(d)
    return out


def _status_without_option(s: str) -> str | None:
    for status, rx in STATUS_RULES["hpc_contract"]:
        if status not in ("option", "option_exercised") and rx.search(s):
            return status
    return None


def _slots_contract(
    base: dict[str, Any],
    s: str,
    lang: str,
    money: list[nb.Quantity],
    mws: list[nb.Quantity],
    usd: list[nb.Quantity],
    terms: list[nb.Quantity],
) -> list[dict[str, Any]]:
    annual_word = "annu" in s  # "annual revenue of", "revenus annuels d'environ"
    crit = [q for q in mws if q.basis == "critical_it"]
    mw = crit[0] if crit else (mws[0] if mws else None)
    annual = [
        q
        for q in money
        if q.value >= MIN_DEAL_USD
        and (
            q.per == "year"
            or (
                q.per is None
                and annual_word
                and _ANNUAL_BEFORE.search(s, max(0, q.start - 70), q.start)
            )
        )
    ]
    total = [q for q in usd if q.per is None and q not in annual]
    if total or annual:
        total = [q for q in total if not _earnings_or_spend(s, q)]
        annual = [q for q in annual if not _earnings_or_spend(s, q)]
    d = dict(base)
    if mw:
        d.update(mw=mw.value, mw_basis=mw.basis)
    if total:
        d["contract_value_usd"] = total[0].value
    if annual:
        d["annual_revenue_usd"] = annual[0].value
    if terms:
        d["term_years"] = terms[0].value
    if not (mw or total or annual or terms) and d.get("status") not in (
        "option", "letter_of_intent", "option_exercised"
    ):  # fmt: skip
        return []
    if not (mw or total or annual or terms or d.get("counterparty")):
        return []
    models = nb.find_gpu_models(s) if GPU_WORD.search(s) or nb.GPU_MODEL.search(s) else []
    if models:
        d["gpu_model"] = "+".join(models)
    return [d]


_NOT_VALUE_WORDS = (
    "ebitda", "noi", "net operating", "margin", "capex", "capital expend", "cost", "retrofit",
    "investment", "dépenses", "coût", "recurring revenue", "arr",
)  # fmt: skip


def _earnings_or_spend(s: str, q: nb.Quantity) -> bool:
    """An amount the text ties to earnings or spending within a few words."""
    low = fold(s)
    if not any(w in low for w in _NOT_VALUE_WORDS):
        return False  # none of the words of the pattern anywhere in the sentence
    return bool(_NOT_VALUE_NEAR.search(s, max(0, q.start - 70), min(len(s), q.end + 30)))


_MODEL_DIGITS = re.compile(r"(?:[^\W\d]|\b[ABH]\s)\Z")
_GREENSHOE = _rx(r"purchasers'? option|underwriters'? option|greenshoe")
_GREENSHOE_NEAR = re.compile(
    r"[^$€\d]{0,40}(?:purchasers'? option|underwriters'? option|greenshoe)", re.I
)
_RAISED_TO = re.compile(
    r"\b(?:increas|rais|boost|lift|br(?:ing|ought)|expand)\w*\b[^$€\d.;]{0,50}\bto\s+"
    r"(?:approximately\s+|about\s+|roughly\s+|nearly\s+|~\s*|)(?:US)?\Z",
    re.I,
)


def _financed_amount(s: str, usd: list[nb.Quantity]) -> nb.Quantity:
    """The first amount, unless it stands away from every financing word while a later one
    sits right at one ("backed by $1.8 billion in cash and raises including $1 billion from
    zero-coupon convertible notes": the notes are $1 billion)."""
    if len(usd) < 2:
        return usd[0]
    spans = [(m.start(), m.end()) for m in FIN.finditer(s)]

    def gap(q: nb.Quantity) -> int:
        return min(
            (q.start - e if e <= q.start else max(0, a - q.end) for a, e in spans), default=999
        )

    if gap(usd[0]) <= _NEAR:
        return usd[0]
    near = [q for q in usd[1:] if gap(q) <= _NEAR]
    return near[0] if near else usd[0]


# "... Blackwell systems to support a five-year, $3.4 billion managed AI cloud contract": a
# second amount that a contract word names right after it is that contract's value
_CONTRACT_AFTER = re.compile(
    r"[^$€\d.;,]{0,30}?\b(?:contracts?|leases?|colocation agreements?|hosting agreements?|"
    r"cloud (?:services )?agreements?|contrats?|bail)\b",
    re.I,
)


def _side_contracts(
    s: str, others: list[nb.Quantity], terms: list[nb.Quantity]
) -> list[dict[str, Any]]:
    """Contract facts for the amounts after the first that a contract word names (a GPU
    purchase made "to support" a cloud contract); a term right before the amount is its."""
    out: list[dict[str, Any]] = []
    for q in others:
        if q.per is not None or not _CONTRACT_AFTER.match(s, q.end):
            continue
        d: dict[str, Any] = {"_type": "hpc_contract", "contract_value_usd": q.value}
        term = [t for t in terms if 0 <= q.start - t.end <= 4]
        if term:
            d["term_years"] = term[0].value
        out.append(d)
    return out


def _slots_other(
    fact_type: str,
    base: dict[str, Any],
    s: str,
    lang: str,
    resolver: Resolver,
    money: list[nb.Quantity],
    mws: list[nb.Quantity],
    usd: list[nb.Quantity],
    deal: list[nb.Quantity],
    terms: list[nb.Quantity],
) -> list[dict[str, Any]]:
    if fact_type == "financing" and _backstop_word(s) and _BACKSTOP.search(s):
        d = {"status": "backstop", "counterparty": _guarantor(s, resolver)}
        # "has increased its backstop to $3.2 billion": the new total, not a backstop given
        # (an increase is its own fact, sized by the increment)
        usd = [q for q in usd if not _RAISED_TO.search(s, max(0, q.start - 70), q.start)]
        g = _GUARANTEE_WORD.search(s)
        if g is not None:
            # the amount of a deal stated before the guarantee word is the deal's
            usd = [
                q
                for q in usd
                if not (q.end <= g.start() and _DEAL_NOUN.search(s, q.end, g.start()))
            ]
        if usd:
            d["amount_usd"] = usd[0].value
        # "Google is providing a financial backstop for the lease payments": who guarantees
        # is the fact even without an amount
        return [d] if usd or d["counterparty"] else []
    if fact_type == "financing":
        if deals.granted_loan(s):
            return []  # "it has provided X with a $5 million loan": a loan it makes
        d = dict(base)
        if usd and FIN_SUPPORT.search(s):
            # "an additional $120 million in follow-on offerings", "net proceeds of about
            # $1.13 billion": only the amounts those words name are not the financing's size
            usd = [
                q
                for q in usd
                if not _SUPPORT_BEFORE.search(s, max(0, q.start - 45), q.start)
                and not _SUPPORT_AFTER.match(s, q.end)
                # "... potentially raising the total to $588 million if fully exercised"
                and not _RAISED_TO.search(s, max(0, q.start - 70), q.start)
            ]
        elif usd and ("option" in s or "reenshoe" in s) and _GREENSHOE.search(s):
            # "may grow by another $150 million if the purchasers' option is exercised"
            usd = [q for q in usd if not _GREENSHOE_NEAR.match(s, q.end, q.end + 60)]
        if usd:
            d["amount_usd"] = _financed_amount(s, usd).value
        rate = _interest(s, lang)
        if rate is None and _ZERO_COUPON.search(s):
            rate = 0.0  # "zero-coupon notes", "will not bear regular interest"
        if rate is not None:
            d["interest_rate_pct"] = rate
        conv = [q for q in money if q.per == "share" and q.currency == "USD"]
        if conv and _CONVER.search(s):
            d["conversion_price_usd"] = conv[0].value
        if terms:
            d["term_years"] = terms[0].value
        if not any(
            d.get(k) is not None
            for k in ("amount_usd", "interest_rate_pct", "conversion_price_usd")
        ):
            return []
        return [d]
    if fact_type == "acquisition":
        d = dict(base)
        usd = [q for q in usd if not deals.additional_price(s, q)]
        if usd:
            d["amount_usd"] = deals.equity_part(s, usd).value
        bid = _bidder(s, resolver)
        if bid is not None:
            d["_bidder"], d["counterparty"] = bid
        # "bringing it closer to its 400 MW capacity target", "securing a 1.1 GW expansion
        # across three sites": company capacity, not the acquired asset's size
        extra = [
            {"_type": "power_capacity", "mw": q.value, "mw_basis": q.basis}
            for q in mws
            if _CAPACITY_NEAR.match(s, q.end, q.end + 40)
        ]
        # "(expansion) capacity up to 1.6 GW": the company's, stated elsewhere as capacity
        own = [
            q
            for q in mws
            if not _CAPACITY_NEAR.match(s, q.end, q.end + 40) and not deals.capacity_before(s, q)
        ]
        listed = deals.listed_prices(s, usd)
        if listed:
            # "3 acres for $1.9 million and 181 acres for $3.5 million": one purchase each
            extra += [{"_type": "acquisition", **base, "amount_usd": q.value} for q in listed[1:]]
        if len(own) == 1:
            d.update(mw=own[0].value, mw_basis=own[0].basis)
        elif own:
            # "a 40 MW facility in A, a 110 MW facility in B ...": several assets, each a site
            extra += [
                {"_type": "site", "mw": q.value, "mw_basis": q.basis, "_span": (q.start, q.end)}
                for q in own
            ]
        if not (deal or own or d.get("counterparty") or d.get("status")):
            return extra
        return [d, *extra]
    if fact_type == "gpu_purchase":
        d = dict(base)
        # "an order for NVIDIA H100 GPUs": the digits of a model name are not a count
        counts = [
            q
            for q in nb.find_gpu_counts(s, lang)
            if not _MODEL_DIGITS.search(s, max(0, q.start - 2), q.start)
        ]
        models = nb.find_gpu_models(s)
        if counts:
            d["gpu_count"] = int(counts[0].value)
        if models:
            d["gpu_model"] = "+".join(models)
        if usd:
            d["amount_usd"] = usd[0].value
        if not (counts or usd):
            return []
        return [d, *_side_contracts(s, usd[1:], terms)]
    # site / power_capacity: one fact per MW figure
    return [{"mw": q.value, "mw_basis": q.basis, "_span": (q.start, q.end)} for q in mws]


# "(?:\bwith|\bfrom|\bavec|\bauprès de)\s+..." led by one character class ("\b" as
# "(?<!\w\w)" after the first letter) so the engine scans for it in C; same matches
_PARTY = re.compile(
    r"[wfa](?:(?<=w)(?<!\w\w)ith|(?<=f)(?<!\w\w)rom|(?<=a)(?<!\w\w)(?:vec|uprès de))"
    r"\s+(?:the\s+)?"
    r"((?:[A-Z][\w&'.-]*|AI)(?:\s+(?:[A-Z][\w&'.-]*|AI|of|\d+\b))*)"
)
_NOT_PARTY = re.compile(
    r"^(?:The|This|These|Its|Our|Nasdaq|NASDAQ|NYSE|January|February|March|April|May|June|"
    r"July|August|September|October|November|December|Q[1-4]|US|U\.S\.|North|South|Texas|"
    r"New|Rule|Class|Phase)\b"
)


def _named_party(s: str, resolver: Resolver) -> str | None:
    """An unlisted party named after "with"/"from" ("a lease with AMD", "from Poolside")."""
    if not any(w in s for w in (" with ", " from ", " avec ", " auprès ")):
        return None
    for m in _PARTY.finditer(s):
        name = m.group(1).rstrip(".,'").removesuffix(" of").strip()
        if len(name) < 2 or _NOT_PARTY.match(name) or resolver.miners(name):
            continue
        return name
    return None


def _acquired_party(s: str, resolver: Resolver) -> str | None:
    """The other party of an acquisition: named near the trigger, not in a lease clause
    ("Acquires Rockdale Site, Lands Major AMD Lease" has no acquired party)."""
    m = ACQ.search(s)
    if m is None:
        return resolver.counterparty(s)
    lo = max(0, m.start() - 80)
    window = s[lo : m.end() + 80]
    tail = window[m.end() - lo :]
    lease = LEASE_WORDS.search(tail)
    if lease:
        window = window[: m.end() - lo + lease.start()]
        cut = max(window.rfind(","), window.rfind(" and "), window.rfind(" et "))
        if cut > m.end() - lo:
            window = window[:cut]
    return resolver.counterparty(window)


_BY_BIDDER = re.compile(
    r"\b(?:offer|bid|proposal|attempt|approach|offre|tentative)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:by|from|de|par)\s+\Z",
    re.I,
)
_BIDDER_MADE = re.compile(
    r"\A[^.;]{0,40}?\b(?:made|makes|submitted|launched|tabled|a fait|a déposé|a lancé)\b"
    r"[^.;]{0,50}?\b(?:offer|bid|proposal|offre)\b",
    re.I,
)


def _bidder(s: str, resolver: Resolver) -> tuple[str, str] | None:
    """(bidder's ticker, target's name) when a sentence names two miners and one of them
    makes the offer ("a takeover attempt by Riot Platforms, which made a $950 million offer
    for Bitfarms"): the bid is the bidder's event, whoever issued the text."""
    low = s.lower()
    if not any(w in low for w in ("offer", "bid", "proposal", "attempt", "approach", "offre")):
        return None
    found = resolver.miners(s)
    if len({m.key for m in found}) != 2:
        return None
    for m in found:
        if _BY_BIDDER.search(s, max(0, m.start - 60), m.start) or _BIDDER_MADE.match(
            s, m.end, m.end + 120
        ):
            target = next(o for o in found if o.key != m.key)
            return m.key, s[target.start : target.end]
    return None


_BY_FROM = re.compile(r"\b(?:by|from|de|par)\b", re.I)
_WITH_BEFORE = re.compile(r"\b(?:with|avec)\s+(?:the\s+|)\Z", re.I)
_GUARANTEE_WORD = re.compile(r"backstop|guarant|garanti|" + _BACKING, re.I)
_BACKING_RX = re.compile(_BACKING, re.I)


def _guarantor(s: str, resolver: Resolver, exclude: str | None = None) -> str | None:
    """The named party closest before the guarantee word ("Google will backstop ...");
    ``exclude``: the tenant of the contract the guarantee backs."""
    m = _GUARANTEE_WORD.search(s)
    names = [n for n in resolver.counterparty_mentions(s) if n.key != exclude]
    if not names:
        return None
    if m is None:
        return names[0].key
    # "backstopped by Google", "a guarantee from Google"
    for n in names:
        if 0 <= n.start - m.end() <= 40 and _BY_FROM.search(s, m.end(), n.start):
            return n.key
    # the closest name before the word that is not the tenant ("a lease with Nebius, backed")
    before = [n for n in names if n.start < m.start()]
    free = [n for n in before if not _WITH_BEFORE.search(s, max(0, n.start - 8), n.start)]
    if free:
        return free[-1].key
    return None if before else names[0].key


_FROM_BEFORE = re.compile(r"(?:\bfrom|\bde)\s*\Z", re.I)
# "to 750 MW" (a new figure follows), not "de 500 MW à Lake Mariner" (a place)
_TO_AFTER = re.compile(r"\s*(?:to|à)\s+(?:[^\W\d]+\s+|)[~$]?\d", re.I)


_RATE_AFTER = re.compile(
    r"(?:[\s-]+(?:to|and|-|–|of|new|additional|contracted|IT|load|capacity|critical|HPC|"
    r"AI|\d[\d,.]*|MW|megawatts?)){0,9}\s+(?:annually|per\s+year|a\s+year|each\s+year|"
    r"every\s+year|par\s+an)\b",
    re.I,
)


_OTHER_BASIS = re.compile(
    r"[^()]{0,25}\(\s*(?:representing|or|i\.e\.,?|equivalent to|equal to|about|approximately|"
    r"roughly|soit|environ|)\s*~?\s*\Z",
    re.I,
)
_RANGE_FROM = re.compile(r"\brang\w*\s+(?:in\s+size\s+|in\s+capacity\s+|)from\s+", re.I)


def _other_basis(s: str, before: nb.Quantity, q: nb.Quantity) -> bool:
    """The same capacity on another basis, in brackets right after the first figure
    ("200 MW of critical IT load (representing ~250 MW of gross capacity)")."""
    return "(" in s and bool(_OTHER_BASIS.fullmatch(s, before.end, q.start))


def _range_bound(s: str, q: nb.Quantity) -> bool:
    """A bound of a size range ("the sites range in size from 10 MW to 20 MW"), not a size."""
    if "rang" not in s:
        return False
    return any(m.end() <= q.start <= m.end() + 30 for m in _RANGE_FROM.finditer(s))


def _mw_rate(s: str, q: nb.Quantity) -> bool:
    """A pace, not a capacity: "to add 250 MW to 500 MW of contracted IT load annually"."""
    return ("annual" in s or "year" in s or " an" in s) and bool(_RATE_AFTER.match(s, q.end))


# "Under the original agreement, the company had access to 297 MW": a figure the text
# then replaces (not "the previously announced 200 MW lease")
_FORMER_TERMS = re.compile(
    r"\b(?:under\s+the\s+(?:original|previous|prior|former|old)|originally|formerly|"
    r"initialement|auparavant)\b",
    re.I,
)


def _superseded_mw(s: str, q: nb.Quantity) -> bool:
    """The old figure of "increased from 600 MW to 750 MW", or one stated "under the original
    agreement"."""
    if _TO_AFTER.match(s, q.end) and _FROM_BEFORE.search(s, max(0, q.start - 8), q.start):
        return True
    low = fold(s)
    if not (
        "under" in low
        or "original" in low
        or "formerly" in low
        or "initialement" in low
        or "auparavant" in low
    ):
        return False
    return _FORMER_TERMS.search(s, 0, q.start) is not None


def _contract_substance(s: str, money: list[nb.Quantity], resolver: Resolver) -> bool:
    """A lease/contract sentence that names a party, a status, a value or a term.

    Without any of them ("a 7.5 MW hosting facility", "600 MW leased across both campuses")
    the sentence describes capacity, and its MW figures are site/capacity facts.
    """
    if CONTRACT_NEGATED.search(s):
        return False
    if _deal_money(money, s) or _status("hpc_contract", s) is not None:
        return True
    if ANAPHORA.search(s) and not POWER.search(s):
        return True  # "the lease ..." (not "the transactions ... its 1.7 GW power footprint")
    if nb.find_terms(s) or resolver.counterparty(s) or _CONTRACTS_TOTAL.search(s):
        return True  # ... or "hosting contracts totaling 270 MW" (a total over deals)
    return "leased to" in s and _leased_to(s, resolver) is not None


_UNNAMED = "unnamed hyperscaler"  # entities: "hyperscaler" names no tenant
# a total across several sites or tenants ("across its North Dakota facilities", "across both
# campuses", "spread across two ... clients") is the company's capacity
_ACROSS_SITES = _rx(
    _each(
        "across|spread across|between",
        r"\s+(?:\w+\s+){0,4}?(?:campuses|facilities|sites|clients|tenants|customers)\b",
        "",
    )
)
_CONTRACTS_TOTAL = _rx(
    _each(
        "contracts|agreements|leases|deals|contrats|baux|accords",
        r"\s+(?:\w+\s+){0,2}?(?:total(?:l?ing|s|l?ed)|au total|totali)",
    )
)


_LEASED_TO = re.compile(r"\bleased\s+to\s+(?:the\s+)?((?:[A-Z][\w&'.-]*)(?:\s+[A-Z][\w&'.-]*)*)")


def _leased_to(s: str, resolver: Resolver) -> str | None:
    """The tenant of "... 200 MW of critical IT load, leased to Oracle"."""
    m = _LEASED_TO.search(s)
    if m is None:
        return None
    name = m.group(1).rstrip(".,'")
    if len(name) < 2 or _NOT_PARTY.match(name) or resolver.miners(name):
        return None
    return name


def _confidence(slots: dict[str, Any], inferred_company: bool) -> float:
    filled = len(VALUE_FIELDS) - list(map(slots.get, VALUE_FIELDS)).count(None)
    score = min(0.95, 0.55 + 0.08 * filled)
    return round(score - (0.1 if inferred_company else 0.0), 2)


def extract_text_facts(
    text: str,
    doc_id: str,
    lang: str | None = None,
    resolver: Resolver | None = None,
    primary_company: str | None = None,
    release: bool | None = None,
    scorer: FactScorer | None = DEFAULT_SCORER,
    roles: RoleUse = DEFAULT_ROLE_USE,
) -> list[Fact]:
    """Facts from already-normalised ``text``; spans index into ``text``.

    ``scorer`` (the learned fact scorer, :mod:`.scorer`) drops the candidate facts whose
    features score under its threshold; ``None`` keeps every candidate of the rules.
    ``roles`` (the figure-role model, :mod:`.roles`) vetoes/fills slots and adds sites as
    its thresholds allow; the shipped ``DEFAULT_ROLE_USE`` only adds sites (see "Round 5").
    """
    cut = scorer is not None and not scorer.keeps_all
    lang = lang or detect_language(text)
    mw_seen: list[tuple[int, float]] | None = [] if roles.sites_only else None
    rejected: list[float] = []
    facts, traces, release = candidate_facts(
        text,
        doc_id,
        lang,
        resolver,
        primary_company,
        release,
        trace=cut,
        mw_seen=mw_seen,
        mw_rejected=rejected,
    )
    facts = site_passes.refine(facts, lang)  # site/capacity passes (round 6b)
    # MW figures of every candidate, before the scorer's cut: a figure the scorer dropped is
    # not offered to the role model again as a new site, nor one the rules rejected
    used = [f.mw for f in facts if f.mw is not None] + rejected
    if cut and facts:
        facts = [f for f, x in zip(facts, feature_rows(facts, traces, release), strict=True)
                 if scorer.keep(x)]  # fmt: skip
    facts = contracts.reconcile(facts)  # one frame per deal (round 7)
    if roles.active and facts:
        model = load_role_model()
        kinds, skip = ROLE_KINDS, None
        if roles.sites_only:
            # only MW figures no fact uses can become sites: read just those
            kinds, skip = ("mw",), _near_any(used)
        at = None
        if skip is not None and mw_seen is not None:
            # where the MW figures no fact uses are (the rules read every figure already):
            # only their sentences are read, and most documents have none
            at = [i for i, v in mw_seen if not skip(v)]
        if at == []:
            mentions = []
        else:
            mentions = document_mentions(text, lang, resolver, model.window, kinds, skip, at)
        if mentions:
            probs = [model.probabilities(m) for m in mentions]
            facts = site_passes.drop_rejected_role_sites(
                facts, apply_roles(facts, mentions, probs, roles, text, used), lang
            )
    return facts


def _near_any(values: list[float], tol: float = 0.005) -> Callable[[float], bool]:
    """``v ↦`` some value is within ``tol`` (relative to it) of ``v`` (sorted + bisect)."""
    ordered = sorted(values)

    def near(v: float) -> bool:
        i = bisect_left(ordered, v / (1 + tol))
        return i < len(ordered) and ordered[i] <= v / (1 - tol)

    return near


def document_mentions(
    text: str,
    lang: str,
    resolver: Resolver | None,
    window: int,
    kinds: tuple[str, ...] = ROLE_KINDS,
    skip: Callable[[float], bool] | None = None,
    at: list[int] | None = None,
) -> list[Mention]:
    """Every figure of ``text`` with the features the role model reads (:mod:`.roles`):
    sentence by sentence, whether the sentence names a tracked miner or a counterparty, and
    the fact type its trigger words give. The fit script reads figures through this too;
    ``kinds``/``skip`` limit the figures (see :func:`.roles.find_mentions`); ``at``: only the
    sentences holding one of these offsets are read."""
    resolver = resolver or default_resolver()

    def info(_: int, s: str) -> tuple[bool, bool, str | None]:
        return (
            bool(resolver.miners(s)),
            resolver.counterparty(s) is not None,
            classify(s, nb.find_money(s, lang)),
        )

    sents = _cached_sentences(text)
    only = None
    if at is not None:
        only = {k for k, x in enumerate(sents) if any(x.start <= i < x.end for i in at)}
    return find_mentions(text, sents, lang, window, info, kinds, skip, only)


def candidate_facts(
    text: str,
    doc_id: str,
    lang: str | None = None,
    resolver: Resolver | None = None,
    primary_company: str | None = None,
    release: bool | None = None,
    trace: bool = True,
    mw_seen: list[tuple[int, float]] | None = None,
    mw_rejected: list[float] | None = None,
) -> tuple[list[Fact], dict[int, list[int]], bool]:
    """Every fact the rules make from ``text`` (before the learned scorer), the trace of how
    each was made (``id(fact)`` → :data:`.scorer.TRACE` values; empty with ``trace=False``,
    which the extractor passes when its scorer makes no cut), and whether the text was read as
    its issuer's release.

    ``release``: ``primary_company`` issued the text (a dateline names it), so a fact whose
    sentence names no miner, or names the issuer among others, is the issuer's; ``False``
    follows the last miner named; ``None`` decides from the text (two miners at most named:
    the subject is the default company). ``mw_seen`` (when given) receives (offset, MW) of
    every power figure of the text, for the role model's look at unused figures;
    ``mw_rejected`` the MW figures the rules read and judged not a capacity (superseded, a
    pace, a bound of a range, a restated basis).
    """
    resolver = resolver or default_resolver()
    lang = lang or detect_language(text)
    facts: list[Fact] = []
    current = primary_company
    last: dict[str, tuple[int, Fact]] = {}  # fact_type → (sentence index, fact)
    last_typed: tuple[int, str, int] | None = None  # (sentence idx, type, paragraph)
    acq_doc = bool(ACQ_DOC.search(text[:800]))  # the headline or lead is about a takeover
    units = _units(text, lang, resolver)
    unit_mentions = resolver.miners_in_spans(text, [(u.start, u.end) for u in units])
    if release is None:
        # a write-up about one or two miners is about its subject; an article naming three
        # or more follows the last one named
        named = {m.key for ms in unit_mentions for m in ms}
        release = primary_company is not None and len(named) <= 2
    seen: set[tuple] = set()  # (type, company, stated slots) of every fact made
    capacities: set[tuple] = set()  # (company, MW) of every site/capacity fact
    by_kind: dict[tuple, list[Fact]] = {}  # (type, company) → facts, for merging
    traces: dict[int, list[int]] = {}  # id(fact) → scorer.TRACE values (when ``trace``)
    for idx, sent in enumerate(units):
        s = text[sent.start : sent.end]
        # an English quote or post inside a French text is read as English ("~$3.7 billion")
        s_lang = _sentence_language(s) if lang == "fr" else lang
        mentions = unit_mentions[idx]
        money = nb.find_money(s, s_lang)
        ftype = classify(s, money)
        if ftype is None and money and (acq_doc or "acquisition" in last) and deals.valued_deal(s):
            ftype = "acquisition"  # "... its rival in a transaction valued at $175 million"
        if ftype == "hpc_contract" and acq_doc and not LEASE_WORDS.search(s):
            ftype = "acquisition"  # "the agreement/l'accord" of a merger release
        elif ftype == "hpc_contract" and "acquisition" in last and _ACQ_ANAPHORA.search(s):
            ftype = "acquisition"  # "this transaction ... a fully leased 4 MW data center"
        if ftype == "hpc_contract" and (
            not _contract_substance(s, money, resolver) or contracts.own_lease(s)
        ):
            ftype = None  # round 8: the miner's own lease is no tenant's contract
        elif ftype == "hpc_contract" and contracts.equipment_supply(s):
            ftype = "gpu_purchase"  # round 8: equipment bought from a supplier
        elif ftype == "hpc_contract" and TOTAL.search(s) and not _deal_money(money, s):
            if _CAPACITY_WORD.search(s) and (
                resolver.counterparty(s) in (None, _UNNAMED) or _ACROSS_SITES.search(s)
            ):
                ftype = None  # "capacity leased across both campuses totals 600 MW"
        if ftype == "acquisition" and not mentions and deals.third_party_buyer(s):
            ftype = None  # "an investor group including X agreed to acquire Y"
        elif ftype == "acquisition" and not _deal_money(money, s) and not resolver.counterparty(s):
            if POWER.search(s) and _ACQ_CONSEQUENCE.search(s):
                ftype = None  # "with this acquisition, capacity grows to 623 MW"
        mws: list[nb.Quantity] | None = None
        every_mw: list[nb.Quantity] | None = None
        if ftype is None:
            mws = nb.find_mw(s, s_lang)
        elif mw_seen is not None:
            every_mw = nb.find_mw(s, s_lang)  # what the slots would read (one clause) anyway
        if mw_seen is not None:
            mw_seen += [(sent.start + q.start, q.value) for q in (mws or every_mw or ())]
        lease_near = last.get("hpc_contract")
        option_only = False
        carried = False  # typed by the sentences around it, not by its own words
        if (
            ftype is None
            and mws
            and lease_near
            and idx - lease_near[0] <= 2
            and _DEAL_WORD.search(s)
            and all(_OPTION_CUE_MW.search(s, max(0, q.start - 90), q.start) for q in mws)
        ):
            # "The deal has the potential for additional expansion of up to 200 MW": the
            # upside of the contract just stated
            ftype, option_only, carried = "hpc_contract", True, True
        elif (
            ftype is None
            and lease_near
            and idx - lease_near[0] <= 2
            and money
            and contracts.upside_followup(s, money, mentions, _deal_money)
        ):
            # "If both options are exercised, the total would reach $7 billion"
            ftype, option_only, carried = "hpc_contract", True, True
        elif ftype is None and lease_near and money and contracts.states_holding(s, money):
            ftype, carried = "hpc_contract", True  # "X has $11 billion of lease revenue"
        elif (
            ftype is None
            and lease_near
            and idx - lease_near[0] <= 2
            and contracts.total_followup(
                s, money, contracts.names_another_company(mentions, lease_near[1].company)
            )
        ):
            ftype, carried = "hpc_contract", True  # "The deal lifts total ... to $8.5 billion"
        if ftype is None and mws:
            if ftype is None and SITE.search(s):
                ftype = "site"
            elif POWER.search(s) or AGGREGATE.search(s):
                ftype = "power_capacity"
            elif _DATA_CENTER.search(s):
                ftype = "site"
            elif last_typed and idx - last_typed[0] <= 2 and last_typed[1] in (
                "site", "power_capacity"
            ):  # fmt: skip
                ftype, carried = last_typed[1], True
        if ftype in ("site", "power_capacity") and POWER.search(s) and _PORTFOLIO.search(s):
            ftype = "power_capacity"
        if ftype in ("site", "power_capacity") and mws:
            kept_mw = [
                q
                for i, q in enumerate(mws)
                if not _superseded_mw(s, q)
                and not _mw_rate(s, q)
                and not (i and _other_basis(s, mws[i - 1], q))
                and not _range_bound(s, q)
            ]
            if mw_rejected is not None and len(kept_mw) < len(mws):
                # judged not a capacity here: not offered to the role model as a new site
                mw_rejected += [q.value for q in mws if q not in kept_mw]
            mws = kept_mw
            lease = last.get("hpc_contract")
            if lease and lease[1].mw is None and mws:
                crit = [q for q in mws if q.basis == "critical_it"]
                if (
                    len(mws) == 1
                    and (ANAPHORA.search(s) or (lease[1].counterparty or "\x00") in s)
                    and not _SITE_MW.search(s, max(0, mws[0].start - 40), mws[0].start)
                    and not contracts.campus_size(s, mws[0])
                ):
                    lease[1].mw, lease[1].mw_basis = mws[0].value, mws[0].basis
                    continue  # the contract's capacity, stated in a later sentence
                own = contracts.followup_contract_mw(s, mws)
                if len(own) == 1 < len(mws) and (lease[1].counterparty or "\x00") in s:
                    # "will deliver 168 MW to the tenant, with the possibility of extending
                    # it to 244 MW gross": the first figure sizes the contract
                    lease[1].mw, lease[1].mw_basis = own[0].value, own[0].basis
                    mws = [q for q in mws if q is not own[0]]
                if (
                    len(crit) == 1
                    and idx - lease[0] <= 2
                    and not site_passes.crit_is_site(s, crit[0], lang)
                ):
                    # "the campus will support 200 MW of critical IT load" right after a
                    # contract without capacity: contracts are sized in critical IT
                    lease[1].mw, lease[1].mw_basis = crit[0].value, crit[0].basis
                    mws = [q for q in mws if q is not crit[0]]
                    if not mws:
                        continue
            acq = last.get("acquisition")
            if (
                acq
                and acq[1].mw is None
                and len(mws) == 1
                and idx - acq[0] <= 2
                and _ASSET_REF.search(s)
            ):
                acq[1].mw, acq[1].mw_basis = mws[0].value, mws[0].basis
                continue  # "The new site, with a 30 MW capacity, ...": the purchased asset
        slot_lists: list[tuple[int, int, list[dict[str, Any]]]] = []
        if ftype is not None:
            slot_lists = _clause_slots(
                ftype, s, sent, text, s_lang, resolver, money, mws if mws is not None else every_mw
            )
            if option_only:
                for _, _, sl in slot_lists:
                    for d in sl:
                        d["status"] = "option"
                        d["counterparty"] = d.get("counterparty") or lease_near[1].counterparty
        if not any(sl for _, _, sl in slot_lists):
            # no fact here (untyped, or typed without any slot): it may still complete the
            # contract before it ("... pour Microsoft sur une durée de cinq ans")
            lease = last.get("hpc_contract")
            if lease and lease[1].term_years is None:
                # it names the tenant, or refers to the deal right after it ("... in a
                # deal that runs for the next two years")
                if (lease[1].counterparty and lease[1].counterparty in s) or (
                    idx - lease[0] <= 2 and _DEAL_WORD.search(s)
                ):
                    terms = nb.find_terms(s, s_lang)
                    if terms:
                        lease[1].term_years = terms[0].value
            fin = last.get("financing")
            if (
                fin
                and fin[1].term_years is None
                and fin[1].status != "backstop"
                and idx - fin[0] <= 3
                and _maturity_word(s)
                and _MATURITY.search(s)
            ):
                # "The maturity of each facility is two years from closing": the duration of
                # the financing just stated
                terms = nb.find_terms(s, s_lang)
                if terms:
                    fin[1].term_years = terms[0].value
            if (
                lease
                and lease[1].contract_value_usd is None
                and idx - lease[0] <= 2
                and money
                and _DEAL_WORD.search(s)
                and _VALUE_WORD.search(s)
            ):
                # "These deals are expected to generate more than $10 billion in revenue"
                usd = [
                    q
                    for q in _deal_money(money, s)
                    if q.currency == "USD" and q.per is None and not _earnings_or_spend(s, q)
                ]
                if len(usd) == 1:
                    lease[1].contract_value_usd = usd[0].value
            if (
                lease
                and lease[1].annual_revenue_usd is None
                and money
                and (
                    idx - lease[0] <= 2
                    or len(by_kind.get(("hpc_contract", lease[1].company), ())) == 1
                )
                and not contracts.names_another_company(mentions, lease[1].company)
            ):
                # "the new capacity will generate nearly $1.9 billion in annualized revenue":
                # a yearly revenue stated right after the contract, naming no other company
                yearly = [
                    q
                    for q in money
                    if q.per == "year"
                    and q.currency == "USD"
                    and q.value >= MIN_DEAL_USD
                    and not _earnings_or_spend(s, q)
                ]
                if len(yearly) == 1:
                    lease[1].annual_revenue_usd = yearly[0].value
            if mentions:
                current = mentions[0].key
            if ftype is not None:
                last_typed = (idx, ftype, sent.para)
            continue
        aggregate = bool(AGGREGATE.search(s))
        sent_scope: tuple[str | None] | None = None  # _scope(s, ftype), computed once
        for c_start, c_end, slot_list in slot_lists:
            cs = text[c_start:c_end]
            event_date: tuple[str | None] | None = None  # find_date(cs), computed once
            for slots in slot_list:
                span = slots.pop("_span", None)
                ft = slots.pop("_type", ftype)  # a capacity figure stated beside a deal
                company, inferred = _company(
                    ft, mentions, primary_company if release else current, aggregate, release
                )
                bidder = slots.pop("_bidder", None)
                if bidder is not None:
                    company, inferred = bidder, False  # "a takeover attempt by Riot"
                if sent_scope is None or ft != ftype:
                    sent_scope = (_scope(s, ft),)
                scope = slots.pop("_scope", sent_scope[0])  # a running total (contracts.py)
                if scope is None and ft in ("site", "power_capacity") and ft in last:
                    prev_idx, prev = last[ft]
                    if idx - prev_idx <= 2 and prev.company is None and prev.scope:
                        company, scope = None, prev.scope
                same = by_kind.get((ft, company), ())
                apart = slots.pop("_apart", False)  # a total the company holds (contracts.py)
                merged = (
                    None
                    if apart
                    else _try_merge(same, last, ft, company, slots, idx, s, text, sent)
                )
                if merged is not None:
                    if trace:
                        traces[id(merged)][TRACE_MERGES] += 1
                    continue
                key = (ft, company, *map(slots.get, VALUE_FIELDS))
                if key in seen:
                    continue  # the same fact stated again (nothing new)
                seen.add(key)
                if ft in ("site", "power_capacity"):
                    if (company, slots.get("mw")) in capacities:
                        continue  # the same capacity figure restated
                    capacities.add((company, slots.get("mw")))
                if event_date is None:
                    event_date = (nb.find_date(cs),)
                fact = Fact(
                    doc_id=doc_id,
                    company=company,
                    fact_type=ft,
                    event_date=event_date[0],
                    scope=scope,
                    evidence=text[c_start:c_end],
                    span_start=c_start,
                    span_end=c_end,
                    confidence=_confidence(slots, inferred),
                    **{k: v for k, v in slots.items() if k in _VALUE_SET},
                )
                del span
                facts.append(fact)
                if trace:
                    traces[id(fact)] = [
                        idx, sent.para, inferred, carried, ft != ftype, len(mentions), 0
                    ]  # fmt: skip
                by_kind.setdefault((ft, company), []).append(fact)
                last[ft] = (idx, fact)
                if not contracts.is_upside(fact.status):
                    last[ft + _BASE] = (idx, fact)
        if mentions:
            current = mentions[0].key
        last_typed = (idx, ftype, sent.para)
    restated = deals.RestatedAmount(text, lang)  # a lone financing amount stated twice
    facts = deals.attach_asset_mw(facts, text, units, lang)
    facts = deals.drop_previous_amounts(facts, text)
    # a site figure equal to a contract's MW is that contract's capacity (one fact)
    leased = site_passes.leased_capacity(facts)
    kept = [
        f
        for f in facts
        if _has_number(f)
        and (_enough_evidence(f) or restated(f))
        and not site_passes.is_leased(f, leased)
    ]
    return kept, traces, bool(release)


def _clause_slots(
    ftype: str,
    s: str,
    sent: _Sentence,
    text: str,
    lang: str,
    resolver: Resolver,
    money: list[nb.Quantity],
    mws: list[nb.Quantity] | None,
) -> list[tuple[int, int, list[dict[str, Any]]]]:
    """(start, end, slot dicts) of each clause of a typed sentence: a deal sentence with two
    amounts is cut where a second deal starts (", and announced ...")."""
    clauses = [(sent.start, sent.end)]
    if ftype in ("acquisition", "financing", "hpc_contract") and len(_deal_money(money, s)) >= 2:
        cuts = [m.start() for m in CLAUSE_SPLIT.finditer(s)]
        if cuts:
            bounds = [0, *cuts, len(s)]
            clauses = [
                (sent.start + a, sent.start + b) for a, b in zip(bounds, bounds[1:], strict=False)
            ]
    if len(clauses) == 1:
        return [(sent.start, sent.end, _slots(ftype, s, lang, resolver, money, mws))]
    return [(a, b, _slots(ftype, text[a:b], lang, resolver)) for a, b in clauses]


def _company(
    ftype: str,
    mentions: list,
    current: str | None,
    aggregate: bool,
    release: bool = False,
) -> tuple[str | None, bool]:
    if aggregate:
        return None, False
    if mentions:
        if release and any(m.key == current for m in mentions):
            return current, False
        return mentions[0].key, False
    if ftype == "capex_per_mw" and not release:
        return None, False  # an industry benchmark unless the text is about one miner
    return current, True


_MERGED_TYPES = ("hpc_contract", "financing", "acquisition")
_MAX_EVIDENCE = 1500
_RESTATE_WINDOW = 12  # earlier facts of the same type and company checked for a restatement


_FIGURES = ("mw", "contract_value_usd", "annual_revenue_usd", "amount_usd", "gpu_count")
_CONDITIONAL = _rx(
    r"\bcould\b|\bwould\b|\bif\b|assuming|potential|up to|including (?:the )?(?:optional|"
    r"renewal|extension)|pourrai(?:en)?t|\bsi\b"
)


def _maturity_word(s: str) -> bool:
    """A substring of every :data:`_MATURITY` match is in ``s`` (cheap pre-check)."""
    low = fold(s)
    return "matur" in low or "échéance" in low or "durée" in low


_MATURITY = _rx(r"\bmaturity\b|\bmatures? in\b|\béchéance\b|\bdurée\b")
_LEASE_REF = _rx(_each("the|this", r"\s+(?:[\w-]+\s+){0,2}?(?:lease|bail)\b"))


def _has_number(fact: Fact) -> bool:
    """A fact needs a number; a purchase may instead state where it stands (status), a
    backstop who gives it. An acquisition with neither ("... as part of a 2024 merger") is
    background, not an event of the text."""
    if any(getattr(fact, k) is not None for k in _NUMBERS):
        return True
    if fact.status == "backstop":
        return fact.counterparty is not None
    return fact.fact_type == "acquisition" and fact.status is not None


def _enough_evidence(fact: Fact) -> bool:
    """A contract or financing needs more than one bare figure: a party, a status or a
    second number. A lone amount beside a deal word, with none of them, is most often a
    figure about something else (on the dev set such facts were wrong 7 times in 8)."""
    if fact.fact_type not in ("hpc_contract", "financing"):
        return True
    if fact.counterparty is not None or fact.status is not None or fact.scope == "total":
        return True  # a stated total ("contracts now total $8.5 billion") stands on its own
    if fact.fact_type == "hpc_contract" and _LEASE_REF.search(fact.evidence):
        return True  # "The lease covers 245 MW ...": the lease exists, its figure is its own
    return sum(getattr(fact, k) is not None for k in _NUMBERS) >= 2


_NUMBERS = (
    "mw", "contract_value_usd", "annual_revenue_usd", "term_years", "gpu_count", "amount_usd",
    "amount_usd_low", "amount_usd_high", "interest_rate_pct", "conversion_price_usd",
)  # fmt: skip


def _conflicts(prev: Fact, values: dict[str, Any]) -> bool:
    for k, v in values.items():
        if k == "status":
            continue
        old = getattr(prev, k)
        if old is None:
            continue
        if isinstance(v, int | float) and isinstance(old, int | float):
            if abs(float(old) - float(v)) > 0.005 * max(abs(float(old)), 1e-9):
                return True
        elif k == "counterparty" and isinstance(v, str) and isinstance(old, str):
            # one name inside the other ("Amazon", "Amazon Web Services") is the same party
            a, b = old.lower(), v.lower()
            if a not in b and b not in a:
                return True
        elif old != v:
            return True
    return False


_OPTION_STATUSES = ("option", "option_exercised")
_BASE = "/base"  # key suffix in ``last``: the latest fact of the type that is not an option
_NO_FACT = Fact(doc_id="", company="\x00none", fact_type="")


def _shares_figure(fact: Fact, figures: list[tuple[str, Any]]) -> bool:
    """An equal figure (0.5 %) among ``figures`` (the deal figures of a sentence)."""
    for k, v in figures:
        old = getattr(fact, k)
        if old is not None and abs(old - v) <= 0.005 * abs(old):
            return True
    return False


def _restated(
    facts: list[Fact],
    ftype: str,
    company: str | None,
    slots: dict[str, Any],
    values: dict[str, Any],
    figures: list[tuple[str, Any]],
) -> Fact | None:
    """The recent fact this sentence restates: same type and company, an equal figure,
    nothing disagreeing (an option restates only an option, a base deal only a base deal)."""
    if not figures or slots.get("status") == "backstop":
        return None
    is_option = slots.get("status") in _OPTION_STATUSES
    for fact in reversed(facts[-_RESTATE_WINDOW:]):
        if (
            _shares_figure(fact, figures)
            and fact.fact_type == ftype
            and fact.company == company
            and fact.status != "backstop"
            and (fact.status in _OPTION_STATUSES) == is_option
            and not _conflicts(fact, values)
        ):
            return fact
    return None


def _other_upside(prev: Fact, values: dict[str, Any]) -> bool:
    """Two options of a different kind: the value "if all renewal options are exercised" and
    a right of first offer on more MW are separate upsides, even sentences apart."""
    if prev.status != "option" or values.get("status", "option") != "option":
        return False
    adds_mw = "mw" in values and prev.mw is None
    adds_value = "contract_value_usd" in values and prev.contract_value_usd is None
    return (adds_mw and prev.contract_value_usd is not None) or (adds_value and prev.mw is not None)


def _merge_target(
    facts: list[Fact],
    last: dict[str, tuple[int, Fact]],
    ftype: str,
    company: str | None,
    slots: dict[str, Any],
    idx: int,
    s: str,
) -> Fact | None:
    """The earlier fact of this event, if the sentence continues or restates one.

    Three ways: the next few sentences after a fact of the type (as before); a sentence that
    refers back ("the agreement", "the lease", "the transaction", "the notes", "l'accord")
    anywhere later in the document; a sentence naming the same counterparty as an earlier
    fact of the type. In every case no stated slot may disagree with the fact's.
    """
    if ftype not in _MERGED_TYPES or ftype not in last:
        return None
    values = {k: v for k, v in slots.items() if k in _VALUE_SET and v is not None}
    if slots.get("status") == "backstop":
        # one guarantee told twice ("backed by a $1.4 billion guarantee", later "Google's
        # backstop"); an increment ("an additional $1.4 billion") disagrees and stays apart
        for fact in reversed(facts[-_RESTATE_WINDOW:]):
            if fact.status == "backstop":
                return None if _conflicts(fact, values) else fact
    prev_idx, prev = last[ftype]
    if contracts.is_upside(prev.status) and slots.get("status") not in _OPTION_STATUSES:
        # a base-deal sentence continues the base deal, not the option stated after it
        prev_idx, prev = last.get(ftype + _BASE, (prev_idx, _NO_FACT))
    if prev_idx == idx:
        prev = _NO_FACT  # figures of one sentence were split on purpose (option, clause)
    if ftype == "acquisition" and prev.company == company and values.keys() <= {"status"}:
        return prev  # "the deal was finalised": only a status, so the deal before it
    figures = [(k, values[k]) for k in _FIGURES if k in values]
    if figures and len(facts) > 1 and prev is not _NO_FACT and not _shares_figure(prev, figures):
        # a sentence restating an earlier deal's figures belongs to that deal, even when
        # another deal was stated in between ("... $5.5 billion, 15-year agreement with
        # Amazon" after a paragraph on a power project)
        restated = _restated(facts, ftype, company, slots, values, figures)
        if restated is not None and restated is not prev:
            return restated
    # a financing sentence with terms but no amount (conversion price, coupon) completes
    # the offering before it, however far; a contract sentence with only value/term ("the
    # initial 10-year term generates $311 million") completes the contract before it
    forced = (ftype == "financing" and "amount_usd" not in values) or (
        ftype == "hpc_contract"
        and not values.keys() & {"mw", "counterparty"}
        and slots.get("status") not in ("option", "option_exercised")
    )
    refers: bool | None = True if forced else None  # ANAPHORA.search(s), only when needed
    backstops = (prev.status == "backstop", slots.get("status") == "backstop")
    if backstops[0] != backstops[1]:
        prev = _NO_FACT
    if prev.company == company:
        # "in total" restates a sum over deals, unless the sentence refers back to this one
        # ("the lease ... $5 billion in total contract value")
        if TOTAL.search(s):
            if refers is None:
                refers = bool(ANAPHORA.search(s))
            ok = refers
        else:
            ok = True
        if ok:
            option_change = (
                slots.get("status") in ("option", "option_exercised")
                and (prev.status != slots.get("status"))
                or _other_upside(prev, values)
            )
            near = idx - prev_idx <= 3
            if near and not option_change:
                if not _conflicts(prev, values):
                    return prev
            else:
                if refers is None:
                    refers = bool(ANAPHORA.search(s))
                # a back-reference that only adds value/term slots is the same deal even
                # when it mentions options ("the agreement, with two extension options, is
                # worth $X")
                new = {k for k in values if getattr(prev, k) is None}
                adds_only = (
                    refers
                    and new <= {"contract_value_usd", "annual_revenue_usd", "term_years"}
                    and not _CONDITIONAL.search(s)
                )
                if (
                    (near or refers)
                    and (not option_change or adds_only)
                    and not _conflicts(prev, values)
                ):
                    return prev
    restated = _restated(facts, ftype, company, slots, values, figures)
    if restated is not None:
        return restated
    cp = slots.get("counterparty")
    if cp is not None and slots.get("status") not in ("option", "option_exercised"):
        for fact in reversed(facts[-_RESTATE_WINDOW:]):
            if (
                fact.fact_type == ftype
                and fact.company == company
                and fact.counterparty == cp
                and fact.status not in ("option", "option_exercised")
            ):
                return None if _conflicts(fact, values) else fact
    return None


def _try_merge(
    facts: list[Fact],
    last: dict[str, tuple[int, Fact]],
    ftype: str,
    company: str | None,
    slots: dict[str, Any],
    idx: int,
    s: str,
    text: str,
    sent: _Sentence,
) -> Fact | None:
    """Fold a sentence into an earlier fact of the same event (see :func:`_merge_target`);
    the fact it joined, or ``None``."""
    prev = _merge_target(facts, last, ftype, company, slots, idx, s)
    if prev is None:
        return None
    values = {k: v for k, v in slots.items() if k in _VALUE_SET and v is not None}
    for k, v in values.items():
        if getattr(prev, k) is None:
            setattr(prev, k, v)
    # evidence is one contiguous span: it grows over nearby sentences only (a slot taken from
    # far down the release leaves the opening span as the evidence)
    if sent.end - prev.span_start <= _MAX_EVIDENCE:
        prev.span_end = max(prev.span_end, sent.end)
        prev.evidence = text[prev.span_start : prev.span_end]
    prev.confidence = max(
        prev.confidence, _confidence({k: getattr(prev, k) for k in VALUE_FIELDS}, False)
    )
    last[ftype] = (idx, prev)
    if not contracts.is_upside(prev.status):
        last[ftype + _BASE] = (idx, prev)
    return prev


def extract_facts(
    doc: DocumentLike,
    resolver: Resolver | None = None,
    language: str | None = None,
    scorer: FactScorer | None = DEFAULT_SCORER,
    roles: RoleUse = DEFAULT_ROLE_USE,
) -> list[Fact]:
    """Facts of one document (plain text or HTML bytes in any declared/sniffed encoding);
    ``scorer=None``: every candidate of the rules (no learned filter); ``roles``: how the
    figure-role model is used (off by default)."""
    text, meta = document_text(doc.content, getattr(doc, "content_type", None))
    lang = language or getattr(doc, "language", None) or meta.get("language") or None
    if not meta.get("title") and getattr(doc, "title", None):
        meta = {**meta, "title": doc.title}  # a headline kept beside the text (metadata)
    return extract_normalised(text, meta, doc.doc_id, lang, resolver, scorer, roles)


def extract_candidates(
    doc: DocumentLike, resolver: Resolver | None = None, language: str | None = None
) -> list[tuple[Fact, list[float]]]:
    """Every candidate fact of the rules with its scorer features (for fitting the scorer)."""
    text, meta = document_text(doc.content, getattr(doc, "content_type", None))
    lang = language or getattr(doc, "language", None) or meta.get("language") or None
    title = meta.get("title") or getattr(doc, "title", None) or ""
    resolver = resolver or default_resolver()
    issuer = find_issuer(text, title, resolver)
    facts, traces, release = candidate_facts(
        text,
        doc.doc_id,
        lang,
        resolver,
        issuer.ticker if issuer else None,
        release=True if issuer and issuer.is_release else None,
    )
    return list(zip(facts, feature_rows(facts, traces, release), strict=True))


def extract_normalised(
    text: str,
    meta: dict[str, str],
    doc_id: str,
    lang: str | None = None,
    resolver: Resolver | None = None,
    scorer: FactScorer | None = DEFAULT_SCORER,
    roles: RoleUse = DEFAULT_ROLE_USE,
) -> list[Fact]:
    """Facts of a document already read by ``text.document_text`` (text + metadata)."""
    resolver = resolver or default_resolver()
    issuer = find_issuer(text, meta.get("title", ""), resolver)
    return extract_text_facts(
        text,
        doc_id,
        lang,
        resolver,
        issuer.ticker if issuer else None,
        release=True if issuer and issuer.is_release else None,
        scorer=scorer,
        roles=roles,
    )


def copy_fact(fact: Fact, **changes: Any) -> Fact:
    """A changed copy (facts are mutable only while a document is being extracted)."""
    return replace(fact, **changes)
