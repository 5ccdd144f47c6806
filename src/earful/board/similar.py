"""Ideas like a draft, shown before it is posted so people vote instead of repeating.

The scoring (full-text candidates re-ranked by word overlap and MinHash shingles) is the
river's, shared with the community's similar questions: river/owned_similar.py. Here the
scored mentions become live ideas.
"""

from __future__ import annotations

from dataclasses import dataclass

from earful.river.owned_similar import content_words, similar_mentions

from .models import Idea
from .river_link import IDEA_PREFIX, board_source

__all__ = ["SimilarIdea", "content_words", "similar_ideas"]


@dataclass(frozen=True, slots=True)
class SimilarIdea:
    idea: Idea
    score: float  # 0..1


def similar_ideas(
    title: str, body: str = "", *, limit: int = 5, exclude: int | None = None
) -> list[SimilarIdea]:
    """Live ideas most like the draft, best first, each with a score from 0 to 1."""
    scores = similar_mentions(title, body, source_id=board_source().pk, prefix=IDEA_PREFIX)
    if not scores:
        return []
    ideas = Idea.objects.filter(
        mention_id__in=list(scores), state=Idea.State.PUBLISHED, merged_into__isnull=True
    ).select_related("status")
    if exclude is not None:
        ideas = ideas.exclude(pk=exclude)
    found = [SimilarIdea(idea, scores[idea.mention_id]) for idea in ideas]
    found.sort(key=lambda s: (-s.score, -s.idea.vote_count, s.idea.pk))
    return found[:limit]
