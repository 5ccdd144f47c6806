"""Text search over the community's questions with the river's boolean query language.

Published questions are owned Mentions of the "Community" source (river_link.py), so the
river's full-text index and exact matcher answer the search (river/owned_search.py, shared
with the ideas board): `battery -charger`, `"arc 5" OR arc5`, `title:wifi` mean here what
they mean in the console's search.
"""

from __future__ import annotations

from django.db.models import Q

from earful.river import owned_search

from .river_link import QUESTION_PREFIX, community_source


def question_condition(query: str) -> Q:
    """A condition on Question.mention_id selecting the questions that match the query.
    Raises QuerySyntaxError (a ValueError with a message for the searcher) when malformed."""
    return owned_search.mention_condition(query, community_source(), QUESTION_PREFIX)
