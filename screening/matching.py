# ruff: noqa: RUF001 (look-alike letters are the point)
"""The matching core of risk screening (issue 19): plain Python data in, hits out.

No Django here, so the benchmark builds a snapshot of 300,000 marks without a database.
The snapshot is what screening matches against: the recordals in force, each with its
marks and their variants, its genuine goods (HS codes, prices, R4), its authorised supply
chain (the holder and its licensees, R2, R4), its known infringers (R4) and the parties of
past infringing cases, and the campaigns running with their focus.

Matching is never a loop over marks:
- marks are folded (case, spacing, punctuation, full-width forms, look-alike letters
  l/I/1, 0/O, Cyrillic and Greek letters that look Latin) and searched in one pass of an
  Aho-Corasick automaton over the folded text of the line; a match must start and end on
  word boundaries (any CJK character is a word of its own);
- misspellings (one letter added, dropped, changed or two swapped) go through a
  deletion-neighbourhood index (SymSpell), checked with rapidfuzz's OSA distance;
- party names are folded (legal forms dropped), looked up exactly, then fuzzily
  (rapidfuzz) among the names sharing a word, with a per-snapshot cache.

A hit is (line, right, rule, params); the Django layer turns it into a sentence in the
officer's language and the rules' weights into a score.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import pairwise

import ahocorasick
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from screening.vocabulary import WORDS as vocabulary_words

# --- rules: codes and default weights (the weights live in the database, ScreeningRule) ---

MARK = "mark"
MARK_FUZZY = "mark_fuzzy"
HS_CODE = "hs_code"
LOW_PRICE = "low_price"
KNOWN_INFRINGER = "known_infringer"
PAST_INFRINGER = "past_infringer"
CAMPAIGN_FOCUS = "campaign_focus"
PRIORITY_HOLDER = "priority_holder"
AUTHORISED = "authorised"

# code: (weight, threshold). Thresholds: low_price the ratio of the genuine minimum price
# below which a price is "far below"; party rules the rapidfuzz score (0-100) for a match.
DEFAULT_RULES: dict[str, tuple[int, float | None]] = {
    MARK: (60, None),
    MARK_FUZZY: (50, None),
    HS_CODE: (10, None),
    LOW_PRICE: (20, 0.5),
    KNOWN_INFRINGER: (45, 90.0),
    PAST_INFRINGER: (35, 90.0),
    CAMPAIGN_FOCUS: (5, None),
    PRIORITY_HOLDER: (5, None),
    AUTHORISED: (-50, 90.0),
}
# Rules that suggest a right on their own; the others only add to a right already suggested.
LEADING = (MARK, MARK_FUZZY, KNOWN_INFRINGER, PAST_INFRINGER)

# Rules about a goods line, reported on each line they hit.
LINE_RULES = (MARK, MARK_FUZZY, HS_CODE, LOW_PRICE)

# Levels by risk: at least this much.
LEVELS = (("high", 60), ("medium", 35), ("low", 1))


def level_for(risk: int) -> str:
    for level, floor in LEVELS:
        if risk >= floor:
            return level
    return "none"


# --- folding -------------------------------------------------------------------------------

_LOOKALIKES = {
    # digits and signs used for letters
    "1": "l", "|": "l", "i": "l", "0": "o", "$": "s", "@": "a",
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "і": "l", "ј": "j", "ѕ": "s", "ԁ": "d",
    # Greek
    "α": "a", "β": "b", "ε": "e", "ι": "l", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "μ": "u",
}  # fmt: skip
_FOLD = str.maketrans(_LOOKALIKES)
# A word: a run of letters/digits, or one CJK character.
_WORD = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W_\u3400-\u9fff\uf900-\ufaff]+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def fold(text: str) -> str:
    """Case, full-width forms (NFKC) and look-alike letters folded; spacing kept."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_FOLD)


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def fold_mark(text: str) -> str:
    """A mark's matching key: folded, without spaces or punctuation."""
    return "".join(words(text))


_LEGAL_FORMS = {
    "co", "ltd", "limited", "company", "inc", "llc", "corp", "corporation", "gmbh", "ag",
    "sa", "srl", "bv", "plc", "pte", "sarl", "the", "and", "of", "trading", "group",
    "有", "限", "公", "司", "责", "任", "集", "团", "股", "份",
}  # fmt: skip


