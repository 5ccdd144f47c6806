"""Learning from the team: people's sentiment labels fit the installation's adjustment.

Every label a person gave is a training example: a sentiment correction (the person's final
label) and an inbox item handled without correcting it (a confirmation of the engine's
label), as in agreement.py. The text is what the pipeline scores (title, newline, text),
read by the model of the mention's language; mentions in a language without a model are
left out. `learn` holds back a deterministic fraction of the examples (by a hash of the
mention id, so the same ones from run to run), fits on the rest and scores the shipped
models alone ("before") and with the adjustment ("after") on the held-back ones; then it
fits on all of them and writes settings.EARFUL_SENTIMENT_ADJUSTMENT, which the engine picks
up (river/pipeline/sentiment/adjustment.py). `earful sentiment learn` and the weekly worker
job (tasks.py, off unless EARFUL_SENTIMENT_LEARN_WEEKLY) both call it.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from earful.river.models import Mention
from earful.river.pipeline.sentiment import LABELS, NOT_SCORED
from earful.river.pipeline.sentiment.adjustment import (
    DEFAULT_STRENGTH,
    Adjustment,
    fit_language,
)
from earful.river.pipeline.sentiment.evaluation import Scores, score
from earful.river.pipeline.sentiment.languages import (
    PerLanguageEngine,
    base_logits,
    scoring_language,
)

from .models import LabelCorrection, Triage

MIN_EXAMPLES = 20


class TooFewExamples(ValueError):
    pass


@dataclass(frozen=True)
class Example:
    mention_id: int
    text: str
    language: str  # the model's code (scoring_language)
    label: str
    corrected: bool  # a correction, not a confirmation


@dataclass
class LearnReport:
    examples: int
    held_out: int
    languages: dict[str, dict[str, int]]  # code -> examples, corrected, held_out
    before: Scores | None  # the shipped models alone on the held-back examples
    after: Scores | None  # with the adjustment fitted on the others
    strength: float
    path: Path | None = None  # where the adjustment was written; None on a dry run
    per_language: dict[str, dict[str, float]] = field(default_factory=dict)
    kept_out: str = ""  # why nothing was written although it was not a dry run

    def as_dict(self) -> dict:
        def scores(found: Scores | None) -> dict | None:
            if found is None:
                return None
            return {
                "accuracy": round(found.accuracy, 4),
                "macro_f1": round(found.macro_f1, 4),
                "macro_recall": round(found.macro_recall, 4),
            }

        return {
            "examples": self.examples,
            "held_out": self.held_out,
            "languages": self.languages,
            "before": scores(self.before),
            "after": scores(self.after),
            "per_language": self.per_language,
            "strength": self.strength,
            "written": str(self.path) if self.path else None,
            "kept_out": self.kept_out or None,
        }


def _text(title: str, text: str) -> str:
    # As the pipeline's sentiment stage builds it (river/pipeline/registry.py).
    return f"{title}\n{text}" if title else text


def examples(known: frozenset[str] | None = None) -> list[Example]:
    """People's labels, one per mention, in mention id order; `known`: the languages with
    a model (default: the shipped ones)."""
    final: dict[int, str] = {}
    corrections = LabelCorrection.objects.filter(kind=LabelCorrection.Kind.SENTIMENT).order_by(
        "created_at", "id"
    )
    for mention_id, new_value in corrections.values_list("mention_id", "new_value"):
        final[mention_id] = new_value
    rows = Mention.objects.filter(id__in=list(final)).values_list("id", "title", "text", "language")
    found = [(*row, final[row[0]], True) for row in rows]
    confirmed = (
        Triage.objects.filter(status=Triage.Status.DONE)
        .exclude(mention_id__in=list(final))
        .values_list(
            "mention_id", "mention__title", "mention__text", "mention__language",
            "mention__sentiment",
        )
    )  # fmt: skip
    found += [(*row, False) for row in confirmed]
    result = []
    for mention_id, title, text, language, label, corrected in sorted(found):
        code = scoring_language(language, known)
        if code == NOT_SCORED or label not in LABELS:
            continue
        result.append(Example(mention_id, _text(title, text), code, label, corrected))
    return result


def _rank(mention_id: int) -> str:
    return hashlib.sha256(f"earful-holdout:{mention_id}".encode()).hexdigest()


def split(found: Sequence[Example], holdout: float) -> tuple[list[Example], list[Example]]:
    """(fitted on, held back): round(holdout * n) examples, the same ones every run (the
    smallest hashes of their mention ids)."""
    if not 0 <= holdout < 1:
        raise ValueError("holdout must be at least 0 and below 1")
    ranked = sorted(found, key=lambda e: _rank(e.mention_id))
    count = round(holdout * len(ranked))
    held = {e.mention_id for e in ranked[:count]}
    return [e for e in found if e.mention_id not in held], [
        e for e in found if e.mention_id in held
    ]


def fit(
    engine: PerLanguageEngine,
    found: Sequence[Example],
    strength: float = DEFAULT_STRENGTH,
    progress: Callable[[str], None] | None = None,
) -> Adjustment:
    """An adjustment per language of `found`, on `engine`'s models (their own weights are
    never changed)."""
    by_language: dict[str, list[Example]] = defaultdict(list)
    for example in found:
        by_language[example.language].append(example)
    fitted = {}
    for code in sorted(by_language):
        if progress:
            progress(code)
        chosen = by_language[code]
        texts = [e.text for e in chosen]
        model = engine.engine_for(code)
        fitted[code] = fit_language(
            model.model,
            base_logits(model, texts),
            texts,
            [e.label for e in chosen],
            strength=strength,
        )
    info = {
        "fitted_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "examples": len(found),
        "corrected": sum(e.corrected for e in found),
        "strength": strength,
    }
    return Adjustment(fitted, info)


def _scores(gold: list[str], predicted: list[str]) -> Scores | None:
    return score(gold, predicted) if gold else None


def worse(before: Scores | None, after: Scores | None) -> str:
    """Why an adjustment must not be written: it did worse than the shipped models on the
    held-back labels (macro-F1), or "" when it did not (or nothing was held back)."""
    if before is None or after is None or after.macro_f1 >= before.macro_f1:
        return ""
    return (
        f"the adjustment did worse than the shipped models on the held-back labels (macro F1 "
        f"{before.macro_f1:.3f} -> {after.macro_f1:.3f}); nothing written (--force writes it)"
    )


def learn(
    *,
    holdout: float = 0.2,
    dry_run: bool = False,
    force: bool = False,
    strength: float = DEFAULT_STRENGTH,
    min_examples: int = MIN_EXAMPLES,
    path: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> LearnReport:
    """Measure on held-back labels, then (unless `dry_run`) fit on all of them and write
    the adjustment to `path` (default settings.EARFUL_SENTIMENT_ADJUSTMENT)."""
    engine = PerLanguageEngine(adjustments=None)
    found = examples(engine.languages())
    if len(found) < min_examples:
        raise TooFewExamples(
            f"only {len(found)} sentiment labels from people in languages with a model; "
            f"at least {min_examples} are needed. Correct sentiments in the inbox (or mark "
            "items done, which confirms their label), then try again."
        )
    train, held = split(found, holdout)
    languages: dict[str, Counter] = defaultdict(Counter)
    for example in found:
        languages[example.language]["examples"] += 1
        languages[example.language]["corrected"] += example.corrected
    for example in held:
        languages[example.language]["held_out"] += 1
    before = after = None
    per_language: dict[str, dict[str, float]] = {}
    if held and train:
        if progress:
            progress("measuring on held-back labels")
        adjusted = engine.with_adjustments(fit(engine, train, strength, progress))
        texts, codes = [e.text for e in held], [e.language for e in held]
        gold = [e.label for e in held]
        plain = [label for label, _ in engine.analyse(texts, codes)]
        better = [label for label, _ in adjusted.analyse(texts, codes)]
        before, after = _scores(gold, plain), _scores(gold, better)
        for code in sorted({e.language for e in held}):
            picked = [i for i, c in enumerate(codes) if c == code]
            per_language[code] = {
                "before_accuracy": round(sum(plain[i] == gold[i] for i in picked) / len(picked), 4),
                "after_accuracy": round(sum(better[i] == gold[i] for i in picked) / len(picked), 4),
            }
    written = None
    kept_out = "" if force else worse(before, after)
    if not dry_run and not kept_out:
        if progress:
            progress("fitting on all labels")
        adjustment = fit(engine, found, strength, progress)
        written = Path(path or settings.EARFUL_SENTIMENT_ADJUSTMENT)
        adjustment.save(written)
    return LearnReport(
        examples=len(found),
        held_out=len(held),
        languages={code: dict(counts) for code, counts in sorted(languages.items())},
        before=before,
        after=after,
        strength=strength,
        path=written,
        per_language=per_language,
        kept_out=kept_out,
    )
