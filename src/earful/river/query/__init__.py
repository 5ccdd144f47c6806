"""The boolean query language of topics and search: syntax in parser.py, word rules in
tokens.py, exact matching in matcher.py, many topics at once in topic_matcher.py and
full-text prefilters in fulltext.py."""

from .fulltext import highlight_terms, to_fts5, to_tsquery
from .matcher import MatchDocument, PreparedDocument, Query, compile_query
from .nodes import Node
from .parser import QuerySyntaxError, parse_query
from .tokens import search_text
from .topic_matcher import TopicMatcher

__all__ = [
    "MatchDocument",
    "Node",
    "PreparedDocument",
    "Query",
    "QuerySyntaxError",
    "TopicMatcher",
    "compile_query",
    "highlight_terms",
    "parse_query",
    "search_text",
    "to_fts5",
    "to_tsquery",
]
