"""`earful sentiment learn` and the weekly job: people's labels fit the adjustment."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from earful.inbox import actions, sentiment_learning, tasks
from earful.inbox.models import Triage
from earful.river import actions as river
from earful.river.models import Mention
from earful.river.pipeline.items import RawItem
from earful.river.pipeline.sentiment.adjustment import Adjustment
from earful.river.pipeline.sentiment.languages import PerLanguageEngine

pytestmark = pytest.mark.django_db

REAL_TASK = tasks.learn_sentiment_task


class Stub:
    def __init__(self, queued: list):
        self.enqueue = lambda: queued.append(1)


PROBE = ["glitchbox arrived on my laptop", "the glitchbox thing landed today"]


def run(*args) -> str:
    out = StringIO()
    call_command("sentiment", "learn", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def adjustment_path(tmp_path, settings):
    settings.EARFUL_SENTIMENT_ADJUSTMENT = tmp_path / "data" / "sentiment-adjustment.npz"
    return settings.EARFUL_SENTIMENT_ADJUSTMENT


def people_label(user, count=30):
    """`count` mentions; the glitchbox ones corrected to negative, the rest confirmed."""
    items = [
        RawItem(text=f"glitchbox update number {i} is here", title="", external_id=f"g{i}",
                language="en")
        for i in range(count // 2)
    ] + [
        RawItem(text=f"Lovely sunny morning at the lake, day {i}", external_id=f"o{i}",
                language="en")
        for i in range(count - count // 2)
    ]  # fmt: skip
    river.ingest_items(river.source_for_import("s"), items)
    for mention in Mention.objects.filter(external_id__startswith="g"):
        if mention.sentiment != "negative":
            actions.correct_sentiment(mention, "negative", user)
        else:
            Triage.objects.filter(mention=mention).update(status="done")
    for mention in Mention.objects.filter(external_id__startswith="o"):
        actions.take_in(mention)
    Triage.objects.filter(mention__external_id__startswith="o").update(status="done")


def test_too_few_labels_is_a_clear_error(adjustment_path, user_with_roles):
    people_label(user_with_roles("responder"), count=6)
    with pytest.raises(CommandError, match="only 6 sentiment labels .* at least 20"):
        run()
    assert not adjustment_path.exists()


def test_examples_are_corrections_and_confirmations(user_with_roles):
    people_label(user_with_roles("responder"), count=20)
    found = sentiment_learning.examples()
    assert len(found) == 20
    assert {e.language for e in found} == {"en"}
    assert {e.label for e in found if e.text.startswith("glitchbox")} == {"negative"}
    assert any(e.corrected for e in found) and any(not e.corrected for e in found)
    train, held = sentiment_learning.split(found, 0.2)
    assert len(held) == 4 and len(train) == 16
    assert sentiment_learning.split(found, 0.2) == (train, held)  # the same every run


def test_learn_writes_the_file_and_the_engine_uses_it(adjustment_path, user_with_roles):
    people_label(user_with_roles("responder"))
    base = PerLanguageEngine(adjustments=None)
    assert [label for label, _ in base.analyse(PROBE, ["en", "en"])] != ["negative"] * 2

    dry = json.loads(run("--dry-run", "--json"))
    assert dry["examples"] == 30 and dry["held_out"] == 6 and dry["written"] is None
    assert dry["before"]["accuracy"] <= dry["after"]["accuracy"]
    assert not adjustment_path.exists()

    printed = run()
    assert "held-back labels: agreement" in printed and "written to" in printed
    assert Adjustment.load(adjustment_path).info["examples"] == 30
    engine = PerLanguageEngine()  # the installation's file
    assert [label for label, _ in engine.analyse(PROBE, ["en", "en"])] == ["negative"] * 2
    assert engine.analyse(["I love this camera"], ["en"]) == base.analyse(
        ["I love this camera"], ["en"]
    )


def test_the_weekly_job_is_off_by_default(settings, adjustment_path, monkeypatch):
    assert settings.EARFUL_SENTIMENT_LEARN_WEEKLY is False
    queued = []
    monkeypatch.setattr(tasks, "learn_sentiment_task", Stub(queued))
    monkeypatch.setattr(tasks, "_last_learning", 0.0)
    assert tasks.enqueue_sentiment_learning() is False and not queued


def test_the_weekly_job_runs_when_enabled(settings, adjustment_path, monkeypatch,
                                          user_with_roles):  # fmt: skip
    settings.EARFUL_SENTIMENT_LEARN_WEEKLY = True
    queued = []
    monkeypatch.setattr(tasks, "learn_sentiment_task", Stub(queued))
    monkeypatch.setattr(tasks, "_last_learning", 0.0)
    assert tasks.enqueue_sentiment_learning() is True and queued == [1]
    assert tasks.enqueue_sentiment_learning() is False  # once a day per process at most

    assert "skipped" in REAL_TASK.call()  # no labels yet
    people_label(user_with_roles("responder"))
    result = REAL_TASK.call()
    assert result["written"] == str(adjustment_path) and adjustment_path.exists()

    monkeypatch.setattr(tasks, "_last_learning", 0.0)
    assert tasks.enqueue_sentiment_learning() is False  # the file is fresh: not due
    week = tasks.LEARN_EVERY_SECONDS
    monkeypatch.setattr(tasks, "_last_learning", 0.0)
    assert tasks.enqueue_sentiment_learning(now=adjustment_path.stat().st_mtime + week + 1)


def test_an_adjustment_that_does_worse_on_held_back_labels_is_not_written(
    adjustment_path, user_with_roles, monkeypatch
):
    people_label(user_with_roles("responder"))
    real_fit = sentiment_learning.fit

    def backwards(engine, found, strength, progress=None):
        # People's labels turned around: what it learns contradicts the held-back labels.
        flip = {"negative": "positive", "positive": "negative", "neutral": "neutral"}
        turned = [type(e)(**{**vars(e), "label": flip[e.label]}) for e in found]
        return real_fit(engine, turned, strength / 50, progress)

    monkeypatch.setattr(sentiment_learning, "fit", backwards)
    printed = run()
    assert "Kept the shipped models" in printed and "did worse" in printed
    assert not adjustment_path.exists()
    monkeypatch.setattr(sentiment_learning, "fit", real_fit)
    assert "written to" in run("--force")


def test_worse_compares_macro_f1_and_says_nothing_without_a_measure():
    from earful.river.pipeline.sentiment.evaluation import score

    good = score(["negative", "positive"], ["negative", "positive"])
    bad = score(["negative", "positive"], ["positive", "positive"])
    assert sentiment_learning.worse(good, bad).startswith("the adjustment did worse")
    assert sentiment_learning.worse(bad, good) == ""
    assert sentiment_learning.worse(None, None) == ""
