"""PostgreSQL's half of the search: the stored tsvector of folded text for words, and pg_trgm for
the fuzzy stage, where a query that matches too few words may still be close to a name
(word_similarity over the names' trigram index). Words hold only letters and digits
(market.search_text.words), so nothing a visitor types is read as tsquery syntax."""

from market.search_text import Term

JSON = "jsonb"  # the type of market_searchdocument.display
FROM = "market_searchdocument d"


def _term(term: Term) -> str:
    return "(" + " | ".join("(" + " <-> ".join(alt.split(" ")) + ")" for alt in term.alternatives) + ")"


def match(clauses: list[tuple[Term, ...]], *, typed: str = "") -> tuple[str, list]:
    """Products matching any clause, a clause being every one of its terms; with `typed` (the
    fuzzy stage) also those whose names look like the typed query."""
    query = " | ".join("(" + " & ".join(_term(t) for t in clause) + ")" for clause in clauses)
    if not typed:
        return "d.tsv @@ to_tsquery('simple', %s)", [query]
    return "(d.tsv @@ to_tsquery('simple', %s) OR %s <%% d.names)", [query, typed]


def relevance(*, typed: str = "") -> tuple[str, list]:
    """ORDER BY items over the matched rows (the CTE `m`), best first."""
    if typed:
        return "word_similarity(%s, m.names) DESC, length(m.names)", [typed]
    return "length(m.names)", []


def contains(column: str) -> str:
    return f"strpos({column}, %s) > 0"