def fold_party(name: str) -> str:
    """A party name's key: folded words without legal forms (Co., Ltd., 有限公司 ...)."""
    parts = [w for w in _WORD.findall(unicodedata.normalize("NFKC", name).casefold())]
    kept = [w for w in parts if w not in _LEGAL_FORMS]
    return " ".join(kept or parts)


def _deletes(key: str) -> set[str]:
    return {key[:i] + key[i + 1 :] for i in range(len(key))}


# --- the snapshot --------------------------------------------------------------------------


@dataclass
class Right:
    """A recordal in force, as screening sees it."""

    number: str
    marks: list[str]
    hs_codes: list[str] = field(default_factory=list)
    # (HS code, lowest genuine unit price, highest) per genuine goods item
    prices: list[tuple[str, Decimal | None, Decimal | None]] = field(default_factory=list)
    authorised: list[str] = field(default_factory=list)  # the holder and its licensees
    known_infringers: list[str] = field(default_factory=list)
    priority: str = ""  # the campaign naming the holder a priority enterprise, if any


@dataclass
class PastParty:
    """A consignor or consignee of a past infringing case, and the rights it infringed."""

    name: str
    numbers: list[str]
    case: str = ""


@dataclass
class Focus:
    """A running campaign's focus (empty sets: any)."""

    code: str
    name: str
    channels: frozenset = frozenset()
    directions: frozenset = frozenset()
    countries: frozenset = frozenset()

    def covers(self, declaration: dict) -> bool:
        return (
            (not self.channels or declaration.get("channel") in self.channels)
            and (not self.directions or declaration.get("direction") in self.directions)
            and (
                not self.countries
                or (declaration.get("destination_country") or "").upper() in self.countries
            )
        )


@dataclass
class Hit:
    line: int
    right: int  # index into Snapshot.rights
    rule: str
    params: dict


@dataclass
class Result:
    number: str
    risk: int
    level: str
    authorised: bool
    hits: list[Hit]
    scores: dict[int, int] = field(default_factory=dict)  # right → its risk


@dataclass
class Rules:
    weights: dict[str, int]
    thresholds: dict[str, float | None]

    @classmethod
    def defaults(cls) -> Rules:
        return cls(
            weights={k: w for k, (w, _t) in DEFAULT_RULES.items()},
            thresholds={k: t for k, (_w, t) in DEFAULT_RULES.items()},
        )


