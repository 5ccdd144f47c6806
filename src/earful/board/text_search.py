"""Text search over the board's ideas with the river's boolean query language.

Published ideas are owned Mentions of the "Ideas board" source, so the river's full-text
index and exact matcher answer the search (river/owned_search.py, shared with the
community's questions): plain-word queries become a subquery of the board's own SQL, other
queries are decided by the matcher over the index's candidates.
"""

from __future__ import annotations

from django.db.models import Q

from earful.river import owned_search
from earful.river.owned_search import PG_MATCH

from .river_link import IDEA_PREFIX, board_source

__all__ = ["PG_MATCH", "idea_condition", "matching_mention_ids"]


def matching_mention_ids(query: str) -> set[int]:
    """Ids of the idea mentions matching the query. Raises QuerySyntaxError (a ValueError
    with a message for the searcher) on a malformed query."""
    return owned_search.matching_mention_ids(query, board_source(), IDEA_PREFIX)


def idea_condition(query: str) -> Q:
    """A condition on Idea.mention_id selecting the ideas that match the query. Raises
    QuerySyntaxError on a malformed query."""
    return owned_search.mention_condition(query, board_source(), IDEA_PREFIX)
