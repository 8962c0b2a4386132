"""What a search query means: its folded words, corrected against the index's vocabulary, grouped
with their synonyms. Shared by both databases (market.search_sqlite, market.search_postgres).

Typo correction picks, for each word, between the word itself and vocabulary words that look like it
(rapidfuzz), preferring choices that make two-word sequences found in product names: "che san
tuyet" becomes "che shan tuyet" even though "san" is a word too (from "đặc sản"), because "che
shan" and "shan tuyet" are in names and "che san" is not. A word run together ("sapa") is split
when its halves are a name sequence ("sa pa")."""

import itertools
import json
import math
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz, process

from ocop_hub.text import fold

MAX_QUERY_CHARS = 200
MAX_WORDS = 12
WORD = re.compile(r"[^\W_]+")
SYNONYMS_FILE = Path(__file__).resolve().parent / "data" / "synonyms.json"

# Costs of the correction's path search (lower wins). A word found nowhere costs UNKNOWN; a
# vocabulary word at similarity s (0–100) costs (100 - s) / 2; each neighbouring pair found in a
# product name earns NAME_PAIR. One edit in a 4–6 letter word scores 75–89: that costs 6–13, so a
# known word is replaced only when both its neighbours confirm the replacement (2 × 10), and an
# unknown one whenever a close vocabulary word exists.
UNKNOWN = 30.0
NAME_PAIR = 10.0
SPLIT = 2.0
FUZZY_CUTOFF = 72
FUZZY_CHOICES = 4


def words(text: str) -> list[str]:
    """Folded words: letters and digits only, so no character of a query reaches a search syntax."""
    return WORD.findall(fold(text))


@dataclass(frozen=True)
class Term:
    """One word (or phrase) of the query and its synonyms: a product matches it by any of them."""

    alternatives: tuple[str, ...]

    @property
    def first(self) -> str:
        return self.alternatives[0]


@dataclass(frozen=True)
class Analysis:
    tokens: tuple[str, ...]  # the query's folded words
    corrected: tuple[str, ...]  # after typo correction ("sapa" → "sa", "pa")
    terms: tuple[Term, ...]  # corrected words grouped with synonyms
    raw_terms: tuple[Term, ...]  # the words as typed, grouped with synonyms

    @property
    def changed(self) -> bool:
        return self.corrected != self.tokens

    @property
    def corrected_text(self) -> str:
        return " ".join(self.corrected)


@dataclass
class Vocabulary:
    counts: dict[str, int] = field(default_factory=dict)  # word → products holding it anywhere
    name_words: dict[str, int] = field(default_factory=dict)  # word → products naming it
    name_pairs: set[str] = field(default_factory=set)  # "shan tuyet"
    joined: dict[str, str] = field(default_factory=dict)  # "sapa" → "sa pa"

    @classmethod
    def from_rows(cls, rows) -> "Vocabulary":
        vocab = cls()
        for term, in_names, total in rows:
            if " " in term:
                vocab.name_pairs.add(term)
                vocab.joined.setdefault(term.replace(" ", ""), term)
                continue
            vocab.counts[term] = total
            if in_names:
                vocab.name_words[term] = in_names
        return vocab

    def knows(self, word: str) -> bool:
        return word in self.counts or word.isdigit()

    def similar(self, word: str, *, cutoff: float = FUZZY_CUTOFF, limit: int = FUZZY_CHOICES):
        if len(word) < 3 or not self.name_words:
            return []
        return process.extract(
            word, self.name_words.keys(), scorer=fuzz.ratio, limit=limit, score_cutoff=cutoff
        )


@dataclass
class Synonyms:
    groups: dict[str, frozenset[str]] = field(default_factory=dict)  # folded phrase → its group
    longest: int = 1
    words: frozenset[str] = frozenset()  # every word of every phrase: never "corrected" away

    def lookup(self, phrase: str) -> frozenset[str] | None:
        return self.groups.get(phrase)


