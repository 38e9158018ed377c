"""Company (miner ticker) and counterparty resolution by name and alias."""

from __future__ import annotations

import csv
import re
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

import ahocorasick

from dagster_project.extraction.text import fold, fold_safe, ignorecase_chars, ignorecase_class

# Names only (no figures): used when the reference file lacks an ``aliases`` column.
BUILTIN_ALIASES: dict[str, tuple[str, ...]] = {
    "CORZ": ("Core Scientific",),
    "IREN": ("IREN", "Iris Energy"),
    "HUT": ("Hut 8", "Cabane 8"),
    "APLD": ("Applied Digital", "Numérique appliqué", "Applied Blockchain"),
    "WULF": ("TeraWulf",),
    "BTDR": ("Bitdeer",),
    "BTBT": ("Bit Digital", "BitDigital"),
    "HIVE": ("HIVE Digital", "HIVE Blockchain", "HIVE"),
    "RIOT": ("Riot Platforms", "Riot Blockchain", "Riot"),
    "CLSK": ("CleanSpark",),
    "MARA": ("MARA Holdings", "Marathon Digital", "Marathon", "MARA", "Mara Holdings", "Mara"),
    "CIFR": ("Cipher Mining", "Cipher"),
    "BITF": ("Bitfarms",),
}
COUNTERPARTIES: dict[str, tuple[str, ...]] = {
    "CoreWeave": ("CoreWeave",),
    "Fluidstack": ("Fluidstack", "FluidStack"),
    "Amazon Web Services": ("Amazon Web Services", "AWS"),
    "Microsoft": ("Microsoft",),
    "Core42": ("Core42", "G42"),
    "Coatue Management": ("Coatue Management", "Coatue"),
    "Dell": ("Dell Technologies", "Dell"),
    "Boosteroid": ("Boosteroid",),
    "Stronghold Digital Mining": ("Stronghold Digital Mining", "Stronghold"),
    "Enovum Data Centers": ("Enovum Data Centers", "Enovum"),
    "Anthropic": ("Anthropic",),
    "Google": ("Google",),
    "NVIDIA": ("NVIDIA", "Nvidia"),
    "AMD": ("Advanced Micro Devices", "AMD"),
    "Poolside": ("Poolside",),
    "Macquarie": ("Macquarie Equipment Capital", "Macquarie"),
    "Cerebras": ("Cerebras Systems", "Cerebras"),
    "Nebius": ("Nebius",),
    "unnamed hyperscaler": ("hyperscaler", "hyperscale"),
}
# Backstops, end users and chip brands are named beside the real counterparty.
_SECONDARY = {"Google", "Anthropic", "NVIDIA"}
_SUFFIX = re.compile(r",?\s+(?:Inc\.?|Corp\.?|Corporation|Limited|Ltd\.?|Holdings?,? Inc\.?)$")


def default_reference_path() -> Path:
    """Repo reference (with aliases) when present, else the shared curated facts file."""
    from dagster_project.settings import load_settings

    settings = load_settings()
    repo = settings.raw_dir / "reference" / "miners.csv"
    return repo if repo.is_file() else settings.snapshot_dir / "facts" / "miners.csv"


def load_aliases(reference: Path | None) -> dict[str, list[str]]:
    """Ticker → names from ``name``, ``former_names``, ``aliases`` (pipe-separated).

    The built-in names are added for every ticker; ``reference=None`` uses them alone.
    """
    out: dict[str, list[str]] = {t: list(a) for t, a in BUILTIN_ALIASES.items()}
    if reference is None:
        return out
    with reference.open(encoding="utf-8", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh), start=2):
            ticker = (row.get("ticker") or "").strip()
            if not ticker:
                raise ValueError(f"{reference}: row {i}: field 'ticker' is empty")
            names = out.setdefault(ticker, [])
            raw = [row.get("name") or ""]
            raw += (row.get("aliases") or "").split("|")
            raw += re.split(r"[;|]", re.sub(r"\(.*?\)", "", row.get("former_names") or ""))
            for name in raw:
                name = _SUFFIX.sub("", name.strip().strip('"')).strip()
                if len(name) >= 3 and name not in names:
                    names.append(name)
    return out


@dataclass(frozen=True)
class Mention:
    """A name found in text, resolved to a ticker or canonical counterparty."""

    key: str
    start: int
    end: int