class Snapshot:
    """Everything screening matches against, built once and read by every request."""

    MIN_FUZZY = 5  # misspellings only of marks and words this long
    COMMON = 50  # a word in more party names than this is not distinctive

    def __init__(
        self,
        rights: list[Right],
        past_parties: list[PastParty] = (),
        campaigns: list[Focus] = (),
        vocabulary=(),
    ):
        self.rights = rights
        # Everyday words of goods descriptions are not misspelled marks (vocabulary.py).
        self.vocabulary = {fold(w) for w in (*vocabulary_words, *vocabulary)}
        self.campaigns = list(campaigns)
        self.index = {r.number: i for i, r in enumerate(rights)}
        self.automaton = ahocorasick.Automaton()
        marks: dict[str, list[int]] = {}
        for i, right in enumerate(rights):
            for mark in right.marks:
                key = fold_mark(mark)
                if len(key) >= 3 or (key and _CJK.search(key) and len(key) >= 2):
                    marks.setdefault(key, []).append(i)
        self.mark_rights = {k: tuple(v) for k, v in marks.items()}
        for key, ids in self.mark_rights.items():
            self.automaton.add_word(key, (key, ids))
        if self.mark_rights:
            self.automaton.make_automaton()
        # SymSpell: each mark and its one-letter deletions → the marks.
        self.neighbours: dict[str, object] = {}
        for key in self.mark_rights:
            if len(key) >= self.MIN_FUZZY and not _CJK.search(key):
                for variant in (key, *_deletes(key)):
                    known = self.neighbours.get(variant)
                    if known is None:
                        self.neighbours[variant] = key
                    elif isinstance(known, str):
                        if known != key:
                            self.neighbours[variant] = (known, key)
                    elif key not in known:
                        self.neighbours[variant] = (*known, key)
        # Parties: folded name → [(kind, right index, extra)]
        self.parties: dict[str, list[tuple[str, int, str]]] = {}
        for i, right in enumerate(rights):
            for name in right.authorised:
                self._add_party(name, (AUTHORISED, i, ""))
            for name in right.known_infringers:
                self._add_party(name, (KNOWN_INFRINGER, i, ""))
        for party in past_parties:
            for number in party.numbers:
                if number in self.index:
                    self._add_party(party.name, (PAST_INFRINGER, self.index[number], party.case))
        # Words many names share (cities, "import", "export" ...) say nothing about who a
        # party is: fuzzy matching compares the distinctive words only.
        frequency: dict[str, int] = {}
        for key in self.parties:
            for word in set(key.split()):
                frequency[word] = frequency.get(word, 0) + 1
        self.common_words = {w for w, n in frequency.items() if n > self.COMMON}
        self.party_words: dict[str, list[str]] = {}
        for key in self.parties:
            for word in self._distinct(key).split():
                if len(word) >= 3:
                    self.party_words.setdefault(word, []).append(key)
        self._party_cache: dict[tuple[str, float], tuple] = {}

    def _distinct(self, key: str) -> str:
        return " ".join(w for w in key.split() if w not in self.common_words) or key

    def _add_party(self, name: str, entry):
        key = fold_party(name)
        if key:
            self.parties.setdefault(key, []).append(entry)

    # --- lookups ---

    def marks_in(self, text: str) -> dict[int, tuple[str, str]]:
        """Rights whose mark the text carries: right → (rule, the mark as found)."""
        found: dict[int, tuple[str, str]] = {}
        tokens = words(text)
        if not tokens:
            return found
        compact = "".join(tokens)
        starts, ends, pos = set(), set(), 0
        for token in tokens:
            starts.add(pos)
            pos += len(token)
            ends.add(pos)
        if self.mark_rights:
            for end, (key, ids) in self.automaton.iter(compact):
                start = end - len(key) + 1
                if start in starts and end + 1 in ends:
                    for i in ids:
                        found.setdefault(i, (MARK, key))
        # Misspellings: each word, and each pair of neighbouring words (spacing).
        vocabulary = self.vocabulary
        candidates = [t for t in tokens if len(t) >= self.MIN_FUZZY - 1 and t not in vocabulary]
        candidates += [
            a + b
            for a, b in pairwise(tokens)
            if len(a + b) >= 5 and not (a in vocabulary and b in vocabulary)
        ]
        for token in candidates:
            if token in self.mark_rights or len(token) > 40:
                continue
            for variant in (token, *_deletes(token)):
                known = self.neighbours.get(variant)
                if known is None:
                    continue
                for key in (known,) if isinstance(known, str) else known:
                    if OSA.distance(token, key, score_cutoff=1) <= 1:
                        for i in self.mark_rights[key]:
                            found.setdefault(i, (MARK_FUZZY, token))
        return found

    def party(self, name: str, cutoff: float) -> tuple:
        """The snapshot's parties this name is: exact folded name, else fuzzy (≥ cutoff)."""
        key = fold_party(name or "")
        if not key:
            return ()
        cached = self._party_cache.get((key, cutoff))
        if cached is not None:
            return cached
        entries = self.parties.get(key)
        if entries is None:
            entries = []
            distinct = self._distinct(key)
            pool = {k for w in distinct.split() for k in self.party_words.get(w, ())}
            for other in pool:
                if fuzz.token_sort_ratio(distinct, self._distinct(other), score_cutoff=cutoff):
                    entries.extend(self.parties[other])
        result = tuple(entries)
        if len(self._party_cache) > 200_000:
            self._party_cache.clear()
        self._party_cache[(key, cutoff)] = result
        return result

    # --- screening ---

    def screen(self, declaration: dict, rules: Rules) -> Result:
        weights, thresholds = rules.weights, rules.thresholds
        hits: list[Hit] = []
        per_right: dict[int, dict[str, int]] = {}  # right → rule → first line

        seen: set = set()

        def hit(line, right, rule, **params):
            """Line rules are reported on every line they hit; the others once. A rule
            counts once per right in the score."""
            if rule not in weights:
                return
            key = (right, rule, line) if rule in LINE_RULES else (right, rule)
            if key in seen:
                return
            seen.add(key)
            per_right.setdefault(right, {}).setdefault(rule, line)
            hits.append(Hit(line, right, rule, params))

        lines = declaration.get("lines") or []
        line_rights: list[dict[int, tuple[str, str]]] = []
        for n, line in enumerate(lines):
            text = f"{line.get('brand') or ''}\n{line.get('description') or ''}"
            found = self.marks_in(text)
            line_rights.append(found)
            for i, (rule, as_found) in found.items():
                hit(n, i, rule, mark=self.rights[i].marks[0], found=as_found)

        # The consignor and consignee (R4: known infringers; past cases; licensees).
        authorised: set[int] = set()
        for role in ("consignor", "consignee"):
            party = declaration.get(role) or {}
            name = party.get("name") or ""
            if not name:
                continue
            for rule in (KNOWN_INFRINGER, PAST_INFRINGER, AUTHORISED):
                cutoff = thresholds.get(rule) or 90.0
                for kind, i, case in self.party(name, cutoff):
                    if kind != rule:
                        continue
                    if rule == AUTHORISED:
                        authorised.add(i)
                        continue
                    line = next((n for n, f in enumerate(line_rights) if i in f), 0)
                    hit(line, i, rule, party=name, case=case)
        # A licensee or the holder only matters for the rights the goods carry.
        for i in sorted(authorised):
            if i in per_right:
                line = min(per_right[i].values())
                hit(line, i, AUTHORISED, party=self._party_name(declaration, i, thresholds))

        # Goods facts, for the rights already suggested.
        low_ratio = Decimal(str(thresholds.get(LOW_PRICE) or 0.5))
        for i in list(per_right):
            right = self.rights[i]
            for n, line in enumerate(lines):
                hs = (line.get("hs_code") or "")[:4]
                if not hs:
                    continue
                goods = [p for p in right.prices if p[0][:4] == hs]
                if any(code[:4] == hs for code in right.hs_codes):
                    hit(n, i, HS_CODE, hs_code=line.get("hs_code"))
                unit_price = _unit_price(line)
                floor = min((p[1] for p in goods if p[1]), default=None)
                if unit_price is not None and floor and unit_price < floor * low_ratio:
                    hit(n, i, LOW_PRICE, price=unit_price, floor=floor)
            if right.priority:
                hit(min(per_right[i].values()), i, PRIORITY_HOLDER, campaign=right.priority)
            for focus in self.campaigns:
                if focus.covers(declaration):
                    hit(min(per_right[i].values()), i, CAMPAIGN_FOCUS, campaign=focus.name)
                    break

        scores = {}
        for i, rules_hit in per_right.items():
            if any(r in rules_hit for r in LEADING):
                scores[i] = min(100, max(0, sum(weights.get(r, 0) for r in rules_hit)))
        risk = max(scores.values(), default=0)
        hits.sort(key=lambda h: (h.line, -abs(weights.get(h.rule, 0))))
        return Result(
            number=declaration.get("number") or "",
            risk=risk,
            level=level_for(risk),
            authorised=bool(authorised & set(per_right)),
            hits=hits,
            scores=scores,
        )

    def _party_name(self, declaration: dict, i: int, thresholds) -> str:
        for role in ("consignor", "consignee"):
            name = (declaration.get(role) or {}).get("name") or ""
            cutoff = thresholds.get(AUTHORISED) or 90.0
            if any(k == AUTHORISED and j == i for k, j, _c in self.party(name, cutoff)):
                return name
        return ""


def _unit_price(line: dict) -> Decimal | None:
    try:
        quantity = int(line.get("quantity") or 0)
        value = Decimal(str(line.get("value")))
    except (TypeError, ValueError, InvalidOperation):
        return None
    if quantity <= 0:
        return None
    return (value / quantity).quantize(Decimal("0.01"))
