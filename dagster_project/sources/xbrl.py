"""Parse XBRL instance documents and inline-XBRL (iXBRL) filings into polars facts.

companyfacts carries no dimensions, so the mining / hosting / HPC revenue split has to come
from each 10-Q / 10-K's own XBRL: either the extracted instance EDGAR publishes next to the
primary document (``<primary>_htm.xml``) or the inline-XBRL primary document itself.

Safety: every XML parse goes through ``defusedxml`` (no DTD entities, no external
references). iXBRL that is not well-formed XML falls back to lxml's *HTML* parser with
``no_network=True``; the HTML parser never expands external entities.

Conventions of the returned frames (see :data:`FACT_SCHEMA`):

* ``value`` is ``pl.Float64`` and already scaled/signed (money included; the EDGAR layer
  uses Float64 for all money so iXBRL ``scale`` and fractional values need no special case);
  ``value_text`` keeps the raw text (non-numeric facts have ``value`` null).
* ``period_start`` is null for instant contexts; ``period_end`` is the instant date or the
  (inclusive) end date of the duration.
* ``concept``, ``dimensions[].axis`` and ``dimensions[].member`` are QNames written with a
  canonical prefix for the standard taxonomies (``us-gaap``, ``srt``, ``dei``,
  ``ifrs-full``, ...; matched by namespace URI, whatever prefix the filer chose) and the
  filer's own prefix for extension namespaces (``core:ColocationServiceMember``).
* Dimensions from ``segment`` and ``scenario`` are treated alike (XBRL Dimensions allows
  either container). A ``typedMember`` is kept with ``typed=True`` and its element text as
  ``member``; segment logic never maps typed members.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as DET
import polars as pl
from defusedxml import DefusedXmlException
from lxml import etree as lxml_etree

log = logging.getLogger(__name__)

NS_XBRLI = "http://www.xbrl.org/2003/instance"
NS_XBRLDI = "http://xbrl.org/2006/xbrldi"
NS_IX = ("http://www.xbrl.org/2013/inlineXBRL", "http://www.xbrl.org/2008/inlineXBRL")

# Namespace URI prefix -> canonical QName prefix for the standard taxonomies. Matching is
# by ``startswith`` because the year part of the URI changes every release.
_CANONICAL_PREFIXES: tuple[tuple[str, str], ...] = (
    ("http://fasb.org/us-gaap/", "us-gaap"),
    ("http://fasb.org/srt/", "srt"),
    ("http://xbrl.sec.gov/dei/", "dei"),
    ("http://xbrl.ifrs.org/taxonomy/", "ifrs-full"),
    ("http://www.xbrl.org/2003/iso4217", "iso4217"),
    ("http://www.xbrl.org/2003/instance", "xbrli"),
    ("http://www.xbrl.org/2009/utr", "utr"),
    ("http://xbrl.sec.gov/ecd/", "ecd"),
)

DIMENSION_STRUCT = pl.Struct({"axis": pl.String, "member": pl.String, "typed": pl.Boolean})

FACT_SCHEMA: dict[str, pl.DataType] = {
    "concept": pl.String(),
    "namespace": pl.String(),
    "context_id": pl.String(),
    "unit": pl.String(),
    "value": pl.Float64(),
    "value_text": pl.String(),
    "decimals": pl.String(),
    "period_start": pl.Date(),
    "period_end": pl.Date(),
    "is_instant": pl.Boolean(),
    "dimensions": pl.List(DIMENSION_STRUCT),
    "dimension_key": pl.String(),
    "fact_id": pl.String(),
}


class XbrlFormatError(ValueError):
    """The document is not usable XBRL; the message names the document and the problem."""


@dataclass(frozen=True)
class Dimension:
    """One axis/member pair of a context (``typed`` for typedMember content)."""

    axis: str
    member: str
    typed: bool = False


@dataclass(frozen=True)
class Context:
    """An ``xbrli:context``: its period and its dimensions (empty = entity total)."""

    id: str
    period_start: date | None
    period_end: date
    dimensions: tuple[Dimension, ...]

    @property
    def dimension_key(self) -> str:
        """Canonical ``axis=member;...`` string, sorted by axis (empty for entity total)."""
        return ";".join(f"{d.axis}={d.member}" for d in sorted(self.dimensions, key=_dim_sort))


def _dim_sort(d: Dimension) -> tuple[str, str]:
    return (d.axis, d.member)


# --------------------------------------------------------------------------- namespaces


class _Names:
    """Resolve element tags and QName *values* to canonical ``prefix:local`` strings.

    ``prefixes`` maps document prefix -> URI as declared in the document. For the HTML
    fallback the tags arrive as ``prefix:local`` (lower-cased) and are resolved through the
    same map.
    """

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.prefixes = prefixes
        self._uri_prefix: dict[str, str] = {}
        for prefix, uri in prefixes.items():
            if prefix and uri not in self._uri_prefix:
                self._uri_prefix[uri] = prefix

    def canonical_prefix(self, uri: str | None) -> str:
        if not uri:
            return ""
        for start, canonical in _CANONICAL_PREFIXES:
            if uri.startswith(start):
                return canonical
        return self._uri_prefix.get(uri, uri)

    def split_tag(self, tag: Any) -> tuple[str | None, str]:
        """``{uri}local`` or ``prefix:local`` -> (uri or None, local)."""
        if not isinstance(tag, str):  # comments / processing instructions
            return None, ""
        if tag.startswith("{"):
            uri, _, local = tag[1:].partition("}")
            return uri, local
        if ":" in tag:
            prefix, _, local = tag.partition(":")
            return self.prefixes.get(prefix), local
        return self.prefixes.get(""), tag

    def qname_value(self, value: str) -> tuple[str, str]:
        """Resolve a QName written in content/attributes -> (canonical qname, uri)."""
        value = value.strip()
        prefix, _, local = value.rpartition(":")
        uri = self.prefixes.get(prefix, "")
        canonical = self.canonical_prefix(uri) if uri else prefix
        return (f"{canonical}:{local}" if canonical else local), uri

    def concept(self, uri: str | None, local: str) -> str:
        prefix = self.canonical_prefix(uri)
        return f"{prefix}:{local}" if prefix else local


def _attr(el: Any, name: str) -> str | None:
    """Attribute by name, tolerating the lower-casing HTML parsers apply."""
    attrib = el.attrib
    value = attrib.get(name)
    if value is None:
        value = attrib.get(name.lower())
    return value


def _is(names: _Names, el: Any, uris: str | tuple[str, ...], local: str) -> bool:
    uri, loc = names.split_tag(el.tag)
    if isinstance(uris, str):
        uris = (uris,)
    return uri in uris and loc.lower() == local.lower()


def _children(names: _Names, el: Any, uri: str, local: str) -> Iterator[Any]:
    for child in el:
        if _is(names, child, uri, local):
            yield child


def _first(names: _Names, el: Any, uri: str, local: str) -> Any | None:
    return next(_children(names, el, uri, local), None)


def _text(el: Any) -> str:
    return "".join(el.itertext()).strip()


def _parse_date(text: str, *, source: str, what: str) -> date:
    raw = text.strip()[:10]  # dateTime values ("2025-03-31T00:00:00") keep their date
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise XbrlFormatError(f"{source}: {what} {text!r} is not a YYYY-MM-DD date") from exc


# --------------------------------------------------------------------------- contexts/units


def _parse_context(names: _Names, el: Any, *, source: str) -> Context:
    cid = _attr(el, "id")
    if not cid:
        raise XbrlFormatError(f"{source}: an xbrli:context has no id attribute")
    period = _first(names, el, NS_XBRLI, "period")
    if period is None:
        raise XbrlFormatError(f"{source}: context {cid!r} has no xbrli:period")
    instant = _first(names, period, NS_XBRLI, "instant")
    start_el = _first(names, period, NS_XBRLI, "startDate")
    end_el = _first(names, period, NS_XBRLI, "endDate")
    if instant is not None:
        start, end = None, _parse_date(_text(instant), source=source, what=f"context {cid} instant")
    elif start_el is not None and end_el is not None:
        start = _parse_date(_text(start_el), source=source, what=f"context {cid} startDate")
        end = _parse_date(_text(end_el), source=source, what=f"context {cid} endDate")
    elif _first(names, period, NS_XBRLI, "forever") is not None:
        raise XbrlFormatError(f"{source}: context {cid!r} has a 'forever' period (unsupported)")
    else:
        raise XbrlFormatError(
            f"{source}: context {cid!r} period has neither instant nor startDate/endDate"
        )

    containers: list[Any] = []
    entity = _first(names, el, NS_XBRLI, "entity")
    if entity is not None:
        containers.extend(_children(names, entity, NS_XBRLI, "segment"))
    containers.extend(_children(names, el, NS_XBRLI, "scenario"))
    dims: list[Dimension] = []
    for container in containers:
        for member_el in container:
            uri, local = names.split_tag(member_el.tag)
            if uri != NS_XBRLDI:
                continue  # non-dimensional segment content (pre-XDT filings): ignored
            axis_raw = _attr(member_el, "dimension")
            if not axis_raw:
                raise XbrlFormatError(f"{source}: context {cid!r} has a member without dimension")
            axis, _ = names.qname_value(axis_raw)
            if local.lower() == "explicitmember":
                member, _ = names.qname_value(_text(member_el))
                dims.append(Dimension(axis, member, typed=False))
            elif local.lower() == "typedmember":
                dims.append(Dimension(axis, _text(member_el), typed=True))
    return Context(cid, start, end, tuple(dims))


def _parse_unit(names: _Names, el: Any) -> str:
    """``iso4217:USD``; ``USD/shares`` style for divide units (prefixes dropped)."""
    divide = None
    for child in el:
        if _is(names, child, NS_XBRLI, "divide"):
            divide = child
    if divide is not None:
        num = _first(names, divide, NS_XBRLI, "unitNumerator")
        den = _first(names, divide, NS_XBRLI, "unitDenominator")
        parts = []
        for side in (num, den):
            measures = [] if side is None else list(_children(names, side, NS_XBRLI, "measure"))
            parts.append("*".join(names.qname_value(_text(m))[0].split(":")[-1] for m in measures))
        return "/".join(parts)
    measures = [names.qname_value(_text(m))[0] for m in _children(names, el, NS_XBRLI, "measure")]
    return "*".join(measures)


# --------------------------------------------------------------------------- values

_WORDS = {
    "no": 0, "none": 0, "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip


def _ixt_value(text: str, fmt: str | None) -> float | None:
    """Apply an iXBRL transformation (by local name, any ixt/ixt-sec version)."""
    t = text.replace("\xa0", " ").strip()
    name = (fmt or "").rpartition(":")[2].lower()
    if name in ("fixed-zero", "fixedzero", "zerodash"):
        return 0.0
    if name in ("num-word-en", "numwordsen"):
        return float(_WORDS[t.lower()]) if t.lower() in _WORDS else None
    if name in ("num-dot-decimal", "numdotdecimal", "numcommadot", "numspacedot", ""):
        cleaned = re.sub(r"[,\s]", "", t)
    elif name in ("num-comma-decimal", "numcommadecimal", "numdotcomma", "numspacecomma"):
        cleaned = re.sub(r"[.\s]", "", t).replace(",", ".")
    else:
        raise ValueError(f"unsupported ix format {fmt!r}")
    if cleaned in ("", "-", "—", "–"):
        return 0.0 if name else None
    return float(cleaned)


# --------------------------------------------------------------------------- assembly


@dataclass
class _RawFact:
    concept: str
    namespace: str | None
    context_ref: str
    unit_ref: str | None
    value: float | None
    value_text: str
    decimals: str | None
    fact_id: str | None


def _assemble(
    raw: Iterable[_RawFact],
    contexts: dict[str, Context],
    units: dict[str, str],
    *,
    source: str,
) -> pl.DataFrame:
    rows: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    for f in raw:
        ctx = contexts.get(f.context_ref)
        if ctx is None:
            raise XbrlFormatError(
                f"{source}: fact {f.concept} (id={f.fact_id}) refers to undefined context "
                f"{f.context_ref!r}"
            )
        unit: str | None = None
        if f.unit_ref is not None:
            unit = units.get(f.unit_ref)
            if unit is None:
                log.warning(
                    "%s: fact %s (context %s) refers to undefined unit %r; unit left null",
                    source, f.concept, f.context_ref, f.unit_ref,
                )  # fmt: skip
        elif f.value is not None:
            log.warning(
                "%s: numeric fact %s (context %s) has no unitRef; unit left null",
                source, f.concept, f.context_ref,
            )  # fmt: skip
        key = (f.concept, f.context_ref, unit, f.value, f.value_text if f.value is None else None)
        if key in seen:  # iXBRL repeats facts wherever a number is displayed twice
            continue
        seen.add(key)
        rows.append(
            {
                "concept": f.concept,
                "namespace": f.namespace,
                "context_id": f.context_ref,
                "unit": unit,
                "value": f.value,
                "value_text": f.value_text,
                "decimals": f.decimals,
                "period_start": ctx.period_start,
                "period_end": ctx.period_end,
                "is_instant": ctx.period_start is None,
                "dimensions": [
                    {"axis": d.axis, "member": d.member, "typed": d.typed} for d in ctx.dimensions
                ],
                "dimension_key": ctx.dimension_key,
                "fact_id": f.fact_id,
            }
        )
    return pl.DataFrame(rows, schema=FACT_SCHEMA, orient="row")


def _collect_prefixes(content: bytes, *, source: str) -> dict[str, str]:
    """Prefix -> URI for every namespace declared anywhere in the document (first wins)."""
    import io

    prefixes: dict[str, str] = {}
    try:
        for _event, (prefix, uri) in DET.iterparse(io.BytesIO(content), events=("start-ns",)):
            prefixes.setdefault(prefix, uri)
    except DefusedXmlException as exc:
        raise XbrlFormatError(f"{source}: refused unsafe XML ({type(exc).__name__})") from exc
    return prefixes


def _parse_xml(content: bytes, *, source: str) -> tuple[Element, _Names]:
    try:
        root = DET.fromstring(content)
    except DefusedXmlException as exc:
        raise XbrlFormatError(f"{source}: refused unsafe XML ({type(exc).__name__})") from exc
    except ParseError as exc:
        raise XbrlFormatError(f"{source}: not well-formed XML: {exc}") from exc
    return root, _Names(_collect_prefixes(content, source=source))


def _contexts_units(names: _Names, root: Any, *, source: str) -> tuple[dict, dict]:
    contexts: dict[str, Context] = {}
    units: dict[str, str] = {}
    for el in root.iter():
        if _is(names, el, NS_XBRLI, "context"):
            ctx = _parse_context(names, el, source=source)
            contexts[ctx.id] = ctx
        elif _is(names, el, NS_XBRLI, "unit"):
            uid = _attr(el, "id")
            if uid:
                units[uid] = _parse_unit(names, el)
    return contexts, units


_NON_FACT_NAMESPACES = {NS_XBRLI, "http://www.xbrl.org/2003/linkbase", NS_XBRLDI}


def parse_xbrl_instance(content: bytes, *, source: str = "<xbrl instance>") -> pl.DataFrame:
    """Facts of a plain XBRL instance (e.g. EDGAR's ``<primary>_htm.xml``).

    Values in an instance are already scaled and signed; ``decimals`` is kept as text
    (``INF`` or an integer) because it is precision, not a multiplier.
    """
    root, names = _parse_xml(content, source=source)
    uri, local = names.split_tag(root.tag)
    if uri != NS_XBRLI or local != "xbrl":
        raise XbrlFormatError(f"{source}: root element is {root.tag!r}, expected xbrli:xbrl")
    contexts, units = _contexts_units(names, root, source=source)

    def facts() -> Iterator[_RawFact]:
        for el in root:
            el_uri, el_local = names.split_tag(el.tag)
            if el_uri is None or el_uri in _NON_FACT_NAMESPACES:
                continue
            context_ref = _attr(el, "contextRef")
            if context_ref is None:
                continue  # tuples / footnotes: not facts we use
            text = (el.text or "").strip()
            unit_ref = _attr(el, "unitRef")
            decimals = _attr(el, "decimals")
            value: float | None = None
            # Numeric items carry unitRef and decimals; a number with decimals but no
            # unitRef is a broken numeric fact (kept, unit null, warned in _assemble).
            if unit_ref is not None or (decimals is not None and _looks_numeric(text)):
                nil = el.attrib.get("{http://www.w3.org/2001/XMLSchema-instance}nil")
                if nil != "true" and text:
                    try:
                        value = float(text)
                    except ValueError:
                        value = None
            yield _RawFact(
                concept=names.concept(el_uri, el_local),
                namespace=el_uri,
                context_ref=context_ref,
                unit_ref=unit_ref,
                value=value,
                value_text=text,
                decimals=decimals,
                fact_id=_attr(el, "id"),
            )

    return _assemble(facts(), contexts, units, source=source)


def _looks_numeric(text: str) -> bool:
    return bool(re.fullmatch(r"-?\d+(\.\d+)?", text))


def _parse_ixbrl_tree(content: bytes, *, source: str) -> tuple[Any, _Names]:
    """Well-formed XHTML through defusedxml; otherwise lxml's HTML parser, network off."""
    try:
        return _parse_xml(content, source=source)
    except XbrlFormatError as exc:
        if "unsafe" in str(exc):
            raise
    parser = lxml_etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    try:
        root = lxml_etree.fromstring(content, parser)
    except lxml_etree.LxmlError as exc:
        raise XbrlFormatError(f"{source}: cannot be parsed as HTML: {exc}") from exc
    if root is None:
        raise XbrlFormatError(f"{source}: empty document")
    prefixes: dict[str, str] = {}
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for key, value in el.attrib.items():
            if key == "xmlns":
                prefixes.setdefault("", value)
            elif key.startswith("xmlns:"):
                prefixes.setdefault(key[6:], value)
    # lxml's HTML parser lower-cases tags; map lower-cased prefixes too.
    prefixes.update({k.lower(): v for k, v in list(prefixes.items())})
    return root, _Names(prefixes)


def parse_inline_xbrl(content: bytes, *, source: str = "<inline xbrl>") -> pl.DataFrame:
    """Facts of an inline-XBRL document: ``ix:nonFraction`` (numeric) and ``ix:nonNumeric``.

    Numeric value = transform(text per ``format``) x 10^``scale``, negated when
    ``sign="-"`` (the displayed text is unsigned). Attribute names are matched in their
    camelCase (XML) and lower-case (HTML parser) spellings. A fact with an unsupported
    ``format`` is kept with ``value`` null and a warning.
    """
    root, names = _parse_ixbrl_tree(content, source=source)
    contexts, units = _contexts_units(names, root, source=source)
    if not contexts and not any(_is(names, el, NS_IX, "nonFraction") for el in root.iter()):
        raise XbrlFormatError(f"{source}: no inline XBRL (no ix:nonFraction and no contexts)")

    def facts() -> Iterator[_RawFact]:
        for el in root.iter():
            numeric = _is(names, el, NS_IX, "nonFraction")
            if not numeric and not _is(names, el, NS_IX, "nonNumeric"):
                continue
            name = _attr(el, "name")
            context_ref = _attr(el, "contextRef")
            if not name or not context_ref:
                raise XbrlFormatError(
                    f"{source}: ix fact (id={_attr(el, 'id')}) lacks name or contextRef"
                )
            concept, uri = names.qname_value(name)
            text = _text(el)
            value: float | None = None
            if numeric and _attr(el, "{http://www.w3.org/2001/XMLSchema-instance}nil") != "true":
                fmt = _attr(el, "format")
                try:
                    value = _ixt_value(text, fmt)
                except (ValueError, KeyError) as exc:
                    log.warning("%s: fact %s (%s): %s", source, concept, context_ref, exc)
                    value = None
                if value is not None:
                    scale = _attr(el, "scale")
                    if scale:
                        value = value * 10 ** int(scale)
                    if _attr(el, "sign") == "-":
                        value = -value
            yield _RawFact(
                concept=concept,
                namespace=uri or None,
                context_ref=context_ref,
                unit_ref=_attr(el, "unitRef") if numeric else None,
                value=value,
                value_text=text,
                decimals=_attr(el, "decimals"),
                fact_id=_attr(el, "id"),
            )

    return _assemble(facts(), contexts, units, source=source)


# --------------------------------------------------------------------------- segments

#: Revenue concepts in order of preference (first present wins per period and member).
REVENUE_CONCEPTS: tuple[str, ...] = (
    "us-gaap:RevenueFromContractWithCustomerExcludingAssessedTax",
    "us-gaap:Revenues",
    "us-gaap:RevenueFromContractWithCustomerIncludingAssessedTax",
    "us-gaap:RevenuesNetOfInterestExpense",
    "ifrs-full:Revenue",
    "ifrs-full:RevenueFromContractsWithCustomers",
)

#: Axes whose members are revenue-line splits; unmapped members on them get logged.
SEGMENT_AXES: tuple[str, ...] = (
    "srt:ProductOrServiceAxis",
    "us-gaap:StatementBusinessSegmentsAxis",
    "ifrs-full:ProductsAndServicesAxis",
    "ifrs-full:SegmentsAxis",
)

SEGMENT_REVENUE_SCHEMA: dict[str, pl.DataType] = {
    "ticker": pl.String(),
    "period_start": pl.Date(),
    "period_end": pl.Date(),
    "segment": pl.String(),
    "revenue_usd": pl.Float64(),
    "concept": pl.String(),
    "axis": pl.String(),
    "member": pl.String(),
    "source": pl.String(),
}


def segment_revenue(
    facts: pl.DataFrame,
    mapping: Callable[[str, str, str], str | None] | Any,
    ticker: str,
    *,
    accession: str | None = None,
) -> tuple[pl.DataFrame, list[str]]:
    """Revenue by canonical segment from one filing's facts.

    Takes USD duration facts of :data:`REVENUE_CONCEPTS` whose context is either the entity
    total (``segment="total"``, ``member`` null) or has exactly one explicit member. The
    member is mapped through ``mapping.lookup(ticker, axis, member)`` (a
    :class:`~dagster_project.sources.segment_mapping.SegmentMapping`, or any callable with
    that signature). Members on :data:`SEGMENT_AXES` (or any axis the mapping knows) that
    map to nothing are logged at WARNING and returned as ``axis=member`` strings. Rows are
    per member, not summed: several members may share a segment.
    """
    lookup = mapping.lookup if hasattr(mapping, "lookup") else mapping
    known_axes = set(SEGMENT_AXES) | set(getattr(mapping, "axes", ()))
    rank = {c: i for i, c in enumerate(REVENUE_CONCEPTS)}
    candidates = facts.filter(
        pl.col("concept").is_in(list(REVENUE_CONCEPTS))
        & ~pl.col("is_instant")
        & pl.col("value").is_not_null()
        & (pl.col("unit").str.to_uppercase().is_in(["ISO4217:USD", "USD"]))
    )
    best: dict[tuple[Any, ...], tuple[int, dict[str, Any]]] = {}
    unmapped: set[str] = set()
    for row in candidates.iter_rows(named=True):
        dims = row["dimensions"] or []
        if len(dims) == 0:
            axis, member, segment = None, None, "total"
        elif len(dims) == 1 and not dims[0]["typed"]:
            axis, member = dims[0]["axis"], dims[0]["member"]
            segment = lookup(ticker, axis, member)
            if segment is None:
                if axis in known_axes:
                    unmapped.add(f"{axis}={member}")
                continue
        else:
            continue  # multi-member (e.g. product x related party) or typed: not a segment line
        key = (row["period_start"], row["period_end"], axis, member)
        out = {
            "ticker": ticker,
            "period_start": row["period_start"],
            "period_end": row["period_end"],
            "segment": segment,
            "revenue_usd": row["value"],
            "concept": row["concept"],
            "axis": axis,
            "member": member,
            "source": accession,
        }
        r = rank[row["concept"]]
        if key not in best or r < best[key][0]:
            best[key] = (r, out)
    for item in sorted(unmapped):
        log.warning("%s %s: revenue member maps to no segment: %s", ticker, accession, item)
    rows = [v for _, v in best.values()]
    frame = pl.DataFrame(rows, schema=SEGMENT_REVENUE_SCHEMA, orient="row").sort(
        ["period_end", "period_start", "segment", "member"], nulls_last=False
    )
    return frame, sorted(unmapped)