def _alias_regex(names: list[tuple[str, str]]) -> re.Pattern[str]:
    """One alternation, longest names first; group ``g<i>`` is ``names[i]``.

    Each alternative starts with its first character outside the group (a literal, or the
    exact class of characters it matches case-insensitively): the regex engine then skips an
    alternative on one character test instead of entering it, which makes the scan several
    times faster while matching exactly the same text.
    """
    parts = []
    for key, name in names:
        body = re.escape(name).replace(r"\ ", r"\s+")
        # short or all-caps names only match case-sensitively (e.g. "Riot", "HIVE")
        ignore_case = not (name.isupper() or len(name) <= 6)
        first = None
        if len(name) >= 2 and (name[0].isalnum() or name[0] == "_"):
            first = ignorecase_class(name[0]) if ignore_case else re.escape(name[0])
        if first is not None:
            rest = re.escape(name[1:]).replace(r"\ ", r"\s+")
            core = f"(?i:{rest})" if ignore_case else rest
            parts.append(f"{first}(?P<g{len(parts)}>{core})")
        else:
            core = f"(?i:{body})" if ignore_case else body
            parts.append(f"(?P<g{len(parts)}>{core})")
        del key
    return re.compile(r"(?<![\w])(?:" + "|".join(parts) + r")(?![\w])")


