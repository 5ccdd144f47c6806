"""The ideas board's JSON API: open reads, customers' writes as themselves, staff's calls,
and every refusal a JSON error with its status, whatever the input."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from earful.accounts.actions import create_api_token
from earful.board.actions.comments import CommentError
from earful.board.actions.ideas import IdeaError
from earful.board.actions.notices import send_notices
from earful.board.actions.statuses import change_status
from earful.board.actions.votes import vote
from earful.board.api import status_of as http_status_of
from earful.board.models import Evidence, Follow, Idea, IdeaComment, Notice, StatusChange, Vote
from earful.river import actions as river
from earful.river.models import Mention, Source
from earful.river.pipeline.items import RawItem
from tests.api_calls import caller, error_of

pytestmark = pytest.mark.django_db
API = "/api/v1"
HUGE = 2**63  # one past the largest database id


@pytest.fixture
def call(client):
    """call(user) -> request(method, path, body=None, **query); call(None) is anonymous."""
    return caller(client, API)


def toot(text: str, n: int) -> Mention:
    source, _ = Source.objects.get_or_create(
        name="Mastodon", defaults={"kind": Source.Kind.MASTODON}
    )
    river.ingest_items(
        source,
        [RawItem(text=text, external_id=f"t{n}", url=f"https://mastodon.example/@ann/{n}",
                 author=f"ann{n}", author_name="Ann")],
    )  # fmt: skip
    return Mention.objects.get(source=source, external_id=f"t{n}")


# --- public reads -------------------------------------------------------------------------


def test_anyone_reads_the_board_with_combined_filters(call, make_idea, category, staff, status_of):
    csv = make_idea("Export reports to CSV", "Monthly CSV for the accountants", category=category)
    make_idea("Dark mode for the dashboard", "Easier on the eyes at night")
    pdf = make_idea("Export reports to PDF", "For printing", category=category)
    change_status(pdf, status_of("planned"), "Next quarter", staff)
    anyone = call(None)

    page = anyone("get", "/ideas").json()
    assert page["count"] == 3 and page["pages"] == 1 and page["next_page"] is None
    assert [i["title"] for i in page["items"]][0] == "Export reports to PDF"  # newest first
    assert all(item["voted"] is None for item in page["items"])

    found = anyone("get", "/ideas", q="export", category="reports").json()
    assert {i["id"] for i in found["items"]} == {csv.pk, pdf.pk}
    planned = anyone("get", "/ideas", q="export", category="reports", status="planned").json()
    assert [i["id"] for i in planned["items"]] == [pdf.pk]
    assert planned["items"][0]["status"] == {
        "slug": "planned", "name": "Planned", "kind": "active", "colour": "#7c3aed",
    }  # fmt: skip
    oldest = anyone("get", "/ideas", sort="oldest").json()
    assert oldest["items"][0]["id"] == csv.pk
    assert anyone("get", "/ideas", q="csv OR dark", sort="top").json()["count"] == 2
    trending = anyone("get", "/ideas", q="export", sort="trending").json()
    assert {i["id"] for i in trending["items"]} == {csv.pk, pdf.pk}


def test_pages_of_twenty(call, make_idea):
    for n in range(23):
        make_idea(f"Idea number {n} for the board")
    anyone = call(None)
    first = anyone("get", "/ideas").json()
    assert len(first["items"]) == 20 and first["pages"] == 2 and first["next_page"] == 2
    second = anyone("get", "/ideas", page=2).json()
    assert len(second["items"]) == 3 and second["next_page"] is None
    assert anyone("get", "/ideas", page=7).json()["items"] == []


@pytest.mark.parametrize(
    "params",
    [
        {"status": "nope"},
        {"category": "nope"},
        {"sort": "random"},
        {"page": 0},
        {"page": "two"},
        {"page": str(10**30)},
        {"q": "x" * 501},
        {"q": '"unclosed'},
        {"q": "(a OR"},
    ],
)
def test_bad_filters_are_422_never_500(call, idea, params):
    response = call(None)("get", "/ideas", **params)
    error_of(response, 422)


def test_an_idea_with_history_voices_and_quotes(call, idea, customer, other_customer, staff):
    vote(idea, other_customer)
    quote = toot("A CSV export of the monthly reports would save my accountant hours", 1)
    staff_call = call(staff)
    pinned = staff_call("post", f"/ideas/{idea.pk}/evidence/{quote.pk}?quote=true")
    assert pinned.json()["changed"] is True
    staff_call("post", f"/ideas/{idea.pk}/status", {"status": "planned", "note": "**Soon**"})
    call(customer)("post", f"/ideas/{idea.pk}/comments", {"body": "Thank you!"})

    detail = call(None)("get", f"/ideas/{idea.pk}").json()
    assert detail["title"] == "Export reports to CSV" and detail["author"] == "cleo"
    assert "<strong>monthly</strong>" in detail["body_html"]
    assert detail["votes"] == 1 and detail["voted"] is None and detail["following"] is None
    assert detail["state"] == "published" and detail["merged_into"] is None
    (change,) = detail["history"]
    assert change["from_status"]["slug"] == "open" and change["to_status"]["slug"] == "planned"
    assert "<strong>Soon</strong>" in change["note_html"]
    assert change["changelog_url"] is None
    assert detail["voices"]["total"] == 3  # cleo and dario on the board, Ann's toot
    assert detail["voices"]["text"].startswith("3 voices")
    assert [q["mention_id"] for q in detail["quotes"]] == [quote.pk]
    assert detail["quotes"][0]["pinned"] is True and detail["quotes"][0]["where"] == "toot"
    assert [c["body"] for c in detail["comment_list"]] == ["Thank you!"]
    assert detail["comment_list"][0]["author"] == "cleo"

    mine = call(other_customer)("get", f"/ideas/{idea.pk}").json()
    assert mine["voted"] is True and mine["following"] is True


def test_similar_statuses_categories_roadmap_changelog(call, make_idea, category, staff, status_of):
    csv = make_idea("Export reports to CSV", "A CSV export of the monthly reports")
    dark = make_idea("Dark mode", "A dark theme for the dashboard")
    change_status(dark, status_of("in-progress"), "", staff)
    change_status(csv, status_of("done"), "Shipped in 2.1", staff)
    anyone = call(None)

    similar = anyone("get", "/ideas/similar", title="CSV export of reports").json()
    assert similar[0]["id"] == csv.pk and 0 < similar[0]["score"] <= 1
    assert anyone("get", "/ideas/similar", title="", body="").json() == []
    slugs = [s["slug"] for s in anyone("get", "/ideas/statuses").json()]
    assert slugs[0] == "open" and "done" in slugs and "declined" in slugs
    assert anyone("get", "/ideas/categories").json() == [{"slug": "reports", "name": "Reports"}]

    roadmap = anyone("get", "/ideas/roadmap").json()
    columns = {column["status"]["slug"]: column for column in roadmap}
    assert columns["in-progress"]["total"] == 1
    assert columns["in-progress"]["ideas"][0]["id"] == dark.pk
    assert columns["planned"]["ideas"] == []

    log = anyone("get", "/ideas/changelog").json()
    assert log["count"] == 1
    (entry,) = log["items"]
    assert entry["idea"]["id"] == csv.pk and entry["note"] == "Shipped in 2.1"
    assert entry["url"].endswith(f"/ideas/changelog/{entry['id']}")
    assert entry["voices"]["total"] == 1
    detail = anyone("get", f"/ideas/{csv.pk}").json()
    assert detail["history"][-1]["changelog_url"] == entry["url"]
    assert detail["vote_refusal"].startswith("This idea is closed")


def test_unknown_hidden_and_huge_ids_are_404_or_422(call, idea, staff, customer):
    anyone = call(None)
    assert error_of(anyone("get", "/ideas/999999"), 404) == "there is no idea 999999"
    error_of(anyone("get", f"/ideas/{HUGE}"), 422)
    error_of(anyone("get", "/ideas/0"), 422)
    error_of(anyone("get", "/ideas/-3"), 422)
    call(staff)("post", f"/ideas/{idea.pk}/moderate", {"action": "remove"})
    error_of(anyone("get", f"/ideas/{idea.pk}"), 404)
    error_of(call(customer)("get", f"/ideas/{idea.pk}"), 404)  # removed: staff only
    assert call(staff)("get", f"/ideas/{idea.pk}").json()["state"] == "removed"


def test_a_bad_token_is_refused_even_on_open_reads(call, idea):
    error_of(call(None, token="ef_not-a-token")("get", "/ideas"), 401)
    error_of(call(None, token="ef_not-a-token")("get", f"/ideas/{idea.pk}"), 401)


def test_the_openapi_document_says_which_reads_are_open(call):
    spec = call(None)("get", "/openapi.json").json()
    ideas = spec["paths"]["/api/v1/ideas"]
    assert ideas["get"]["security"] == [{"TokenAuth": []}, {}]  # a token is optional
    assert ideas["post"]["security"] == [{"TokenAuth": []}]
    open_reads = [
        p
        for p, ops in spec["paths"].items()
        if p.startswith("/api/v1/ideas") and {} in ops.get("get", {}).get("security", [])
    ]
    assert len(open_reads) == 7  # the list, similar, statuses, categories, roadmap, changelog, one


# --- customers ----------------------------------------------------------------------------


def test_a_customer_posts_as_themself(call, customer, category):
    response = call(customer)(
        "post",
        "/ideas",
        {"title": "  Keyboard   shortcuts  everywhere ", "body": "j/k", "category": "reports"},
    )
    assert response.status_code == 201, response.content
    posted = response.json()
    assert posted["title"] == "Keyboard shortcuts everywhere" and posted["author"] == "cleo"
    assert posted["category"]["slug"] == "reports" and posted["following"] is True
    idea = Idea.objects.get(pk=posted["id"])
    assert idea.author == customer and idea.state == Idea.State.PUBLISHED
    assert Follow.objects.filter(idea=idea, user=customer).exists()


def test_writes_need_a_token(call, idea):
    anyone = call(None)
    error_of(anyone("post", "/ideas", {"title": "Anonymous idea here"}), 401)
    error_of(anyone("post", f"/ideas/{idea.pk}/vote"), 401)
    error_of(anyone("delete", f"/ideas/{idea.pk}/follow"), 401)
    error_of(anyone("post", f"/ideas/{idea.pk}/comments", {"body": "hi"}), 401)
    assert Idea.objects.count() == 1 and not Vote.objects.exists()


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"title": ""}, 400),
        ({"title": "abc"}, 400),
        ({"title": "x" * 151}, 400),
        ({"title": "A" * 2_000_000}, 400),
        ({"title": "Null \x00 character"}, 400),
        ({"title": "A fine title", "body": "b" * 10_001}, 400),
        ({"title": "A fine title", "category": "nope"}, 422),
        ({"title": 123}, 422),
        ({"title": ["a list"]}, 422),
        ({"title": None}, 422),
        ({}, 422),
        ({"title": "A fine title", "category": {"slug": "reports"}}, 422),
    ],
)
def test_bad_ideas_are_refused_with_the_reason(call, customer, category, body, status):
    error_of(call(customer)("post", "/ideas", body), status)
    assert not Idea.objects.exists()


def test_malformed_json_is_refused(call, customer):
    response = call(customer)("post", "/ideas", "{not json")
    assert response.status_code in (400, 422) and "error" in response.json()
    response = call(customer)("post", "/ideas", "[1, 2]")
    error_of(response, 422)


def test_the_same_idea_twice_is_a_conflict(call, customer, other_customer, idea):
    error = error_of(
        call(other_customer)(
            "post",
            "/ideas",
            {"title": idea.title, "body": idea.body},
        ),
        409,
    )
    assert f"#{idea.pk}" in error


def test_posting_too_often_is_429(call, customer, settings):
    settings.EARFUL_BOARD_IDEA_RATE = "2/h"
    poster = call(customer)
    for n in range(2):
        assert poster("post", "/ideas", {"title": f"Rate limited idea {n}"}).status_code == 201
    error_of(poster("post", "/ideas", {"title": "Rate limited idea 3"}), 429)


def test_spam_is_held_and_seen_by_its_author_only(call, customer, other_customer):
    spam = "Buy cheap viagra casino bitcoin now http://spam.example http://spam.example/2"
    response = call(customer)("post", "/ideas", {"title": "Cheap pills casino", "body": spam * 3})
    assert response.status_code == 201
    if response.json()["state"] != "held":
        pytest.skip("the spam check let it through")
    idea_id = response.json()["id"]
    assert call(customer)("get", f"/ideas/{idea_id}").json()["state"] == "held"
    error_of(call(other_customer)("get", f"/ideas/{idea_id}"), 404)
    error_of(call(customer)("post", f"/ideas/{idea_id}/vote"), 409)


def test_vote_twice_counts_once_and_unvote(call, idea, other_customer):
    voter = call(other_customer)
    first = voter("post", f"/ideas/{idea.pk}/vote").json()
    assert first == {"idea_id": idea.pk, "voted": True, "changed": True, "votes": 1}
    again = voter("post", f"/ideas/{idea.pk}/vote").json()
    assert again == {"idea_id": idea.pk, "voted": True, "changed": False, "votes": 1}
    assert Vote.objects.filter(idea=idea).count() == 1
    assert voter("delete", f"/ideas/{idea.pk}/vote").json()["votes"] == 0
    assert voter("delete", f"/ideas/{idea.pk}/vote").json()["changed"] is False
    assert Idea.objects.get(pk=idea.pk).vote_count == 0
    assert Follow.objects.filter(idea=idea, user=other_customer).exists()  # keeps following


def test_follow_and_unfollow(call, idea, other_customer):
    follower = call(other_customer)
    assert follower("post", f"/ideas/{idea.pk}/follow").json()["changed"] is True
    assert follower("post", f"/ideas/{idea.pk}/follow").json()["changed"] is False
    assert follower("delete", f"/ideas/{idea.pk}/follow").json() == {
        "idea_id": idea.pk, "following": False, "changed": True,
    }  # fmt: skip
    assert follower("delete", f"/ideas/{idea.pk}/follow").json()["changed"] is False


def test_comments_as_themself_and_their_refusals(call, idea, other_customer, settings):
    commenter = call(other_customer)
    response = commenter("post", f"/ideas/{idea.pk}/comments", {"body": "Yes, *please*"})
    assert response.status_code == 201
    posted = response.json()
    assert posted["author"] == "dario" and posted["status"] == "published"
    assert posted["staff"] is False and "<em>please</em>" in posted["body_html"]
    assert IdeaComment.objects.get(pk=posted["id"]).user == other_customer
    again = commenter("post", f"/ideas/{idea.pk}/comments", {"body": "Yes, *please*"})
    error_of(again, 409)
    error_of(commenter("post", f"/ideas/{idea.pk}/comments", {"body": "   "}), 400)
    error_of(commenter("post", f"/ideas/{idea.pk}/comments", {"body": "x" * 10_001}), 400)
    error_of(commenter("post", f"/ideas/{idea.pk}/comments", {"body": 42}), 422)
    error_of(commenter("post", f"/ideas/{idea.pk}/comments", {}), 422)
    error_of(commenter("post", "/ideas/424242/comments", {"body": "hello"}), 404)
    settings.EARFUL_BOARD_COMMENT_RATE = "1/m"
    cache.clear()
    assert commenter("post", f"/ideas/{idea.pk}/comments", {"body": "one"}).status_code == 201
    error_of(commenter("post", f"/ideas/{idea.pk}/comments", {"body": "two"}), 429)


def test_customers_cannot_call_staff_endpoints(call, idea, customer, status_of):
    customer_call = call(customer)
    calls = [
        ("post", f"/ideas/{idea.pk}/status", {"status": "planned"}),
        ("post", f"/ideas/{idea.pk}/merge", {"into": idea.pk}),
        ("post", f"/ideas/{idea.pk}/evidence/1", {}),
        ("delete", f"/ideas/{idea.pk}/evidence/1", None),
        ("post", f"/ideas/{idea.pk}/moderate", {"action": "remove"}),
        ("post", "/ideas/comments/1/moderate", {"action": "remove"}),
        ("get", f"/ideas/{idea.pk}/notices", None),
        ("post", "/ideas/notices/1/answered", None),
    ]
    for method, url, body in calls:
        if method == "get":
            error = error_of(customer_call("get", url), 403)
        else:
            error = error_of(customer_call(method, url, body), 403)
        assert "manage_ideas" in error
    assert Idea.objects.get(pk=idea.pk).status == status_of("open")


# --- staff --------------------------------------------------------------------------------


def test_staff_change_a_status_with_a_note(call, idea, staff):
    staff_call = call(staff)
    response = staff_call("post", f"/ideas/{idea.pk}/status", {"status": "planned", "note": "Q3"})
    assert response.status_code == 200
    detail = response.json()
    assert detail["status"]["slug"] == "planned" and detail["history"][-1]["note"] == "Q3"
    assert StatusChange.objects.get(idea=idea).by == staff
    again = staff_call("post", f"/ideas/{idea.pk}/status", {"status": "planned"})
    assert error_of(again, 409) == "The idea is already Planned."
    error_of(staff_call("post", f"/ideas/{idea.pk}/status", {"status": "nope"}), 422)
    error_of(staff_call("post", f"/ideas/{idea.pk}/status", {"status": 3}), 422)
    error_of(staff_call("post", f"/ideas/{idea.pk}/status", {}), 422)
    long_note = {"status": "done", "note": "n" * 5001}
    error_of(staff_call("post", f"/ideas/{idea.pk}/status", long_note), 400)
    error_of(staff_call("post", "/ideas/987654/status", {"status": "done"}), 404)
    error_of(staff_call("post", f"/ideas/{HUGE}/status", {"status": "done"}), 422)


def test_staff_merge_and_the_merged_idea_refuses_writes(
    call, idea, make_idea, staff, customer, other_customer
):
    duplicate = make_idea("CSV export for reports please", author=other_customer)
    call(customer)("post", f"/ideas/{duplicate.pk}/vote")
    staff_call = call(staff)
    response = staff_call("post", f"/ideas/{duplicate.pk}/merge", {"into": idea.pk, "note": "Dup"})
    assert response.status_code == 200, response.content
    record = response.json()
    assert record["duplicate"] == duplicate.pk and record["survivor"] == idea.pk
    assert record["votes_moved"] == 1

    merged = call(None)("get", f"/ideas/{duplicate.pk}").json()
    assert merged["merged_into"] == idea.pk
    survivor = call(None)("get", f"/ideas/{idea.pk}").json()
    assert survivor["votes"] == 1 and survivor["merged_in"][0]["idea_id"] == duplicate.pk
    assert duplicate.pk not in {i["id"] for i in call(None)("get", "/ideas").json()["items"]}

    someone = call(other_customer)
    for method, url, body in [
        ("post", f"/ideas/{duplicate.pk}/vote", None),
        ("delete", f"/ideas/{duplicate.pk}/vote", None),
        ("post", f"/ideas/{duplicate.pk}/follow", None),
        ("post", f"/ideas/{duplicate.pk}/comments", {"body": "late"}),
    ]:
        assert f"#{idea.pk}" in error_of(someone(method, url, body), 409)
    error_of(staff_call("post", f"/ideas/{duplicate.pk}/status", {"status": "done"}), 409)
    error_of(staff_call("post", f"/ideas/{duplicate.pk}/merge", {"into": idea.pk}), 409)
    third = make_idea("A third idea about exports")
    error_of(staff_call("post", f"/ideas/{third.pk}/merge", {"into": duplicate.pk}), 409)
    error_of(staff_call("post", f"/ideas/{idea.pk}/merge", {"into": idea.pk}), 400)
    error_of(staff_call("post", f"/ideas/{idea.pk}/merge", {"into": 999999}), 404)
    error_of(staff_call("post", f"/ideas/{idea.pk}/merge", {"into": HUGE}), 422)
    error_of(staff_call("post", f"/ideas/{idea.pk}/merge", {"into": "three"}), 422)
    error_of(staff_call("post", f"/ideas/{idea.pk}/merge", {}), 422)


def test_staff_link_and_unlink_evidence(call, idea, staff, make_idea):
    mention = toot("Please let me export the reports as CSV files", 7)
    staff_call = call(staff)
    url = f"/ideas/{idea.pk}/evidence/{mention.pk}"
    linked = staff_call("post", url).json()
    assert linked["linked"] is True and linked["changed"] is True
    assert linked["voices"]["total"] == 2
    assert staff_call("post", url + "?quote=true").json()["changed"] is False
    assert Evidence.objects.get(idea=idea, mention=mention).quote is True
    unlinked = staff_call("delete", url).json()
    assert unlinked["changed"] is True and unlinked["voices"]["total"] == 1
    assert staff_call("delete", url).json()["changed"] is False
    error_of(staff_call("post", f"/ideas/{idea.pk}/evidence/999999"), 404)
    error_of(staff_call("post", f"/ideas/{idea.pk}/evidence/{HUGE}"), 422)
    error_of(staff_call("post", url + "?quote=maybe"), 422)
    other = make_idea("Another idea to merge away")
    staff_call("post", f"/ideas/{other.pk}/merge", {"into": idea.pk})
    error_of(staff_call("post", f"/ideas/{other.pk}/evidence/{mention.pk}"), 409)


def test_calls_without_parameters_need_no_body(client, idea, staff):
    mention = toot("Reports as CSV, please, every month", 8)
    _, plain = create_api_token(staff, "curl")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {plain}"}
    linked = client.post(f"{API}/ideas/{idea.pk}/evidence/{mention.pk}?quote=true", **bearer)
    assert linked.status_code == 200 and Evidence.objects.get(mention=mention).quote is True
    assert client.post(f"{API}/ideas/{idea.pk}/vote", **bearer).json()["votes"] == 1
    assert client.delete(f"{API}/ideas/{idea.pk}/follow", **bearer).status_code == 200


def test_staff_moderate_ideas_and_comments(call, idea, staff, other_customer):
    staff_call = call(staff)
    removed = staff_call("post", f"/ideas/{idea.pk}/moderate", {"action": "remove"}).json()
    assert removed["state"] == "removed"
    assert call(None)("get", "/ideas").json()["count"] == 0
    approved = staff_call("post", f"/ideas/{idea.pk}/moderate", {"action": "approve"}).json()
    assert approved["state"] == "published"
    error_of(staff_call("post", f"/ideas/{idea.pk}/moderate", {"action": "explode"}), 422)
    error_of(staff_call("post", f"/ideas/{idea.pk}/moderate", {}), 422)

    posted = call(other_customer)("post", f"/ideas/{idea.pk}/comments", {"body": "Meh"}).json()
    url = f"/ideas/comments/{posted['id']}/moderate"
    assert staff_call("post", url, {"action": "remove"}).json()["status"] == "removed"
    assert Idea.objects.get(pk=idea.pk).comment_count == 0
    assert call(None)("get", f"/ideas/{idea.pk}").json()["comment_list"] == []
    assert staff_call("post", url, {"action": "approve"}).json()["status"] == "published"
    error_of(staff_call("post", "/ideas/comments/999999/moderate", {"action": "remove"}), 404)
    error_of(staff_call("post", url, {"action": 1}), 422)


def test_staff_read_the_notice_log_and_mark_by_hand_answered(
    call, idea, staff, other_customer, mailoutbox
):
    vote(idea, other_customer)
    mention = toot("CSV export please, my accountant begs me", 9)
    staff_call = call(staff)
    staff_call("post", f"/ideas/{idea.pk}/evidence/{mention.pk}")
    staff_call("post", f"/ideas/{idea.pk}/status", {"status": "planned", "note": "Soon"})
    send_notices(StatusChange.objects.get(idea=idea))  # what the worker does

    log = staff_call("get", f"/ideas/{idea.pk}/notices").json()
    (group,) = log
    assert group["change"]["to_status"]["slug"] == "planned"
    channels = {n["channel"]: n for n in group["notices"]}
    assert channels["email"]["state"] == "sent" and len(mailoutbox) == 2
    by_hand = channels["by_hand"]
    assert by_hand["label"] == "to do" and by_hand["mention_id"] == mention.pk
    assert group["to_do"] == 1

    done = staff_call("post", f"/ideas/notices/{by_hand['id']}/answered").json()
    assert done["state"] == "answered"
    email = channels["email"]["id"]
    error_of(staff_call("post", f"/ideas/notices/{email}/answered"), 400)
    error_of(staff_call("post", "/ideas/notices/999999/answered"), 404)
    error_of(staff_call("get", "/ideas/999999/notices"), 404)
    assert Notice.objects.get(pk=by_hand["id"]).state == Notice.State.ANSWERED


# --- the refusal table --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "status"),
    [
        ("An idea cannot be merged into itself.", 400),
        ("Only staff who manage ideas can merge them.", 403),
        ("That idea does not exist.", 404),
        ("You have posted many ideas in a short time; please wait a while.", 429),
        ("You are commenting quickly; please wait a minute and try again.", 429),
        ("This idea was merged into #3; vote there.", 409),
        ("#4 is already merged into #3.", 409),
        ("This idea is already on the board as #3; vote there.", 409),
        ("This idea is not published.", 409),
        ("This idea is closed (Done); it takes no more votes.", 409),
        ("#4 was removed.", 409),
        ("The title is empty.", 400),
        ("The comment contains a null character.", 400),
    ],
)
def test_each_kind_of_refusal_has_its_status(message, status):
    assert http_status_of(message) == status


def test_the_refusal_table_matches_the_actions_wording(customer, idea, settings, other_customer):
    """The statuses are told apart by the actions' words: if an action's wording changes,
    this test says so before a client sees a 400 where a 409 or 429 was promised."""
    from earful.board.actions.comments import comment_on_idea
    from earful.board.actions.ideas import submit_idea

    settings.EARFUL_BOARD_IDEA_RATE = "0/h"
    with pytest.raises(IdeaError) as too_many:
        submit_idea(other_customer, title="Something entirely new")
    assert http_status_of(str(too_many.value)) == 429
    settings.EARFUL_BOARD_COMMENT_RATE = "0/m"
    with pytest.raises(CommentError) as too_quick:
        comment_on_idea(idea, other_customer, "Quick")
    assert http_status_of(str(too_quick.value)) == 429
    with pytest.raises(IdeaError) as twice:
        submit_idea(other_customer, title=idea.title, body=idea.body)
    assert http_status_of(str(twice.value)) == 409