@cache
def synonyms() -> Synonyms:
    """market/data/synonyms.json: {"groups": [["chè", "trà", "tea"], …]}; a phrase in several
    groups gets the union."""
    data = json.loads(SYNONYMS_FILE.read_text(encoding="utf-8"))
    found: dict[str, set[str]] = {}
    longest = 1
    for group in data["groups"]:
        folded = {" ".join(words(phrase)) for phrase in group} - {""}
        for phrase in folded:
            found.setdefault(phrase, set()).update(folded)
            longest = max(longest, phrase.count(" ") + 1)
    every_word = frozenset(w for phrase in found for w in phrase.split(" "))
    return Synonyms({k: frozenset(v) for k, v in found.items()}, longest, every_word)


def _choices(word: str, vocab: Vocabulary, known_phrases: Synonyms) -> list[tuple[tuple[str, ...], float]]:
    known = vocab.knows(word) or word in known_phrases.words
    choices: list[tuple[tuple[str, ...], float]] = [((word,), 0.0 if known else UNKNOWN)]
    for candidate, score, _ in vocab.similar(word):
        if candidate != word:
            # Among equally close words, the one more products are named with.
            common = min(2.0, math.log10(vocab.name_words.get(candidate, 0) + 1) / 2)
            choices.append(((candidate,), (100 - score) / 2 - common))
    pair = vocab.joined.get(word)
    if pair and not known:
        choices.append((tuple(pair.split(" ")), SPLIT))
    return choices


def correct(tokens: list[str], vocab: Vocabulary, known_phrases: Synonyms) -> tuple[str, ...]:
    """The cheapest reading of the query (a shortest path over each word's choices)."""
    if not tokens:
        return ()
    # best[choice] = (cost, path) for paths ending with that choice at the current position
    best: dict[tuple[str, ...], tuple[float, tuple[str, ...]]] = {}
    for choice, cost in _choices(tokens[0], vocab, known_phrases):
        best[choice] = (cost, choice)
    for token in tokens[1:]:
        step: dict[tuple[str, ...], tuple[float, tuple[str, ...]]] = {}
        for choice, cost in _choices(token, vocab, known_phrases):
            options = []
            for previous, (so_far, path) in best.items():
                bonus = NAME_PAIR if f"{previous[-1]} {choice[0]}" in vocab.name_pairs else 0.0
                options.append((so_far + cost - bonus, path + choice))
            step[choice] = min(options)
        best = step
    return min(best.values())[1]


def group_synonyms(tokens: tuple[str, ...], known_phrases: Synonyms) -> tuple[Term, ...]:
    """Longest synonym phrase first: "ca hoi sa pa" → (ca hoi | salmon | saumon), sa, pa."""
    terms: list[Term] = []
    i = 0
    while i < len(tokens):
        for size in range(min(known_phrases.longest, len(tokens) - i), 0, -1):
            phrase = " ".join(tokens[i : i + size])
            group = known_phrases.lookup(phrase)
            if group is not None or size == 1:
                others = sorted((group or frozenset()) - {phrase})
                terms.append(Term((phrase, *others)))
                i += size
                break
    return tuple(terms)


def analyse(query: str, vocab: Vocabulary) -> Analysis:
    tokens = tuple(words(query)[:MAX_WORDS])
    known_phrases = synonyms()
    corrected = correct(list(tokens), vocab, known_phrases)
    return Analysis(
        tokens=tokens,
        corrected=corrected,
        terms=group_synonyms(corrected, known_phrases),
        raw_terms=group_synonyms(tokens, known_phrases),
    )


def exact_names(terms: tuple[Term, ...], *, limit: int = 16) -> list[str]:
    """Whole names the query could be spelling, synonyms included ("salmon sa pa" → "ca hoi sa pa")."""
    combos = itertools.islice(itertools.product(*(t.alternatives for t in terms)), limit)
    return [" ".join(combo) for combo in combos]


def suggestions(tokens: tuple[str, ...], vocab: Vocabulary) -> list[str]:
    """For a search that found nothing: each word's closest name words, more loosely than correct()."""
    found: list[str] = []
    for token in tokens:
        for candidate, _score, _ in vocab.similar(token, cutoff=60, limit=2):
            if candidate != token and candidate not in found:
                found.append(candidate)
    return found[:6]
