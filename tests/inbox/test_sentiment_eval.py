import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from earful.inbox import actions
from earful.inbox.models import Triage
from earful.river import actions as river
from earful.river.models import Mention
from earful.river.pipeline.items import RawItem
from earful.river.pipeline.sentiment.evaluation import shared_data_dir

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("sentiment-eval", *args, stdout=out)
    return out.getvalue()


def test_with_nothing_reviewed_it_says_so():
    assert "Nobody has reviewed" in run("--corrections")
    assert json.loads(run("--corrections", "--json"))["reviewed"] == 0


def test_reports_agreement_between_people_and_the_engine(user_with_roles):
    person = user_with_roles("responder")
    river.ingest_items(
        river.source_for_import("s"),
        [
            RawItem(text="I hate this, terrible phone", external_id="a"),  # negative, confirmed
            RawItem(text="Why is the battery so bad?", external_id="b"),  # corrected below
            RawItem(text="Love it, brilliant", external_id="c"),  # corrected, then put back
        ],
    )
    by_id = {m.external_id: m for m in Mention.objects.all()}
    assert by_id["c"].sentiment == "positive"
    Triage.objects.filter(mention=by_id["a"]).update(status="done")
    machine_b = by_id["b"].sentiment
    other = "positive" if machine_b != "positive" else "neutral"
    actions.correct_sentiment(by_id["b"], other, person)
    actions.correct_sentiment(by_id["c"], "neutral", person)
    actions.correct_sentiment(by_id["c"], "positive", person)

    result = json.loads(run("--corrections", "--json"))

    assert result["reviewed"] == 3 and result["corrected"] == 1
    assert result["agreement"] == round(2 / 3, 4)
    assert result["confusion"][other][machine_b] == 1
    assert "agreed with people on 66.7%" in run("--corrections")


def test_without_corrections_it_needs_the_shared_data(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        run("--data", str(tmp_path))


@pytest.mark.skipif(
    not (shared_data_dir() / "tweeteval-sentiment").exists(), reason="shared data absent"
)
def test_scores_the_engine_on_tweeteval():
    result = json.loads(run("--json"))
    assert result["texts"] == 2000 and result["macro_recall"] >= 0.63