def _longest_first(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted(pairs, key=lambda kn: -len(kn[1]))


class _AliasScan:
    """``finditer`` of :func:`_alias_regex` over all names, run only where a name can start.

    Each name is matched by its own pattern compiled once (an alternation compiled per set of
    names cost more in compiling than in scanning), anchored at the places where the folded
    text holds the name's first word, found for all names by one Aho-Corasick scan (the
    cost per text follows the text, not the number of names: a universe of 1,300 miners
    costs the same scan). The hits are merged as the alternation picks them: leftmost
    first, at one position the earlier name, then on from the end of that match. A name
    cannot overlap itself (it is bounded by non-word characters), so the places where it
    matches are those of its own ``finditer``. Each pattern is written with a plain first
    letter per alternative (one copy per letter a case-insensitive first letter matches,
    ``\\b`` as ``(?<!\\w\\w)`` after it).
    """

    def __init__(self, names: list[tuple[str, str]]) -> None:
        self.names = names
        self.full = _alias_regex(names)
        self._single: dict[int, re.Pattern[str]] = {}
        # Where a name matches, the folded text holds its first word right there (a word has
        # no whitespace, and a character matches a name letter only if it folds to it): one
        # Aho-Corasick scan of the folded text for every first word gives each name's only
        # possible starts, each confirmed by the name's own pattern anchored there. Names
        # whose first word ``fold`` is not exact for are scanned whole.
        firsts: dict[str, list[int]] = {}
        self._scan_whole: list[int] = []
        for i, (_, name) in enumerate(names):
            first = name.split(" ")[0].lower()
            if first and fold_safe(first):
                firsts.setdefault(first, []).append(i)
            else:
                self._scan_whole.append(i)
        self._starts = ahocorasick.Automaton()
        for first, idx in firsts.items():
            self._starts.add_word(first, (len(first), tuple(idx)))
        if firsts:
            self._starts.make_automaton()
        self._last: tuple[str | None, tuple[tuple[int, int, int], ...]] = (None, ())

    def _name_regex(self, i: int) -> re.Pattern[str]:
        """Name ``i`` alone, led by a plain first letter per alternative (compiled once)."""
        rx = self._single.get(i)
        if rx is not None:
            return rx
        name = self.names[i][1]
        ignore_case = not (name.isupper() or len(name) <= 6)
        firsts = ignorecase_chars(name[0]) if ignore_case else name[0]
        if len(name) < 2 or not (name[0].isalnum() or name[0] == "_") or not firsts:
            rx = _alias_regex([self.names[i]])  # not led by a letter: the original form
        else:
            rest = re.escape(name[1:]).replace(r"\ ", r"\s+")
            core = f"(?i:{rest})" if ignore_case else rest
            parts = [rf"{re.escape(c)}(?<!\w\w)({core})" for c in firsts]
            rx = re.compile("(?:" + "|".join(parts) + r")(?![\w])")
        self._single[i] = rx
        return rx

    def finditer(self, text: str) -> list[tuple[int, int, int]]:
        """``(name index, start, end)`` of each match of :attr:`full` in ``text``.

        Each candidate name is scanned on its own with a pattern compiled once per name (an
        alternation compiled per distinct set of candidates cost more in compiling than in
        scanning: over a fifth of a run on mixed releases), and the hits are merged as the
        alternation would pick them: leftmost first, at one position the earlier name, then
        on from the end of that match. A name cannot overlap itself (it is bounded by
        non-word characters), so its own scan lists every position where it matches.
        """
        last = self._last  # the same sentence is often scanned twice in a row
        if last[0] is text:
            return list(last[1])
        out = self._scan(text)
        self._last = (text, tuple(out))
        return out

    def _scan(self, text: str) -> list[tuple[int, int, int]]:
        hits: list[tuple[int, int, int]] = []  # (start, name index, end)
        if self._starts.kind == ahocorasick.AHOCORASICK:
            for last, (length, idx) in self._starts.iter(fold(text)):
                start = last - length + 1
                for i in idx:
                    m = self._name_regex(i).match(text, start)
                    if m is not None:
                        hits.append((start, i, m.end()))
        for i in self._scan_whole:
            hits += [(m.start(), i, m.end()) for m in self._name_regex(i).finditer(text)]
        if len(hits) > 1:
            hits.sort()  # leftmost first; at one position the earlier name, as the alternation
        out: list[tuple[int, int, int]] = []
        pos = 0
        for start, i, end in hits:
            if start >= pos:
                out.append((i, start, end))
                pos = end
        return out


class Resolver:
    """Finds miners (→ ticker) and known counterparties in text."""

    def __init__(self, aliases: dict[str, list[str]]) -> None:
        self._miner_keys = _longest_first([(t, n) for t, names in aliases.items() for n in names])
        self._miner_scan = _AliasScan(self._miner_keys)
        self._cp_keys = _longest_first([(c, n) for c, ns in COUNTERPARTIES.items() for n in ns])
        self._cp_scan = _AliasScan(self._cp_keys)
        self._exchange = re.compile(r"\((?:Nasdaq|NASDAQ|NYSE|TSXV?)\s*:\s*([A-Z]{2,5})\)")
        self._tickers = set(aliases)

    def miners(self, text: str) -> list[Mention]:
        """Miner mentions in order of appearance."""
        keys = self._miner_keys
        out = [Mention(keys[i][0], start, end) for i, start, end in self._miner_scan.finditer(text)]
        out += [
            Mention(m.group(1), m.start(), m.end())
            for m in self._exchange.finditer(text)
            if m.group(1) in self._tickers
        ]
        return sorted(out, key=lambda mn: mn.start)

    def miners_in_spans(self, text: str, spans: list[tuple[int, int]]) -> list[list[Mention]]:
        """``[self.miners(text[a:b]) for a, b in spans]`` (positions relative to each span)
        from one scan of the whole text instead of one per span.

        ``spans`` are sorted, disjoint, and separated by whitespace or cut at punctuation
        (sentences and clauses), so a name inside a span matches there exactly as in the
        span alone; a span that a match crosses is scanned on its own.
        """
        keys = self._miner_keys
        found = [(keys[i][0], s, e) for i, s, e in self._miner_scan.finditer(text)]
        found += [
            (m.group(1), m.start(), m.end())
            for m in self._exchange.finditer(text)
            if m.group(1) in self._tickers
        ]
        out: list[list[Mention]] = [[] for _ in spans]
        starts = [a for a, _ in spans]
        redo: set[int] = set()
        for key, s, e in found:
            j = bisect_right(starts, s) - 1
            if j >= 0 and s < spans[j][1] and e <= spans[j][1]:
                out[j].append(Mention(key, s - spans[j][0], e - spans[j][0]))
                continue
            # across a boundary (or starting between spans): every span it touches alone
            k = max(j, 0)
            while k < len(spans) and spans[k][0] < e:
                if spans[k][1] > s:
                    redo.add(k)
                k += 1
        for j in redo:
            a, b = spans[j]
            out[j] = self.miners(text[a:b])
        for ms in out:
            if len(ms) > 1:
                ms.sort(key=lambda mn: mn.start)
        return out

    def counterparty_mentions(self, text: str) -> list[Mention]:
        """Every known counterparty named in ``text`` (backstops and brands included)."""
        keys = self._cp_keys
        return [Mention(keys[i][0], start, end) for i, start, end in self._cp_scan.finditer(text)]

    def counterparty(self, text: str, exclude: str | None = None) -> str | None:
        """Main counterparty named in ``text`` (backstops/brands only when alone)."""
        found = [self._cp_keys[i][0] for i, _, _ in self._cp_scan.finditer(text)]
        found = [f for f in found if f != exclude]
        primary = [f for f in found if f not in _SECONDARY]
        if primary:
            return primary[0]
        return None


_DEFAULT: Resolver | None = None


def default_resolver() -> Resolver:
    """Resolver over :func:`default_reference_path` (built once per process)."""
    global _DEFAULT
    if _DEFAULT is None:
        path = default_reference_path()
        _DEFAULT = Resolver(load_aliases(path if path.is_file() else None))
    return _DEFAULT
