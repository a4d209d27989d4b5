"""Search: the query language of the search box, compiled for PostgreSQL, and highlighting."""

from ttdn.search.highlight import Fragment, highlight, to_html
from ttdn.search.query import ParsedQuery, parse_query, search_text_of

__all__ = ["Fragment", "ParsedQuery", "highlight", "parse_query", "search_text_of", "to_html"]
