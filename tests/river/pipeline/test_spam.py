import pytest
from hypothesis import given
from hypothesis import strategies as st

from earful.river.pipeline.base import Context
from earful.river.pipeline.items import Item, RawItem
from earful.river.pipeline.spam import SpamRules, make_spam

RULES = SpamRules()
NORMAL_POSTS = [
    "The checkout keeps timing out on my phone since yesterday's update, anyone else?",
    "Big thanks to the support team, my refund arrived this morning.",
    "Wrote up how we migrated to the new API: https://blog.example/posts/migration",
    "Le service client a été très rapide, merci !",
    "新しいアップデートの後、保存していた下書きがすべて消えてしまいました。",
    "I love it. I really love it. Best app I have used this year.",
    "NASA and the ESA both use it, according to the BBC.",
    "ok",
]


@pytest.mark.parametrize("text", NORMAL_POSTS)
def test_normal_posts_score_low(text):
    assert RULES.score(text) < 0.2


def test_link_density_raises_the_score():
    one_in_words = RULES.score("Our notes on the outage are here: https://status.example/1 thanks")
    mostly_links = RULES.score("look https://a.example/1 https://b.example/2 https://c.example/3")
    only_a_link = RULES.score("https://a.example/1")
    assert one_in_words < 0.1
    assert mostly_links > one_in_words
    assert only_a_link >= 0.5


def test_bad_domains_raise_the_score_including_subdomains():
    clean = RULES.score("Details at https://docs.example/guide for the setup steps today")
    bad = RULES.score("Details at https://cheap-pills.example/guide for the setup steps today")
    sub = RULES.score("Details at www.shop.cheap-pills.example/guide for the setup steps today")
    assert bad - clean >= 0.6
    assert sub == bad
    with_user_and_port = RULES.score(
        "Details at https://me@cheap-pills.example:8080/guide for the setup steps today"
    )
    assert with_user_and_port == bad
    assert not RULES.is_bad_domain("not-cheap-pills.example")


def test_configured_bad_domains_are_added_to_the_defaults():
    spam = make_spam(["Scam.Example", "", "  "])
    batch = [
        Item(raw=RawItem(text=""), source_id=1, text=f"See https://{host}/x for the deal")
        for host in ("scam.example", "cheap-pills.example", "fine.example")
    ]
    spam(batch, Context())
    scam, default, fine = (item.spam_score for item in batch)
    assert scam >= 0.6 and default >= 0.6
    assert fine < 0.3


def test_repeated_text_raises_the_score():
    assert RULES.score("giveaway giveaway giveaway giveaway giveaway now") >= 0.5
    assert RULES.score("win big win big win big win big win big") >= 0.2


def test_spam_phrases_raise_the_score_up_to_a_cap():
    one = RULES.score("Limited offer on our kettles this week")
    two = RULES.score("Click here for free money this week")
    three = RULES.score("Click here for free money, buy now, act now")
    assert one >= 0.3
    assert two >= 0.6
    assert three == two  # at most two phrases count


def test_all_caps_raises_the_score():
    quiet = RULES.score("This is the worst update you have ever shipped, fix it now please")
    loud = RULES.score("THIS IS THE WORST UPDATE YOU HAVE EVER SHIPPED, FIX IT NOW PLEASE")
    loud_accented = RULES.score("ÇA NE MARCHE PLUS DEPUIS LA MISE À JOUR, CORRIGEZ ÇA VITE SVP")
    assert loud - quiet == pytest.approx(0.2)
    assert loud_accented >= 0.2
    assert RULES.score("SHORT CAPS OK") < 0.2  # too few letters to call it shouting


def test_the_score_is_capped_at_one():
    text = (
        "BUY NOW!!! CLICK HERE FREE MONEY https://cheap-pills.example/a "
        "https://free-gift.win/b SPAM SPAM SPAM SPAM SPAM SPAM SPAM"
    )
    assert RULES.score(text) == 1.0


@given(st.text())
def test_score_is_always_between_zero_and_one(text):
    assert 0.0 <= RULES.score(text) <= 1.0


@pytest.mark.parametrize(
    "text", ["", "http://[::1", "https://\ud800/", "www." * 1000, "\x00" * 50, "https://" * 500]
)
def test_hostile_text_does_not_raise(text):
    assert 0.0 <= RULES.score(text) <= 1.0


def test_stage_scores_title_and_text():
    spam = make_spam()
    item = Item(raw=RawItem(text=""), source_id=1, title="Click here", text="free money inside")
    spam([item], Context())
    assert item.spam_score >= 0.6
