"""SQLite's half of the search: FTS5 over folded text (migration 0002). Every word is quoted, and
words hold only letters and digits (market.search_text.words), so nothing a visitor types is read
as FTS5 syntax.

No bm25: FTS5 computes its IDF by reading the whole posting list of every phrase of the query, ~30
ms at 200,000 products when a query holds a common word ("thanh", "dan"), even for one result. The
ranking needs no IDF anyway (market.search: exact name, words in the name, stars), and a shorter
name is the closer one among names that hold every word."""

from market.search_text import Term

JSON = "text"  # the type of market_searchdocument.display
FROM = "market_search_fts JOIN market_searchdocument d ON d.product_id = market_search_fts.rowid"


def _term(term: Term) -> str:
    return "(" + " OR ".join(f'"{alt}"' for alt in term.alternatives) + ")"


def match(clauses: list[tuple[Term, ...]], *, typed: str = "") -> tuple[str, list]:
    """Products matching any clause, a clause being every one of its terms."""
    expression = " OR ".join("(" + " AND ".join(_term(t) for t in clause) + ")" for clause in clauses)
    return "market_search_fts MATCH %s", [expression]


def relevance(*, typed: str = "") -> tuple[str, list]:
    """ORDER BY items over the matched rows (the CTE `m`), best first."""
    return "length(m.names)", []


def contains(column: str) -> str:
    return f"instr({column}, %s) > 0"
