"""How often the sentiment engine agrees with people, from the inbox's work.

People's labels come from two places: a correction (the person's final label; the engine
said `machine_value`), and an item a responder handled (done) without correcting it,
which confirms the engine's label. Mentions nobody looked at say nothing either way.
"""

from __future__ import annotations

from dataclasses import dataclass

from earful.river.pipeline.sentiment.evaluation import Scores, score

from .models import LabelCorrection, Triage


@dataclass(frozen=True)
class Agreement:
    reviewed: int
    corrected: int
    agreed: int
    scores: Scores | None  # the engine's labels scored against people's; None if no data

    @property
    def rate(self) -> float | None:
        return self.agreed / self.reviewed if self.reviewed else None


def people_and_engine() -> tuple[list[str], list[str], int]:
    """(people's labels, the engine's labels, how many were corrected) per reviewed mention."""
    machine: dict[int, str] = {}
    final: dict[int, str] = {}
    for correction in LabelCorrection.objects.filter(kind=LabelCorrection.Kind.SENTIMENT).order_by(
        "created_at", "id"
    ):
        machine.setdefault(correction.mention_id, correction.machine_value)
        final[correction.mention_id] = correction.new_value
    confirmed = (
        Triage.objects.filter(status=Triage.Status.DONE)
        .exclude(mention_id__in=list(machine))
        .values_list("mention__sentiment", flat=True)
    )
    people = [final[m] for m in machine] + list(confirmed)
    engine = [machine[m] for m in machine] + list(confirmed)
    return people, engine, sum(1 for m in machine if machine[m] != final[m])


def agreement() -> Agreement:
    people, engine, corrected = people_and_engine()
    agreed = sum(p == e for p, e in zip(people, engine, strict=True))
    return Agreement(
        reviewed=len(people),
        corrected=corrected,
        agreed=agreed,
        scores=score(people, engine) if people else None,
    )
