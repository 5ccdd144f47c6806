"""The notification fan-out: when an idea's status changes, voters and followers get mail,
people who raised it on an owned channel get a reply in their thread, external posts with a
Webmention endpoint get a Webmention from the changelog entry, and the rest are listed for
staff. One row per (change, channel, recipient), nothing sent twice, every result logged."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from django.core import mail
from django.utils import timezone

from earful.blog.actions.comments import moderate_comment, submit_comment
from earful.blog.actions.posts import make_author, publish_post, save_post
from earful.blog.models import Comment
from earful.board.actions import notices
from earful.board.actions.follows import follow
from earful.board.actions.notices import plan_notices, send_notices
from earful.board.actions.statuses import change_status
from earful.board.actions.votes import vote
from earful.board.models import Evidence, Notice, Unsubscribe
from earful.board.notify_email import unsubscribe
from earful.river.actions import ingest_items
from earful.river.models import Mention, Source
from earful.river.pipeline.items import RawItem
from tests.web import conftest as web

pytestmark = pytest.mark.django_db

Channel, State = Notice.Channel, Notice.State
server, reply = web.server, web.reply  # a scripted HTTP server on 127.0.0.1 (a fixture)
SITE = "http://ideas.example.test"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.EARFUL_SITE_URL = SITE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = "Earful ideas <ideas@example.test>"


@pytest.fixture
def people(db, django_user_model, idea):
    """Two voters and a follower of the idea (its author, cleo, follows it too)."""
    made = {}
    for name in ("vera", "viktor", "fiona"):
        made[name] = django_user_model.objects.create_user(
            name, email=f"{name}@example.org", password="a-long-test-password"
        )
    vote(idea, made["vera"])
    vote(idea, made["viktor"])
    follow(idea, made["fiona"])
    return made


@pytest.fixture
def blog_comment(db, django_user_model):
    """A reader's published comment on a live blog post, in the river."""
    writer = django_user_model.objects.create_user("maya", email="maya@example.com")
    post = publish_post(save_post(make_author(writer), "Day 1: Berlin", "We opened the tour."))
    comment = submit_comment(
        post, body="Please let me export the monthly report as CSV!", name="Ola",
        email="ola@example.org",
    )  # fmt: skip
    if comment.status != Comment.Status.PUBLISHED:
        moderate_comment(comment, "approve", None)
    comment.refresh_from_db()
    assert comment.mention_id
    return comment


def external_mention(url: str, text: str = "Wish this app exported CSV", handle="@kim"):
    source, _ = Source.objects.get_or_create(
        name="Some feed", defaults={"kind": Source.Kind.FEED, "config": {}}
    )
    ingest_items(
        source,
        [RawItem(text=text, url=url, external_id=url, author=handle, author_name="Kim")],
    )
    return Mention.objects.get(source=source, external_id=url)


def link(idea, mention, staff=None):
    return Evidence.objects.create(idea=idea, mention=mention, linked_by=staff)


def by_channel(change):
    rows = Notice.objects.filter(status_change=change).order_by("id")
    grouped: dict[str, list[Notice]] = {}
    for row in rows:
        grouped.setdefault(row.channel, []).append(row)
    return grouped


def page_with_endpoint(server, path="/webmention"):
    headers = {"Content-Type": "text/html", "Link": f"<{path}>; rel=webmention"}
    return reply(200, b"<p>My post.</p>", headers)


def form_posts(server, path):
    return [
        {key: values[0] for key, values in parse_qs(seen.body.decode()).items()}
        for seen in server.requests
        if seen.method == "POST" and seen.path == path
    ]


# --- who hears ----------------------------------------------------------------------------


def test_the_plan_has_voters_and_followers_by_mail_never_the_one_who_changed_it(
    idea, people, staff, status_of
):
    vote(idea, staff)  # staff voted too, and make the change: they get no mail
    change = change_status(idea, status_of("planned"), "Coming in May.", staff)
    plan = plan_notices(change)
    assert sorted(r.recipient for r in plan.email) == [
        "cleo@example.org", "fiona@example.org", "vera@example.org", "viktor@example.org",
    ]  # fmt: skip
    assert not plan.thread_reply and not plan.webmention and not plan.by_hand
    assert len(plan) == 4


def test_unsubscribed_people_and_people_without_an_address_get_no_mail(
    idea, people, staff, status_of, django_user_model
):
    unsubscribe(people["vera"], idea)
    unsubscribe(people["viktor"])  # all board mail
    nomail = django_user_model.objects.create_user("nomail")
    vote(idea, nomail)
    change = change_status(idea, status_of("planned"), "", staff)
    assert sorted(r.recipient for r in plan_notices(change).email) == [
        "cleo@example.org", "fiona@example.org",
    ]  # fmt: skip


def test_following_again_after_unsubscribing_from_an_idea_brings_its_mail_back(
    idea, people, staff, status_of
):
    unsubscribe(people["fiona"], idea)
    assert not idea.follows.filter(user=people["fiona"]).exists()  # it also unfollows
    follow(idea, people["fiona"])
    change = change_status(idea, status_of("planned"), "", staff)
    assert "fiona@example.org" in {r.recipient for r in plan_notices(change).email}


def test_owned_voices_get_a_thread_reply_external_ones_are_listed_until_done(
    idea, staff, status_of, blog_comment
):
    link(idea, Mention.objects.get(pk=blog_comment.mention_id))
    toot = external_mention("https://social.example/@kim/1")
    link(idea, toot)
    link(idea, Mention.objects.get(pk=idea.mention_id))  # the idea's own voice: not answered
    planned = change_status(idea, status_of("planned"), "", staff)
    plan = plan_notices(planned)
    assert [r.mention_id for r in plan.thread_reply] == [blog_comment.mention_id]
    assert [r.recipient for r in plan.by_hand] == [f"mention:{toot.pk}"]
    assert not plan.webmention
    done = change_status(idea, status_of("done"), "Shipped.", staff)
    plan = plan_notices(done)
    assert [r.recipient for r in plan.webmention] == ["https://social.example/@kim/1"]
    assert not plan.by_hand


# --- sending ------------------------------------------------------------------------------


def test_mail_goes_to_each_voter_and_follower_once_with_one_click_unsubscribe(
    idea, people, staff, status_of
):
    change = change_status(idea, status_of("planned"), "Coming in **May**.", staff)
    rows = send_notices(change)
    assert {row.state for row in rows} == {State.SENT} and len(rows) == 4
    assert sorted(m.to[0] for m in mail.outbox) == [
        "cleo@example.org", "fiona@example.org", "vera@example.org", "viktor@example.org",
    ]  # fmt: skip
    message = next(m for m in mail.outbox if m.to == ["vera@example.org"])
    assert message.subject == "“Export reports to CSV” is now Planned"
    assert "which you voted for, is now Planned (it was Open)" in message.body
    assert "Coming in **May**." in message.body
    html = message.alternatives[0][0]
    assert "<strong>May</strong>" in html and f"{SITE}/ideas/{idea.pk}/" in html
    unsubscribe_all = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe_all.startswith(f"<{SITE}/ideas/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    notice = Notice.objects.get(status_change=change, recipient="vera@example.org")
    assert message.extra_headers["Message-ID"] == f"<board-notice-{notice.pk}@example.test>"
    assert unsubscribe_all[1:-1] in message.body  # and the per-idea link beside it
    assert message.body.count(f"{SITE}/ideas/unsubscribe/") == 2
    assert notice.user == people["vera"] and notice.sent_at and notice.attempts == 1
    assert "which you follow" in next(m for m in mail.outbox if m.to == ["fiona@example.org"]).body


def test_running_again_sends_nothing_twice(idea, people, staff, status_of):
    change = change_status(idea, status_of("planned"), "", staff)
    send_notices(change)
    send_notices(change)
    send_notices(change)
    assert len(mail.outbox) == 4
    assert Notice.objects.filter(status_change=change).count() == 4
    # A new voter between two runs hears about it; nobody else hears twice.
    later = type(staff).objects.create_user("late", email="late@example.org")
    vote(idea, later)
    send_notices(change)
    assert [m.to for m in mail.outbox[4:]] == [["late@example.org"]]


def test_after_a_crash_only_what_is_missing_is_sent(idea, people, staff, status_of, monkeypatch):
    change = change_status(idea, status_of("planned"), "", staff)
    real = notices._send_email
    calls = []

    def crash_on_the_second(notice, run):
        calls.append(notice.recipient)
        if len(calls) == 2:
            raise SystemExit("the worker was killed")
        return real(notice, run)

    monkeypatch.setattr(notices, "SENDERS", {**notices.SENDERS, Channel.EMAIL: crash_on_the_second})
    with pytest.raises(SystemExit):
        send_notices(change)
    assert len(mail.outbox) == 1
    states = dict(Notice.objects.filter(status_change=change).values_list("recipient", "state"))
    assert sorted(states.values()) == [State.PENDING, State.PENDING, State.SENDING, State.SENT]
    monkeypatch.setattr(notices, "SENDERS", {**notices.SENDERS, Channel.EMAIL: real})
    send_notices(change)  # the interrupted one is still claimed: not touched
    assert len(mail.outbox) == 3
    assert len({tuple(m.to) for m in mail.outbox}) == 3
    # Much later, the interrupted mail may have gone out: it is never sent again.
    rows = send_notices(change, now=timezone.now() + timedelta(hours=1))
    assert len(mail.outbox) == 3
    interrupted = next(row for row in rows if row.recipient == calls[1])
    assert interrupted.state == State.GAVE_UP and "may have gone out" in interrupted.detail


def test_a_failed_mail_is_recorded_and_retried_by_the_next_run(
    idea, people, staff, status_of, monkeypatch
):
    change = change_status(idea, status_of("planned"), "", staff)
    real = notices._send_email

    def flaky(notice, run):
        if notice.recipient == "vera@example.org":
            raise ConnectionRefusedError(111, "Connection refused")
        return real(notice, run)

    monkeypatch.setattr(notices, "SENDERS", {**notices.SENDERS, Channel.EMAIL: flaky})
    send_notices(change)
    vera = Notice.objects.get(status_change=change, recipient="vera@example.org")
    assert vera.state == State.FAILED and "Connection refused" in vera.detail
    assert len(mail.outbox) == 3
    assert notices.changes_to_retry(timezone.now()) == []  # back-off first
    assert notices.changes_to_retry(timezone.now() + timedelta(minutes=6)) == [change.pk]
    monkeypatch.setattr(notices, "SENDERS", {**notices.SENDERS, Channel.EMAIL: real})
    send_notices(change)
    vera.refresh_from_db()
    assert vera.state == State.SENT and vera.attempts == 2
    assert [m.to for m in mail.outbox[3:]] == [["vera@example.org"]]


def test_failing_notices_give_up_after_the_last_attempt(
    idea, people, staff, status_of, monkeypatch
):
    change = change_status(idea, status_of("planned"), "", staff)

    def down(notice, run):
        raise TimeoutError("timed out")

    monkeypatch.setattr(notices, "SENDERS", {**notices.SENDERS, Channel.EMAIL: down})
    for _ in range(notices.MAX_ATTEMPTS + 2):
        send_notices(change)
    row = Notice.objects.filter(status_change=change).first()
    assert row.state == State.GAVE_UP and row.attempts == notices.MAX_ATTEMPTS
    assert "Gave up after 5 attempts" in row.detail


def test_someone_who_unsubscribes_before_the_worker_runs_gets_nothing(
    idea, people, staff, status_of
):
    change = change_status(idea, status_of("planned"), "", staff)
    notices._create_rows(change, plan_notices(change))  # planned, not sent yet
    unsubscribe(people["viktor"])
    rows = send_notices(change)
    viktor = next(row for row in rows if row.recipient == "viktor@example.org")
    assert viktor.state == State.SKIPPED and "Unsubscribed" in viktor.detail
    assert len(mail.outbox) == 3


# --- owned channels: a reply in their thread ----------------------------------------------


def test_a_blog_comment_linked_as_evidence_gets_a_staff_reply_in_its_thread(
    idea, staff, status_of, blog_comment
):
    link(idea, Mention.objects.get(pk=blog_comment.mention_id))
    change = change_status(idea, status_of("planned"), "Coming in May.", staff)
    send_notices(change)
    replies = Comment.objects.filter(parent=blog_comment)
    assert replies.count() == 1
    answer = replies.get()
    assert answer.staff and answer.user == staff and answer.post == blog_comment.post
    assert "“Export reports to CSV”, which is now **Planned**" in answer.body
    assert "Coming in May." in answer.body and f"{SITE}/ideas/{idea.pk}/" in answer.body
    notice = Notice.objects.get(status_change=change, channel=Channel.THREAD_REPLY)
    assert notice.state == State.SENT and answer.get_absolute_url() in notice.detail
    send_notices(change)
    assert replies.count() == 1  # never twice
    done = change_status(idea, status_of("done"), "Shipped.", staff)
    send_notices(done)
    assert replies.count() == 2  # one per change


def test_a_reply_that_fails_half_way_leaves_nothing_and_is_sent_by_the_next_run(
    idea, staff, status_of, blog_comment, monkeypatch
):
    link(idea, Mention.objects.get(pk=blog_comment.mention_id))
    change = change_status(idea, status_of("planned"), "", staff)
    real = notices._send_thread_reply

    def publish_then_fail(notice, run):
        real(notice, run)  # the reply is written ...
        raise RuntimeError("the database went away")  # ... and the run dies before recording

    monkeypatch.setattr(
        notices, "SENDERS", {**notices.SENDERS, Channel.THREAD_REPLY: publish_then_fail}
    )
    send_notices(change)
    notice = Notice.objects.get(status_change=change, channel=Channel.THREAD_REPLY)
    assert notice.state == State.FAILED and "database went away" in notice.detail
    assert not Comment.objects.filter(parent=blog_comment).exists()  # rolled back with it
    monkeypatch.setattr(notices, "SENDERS", {**notices.SENDERS, Channel.THREAD_REPLY: real})
    send_notices(change)
    notice.refresh_from_db()
    assert notice.state == State.SENT and notice.attempts == 2
    assert Comment.objects.filter(parent=blog_comment).count() == 1


def test_a_refused_reply_is_listed_for_staff(idea, staff, status_of, blog_comment):
    link(idea, Mention.objects.get(pk=blog_comment.mention_id))
    blog_comment.post.status = "draft"
    blog_comment.post.save(update_fields=["status"])
    change = change_status(idea, status_of("planned"), "", staff)
    send_notices(change)
    grouped = by_channel(change)
    assert grouped[Channel.THREAD_REPLY][0].state == State.GAVE_UP
    assert "not published" in grouped[Channel.THREAD_REPLY][0].detail
    assert grouped[Channel.BY_HAND][0].mention_id == blog_comment.mention_id
    assert grouped[Channel.BY_HAND][0].state == State.PENDING  # to do


# --- external posts: a Webmention from the changelog entry --------------------------------


def test_external_posts_with_an_endpoint_get_a_webmention_when_done(
    idea,
    staff,
    status_of,
    server,
    allow_loopback,
):
    server.routes["/my-post"] = page_with_endpoint(server)
    server.routes["/webmention"] = reply(202, b"queued", {"Location": server.url("/status/1")})
    server.routes["/no-endpoint"] = reply(200, b"<p>Plain</p>", {"Content-Type": "text/html"})
    with_endpoint = external_mention(server.url("/my-post"))
    without = external_mention(server.url("/no-endpoint"), handle="@lee")
    link(idea, with_endpoint)
    link(idea, without)
    change = change_status(idea, status_of("done"), "Shipped in 2.4.", staff)
    send_notices(change)
    sent = form_posts(server, "/webmention")
    assert sent == [{"source": notices.entry_url(change), "target": server.url("/my-post")}]
    assert notices.entry_url(change) == f"{SITE}/ideas/changelog/{change.pk}"
    grouped = by_channel(change)
    [ok, skipped] = grouped[Channel.WEBMENTION]
    assert ok.state == State.SENT and "Accepted" in ok.detail and "/status/1" in ok.detail
    assert skipped.state == State.SKIPPED and "no Webmention endpoint" in skipped.detail
    [to_do] = grouped[Channel.BY_HAND]
    assert to_do.mention == without and to_do.state == State.PENDING
    send_notices(change)
    assert len(form_posts(server, "/webmention")) == 1  # never twice


def test_a_webmention_endpoint_that_is_down_is_retried_and_one_that_refuses_is_listed(
    idea,
    staff,
    status_of,
    server,
    allow_loopback,
):
    server.routes["/a"] = page_with_endpoint(server, "/wm-a")
    server.routes["/b"] = page_with_endpoint(server, "/wm-b")
    server.routes["/wm-a"] = reply(503, b"later")
    server.routes["/wm-b"] = reply(400, b"source does not link to target")
    link(idea, external_mention(server.url("/a")))
    link(idea, external_mention(server.url("/b"), handle="@b"))
    change = change_status(idea, status_of("done"), "", staff)
    send_notices(change)
    a, b = by_channel(change)[Channel.WEBMENTION]
    assert a.state == State.FAILED and "503" in a.detail
    assert b.state == State.GAVE_UP and "refused it (400)" in b.detail
    assert [n.mention_id for n in by_channel(change)[Channel.BY_HAND]] == [b.mention_id]
    server.routes["/wm-a"] = reply(202)
    send_notices(change)
    a.refresh_from_db()
    assert a.state == State.SENT and a.attempts == 2
    assert len(form_posts(server, "/wm-b")) == 1  # a refusal is not retried


def test_private_addresses_are_not_fetched_without_the_setting(idea, staff, status_of, server):
    server.routes["/my-post"] = page_with_endpoint(server)
    link(idea, external_mention(server.url("/my-post")))
    change = change_status(idea, status_of("done"), "", staff)
    send_notices(change)
    [notice] = by_channel(change)[Channel.WEBMENTION]
    assert notice.state == State.GAVE_UP and server.requests == []
    assert by_channel(change)[Channel.BY_HAND][0].mention_id == notice.mention_id


# --- the task -----------------------------------------------------------------------------


def test_queue_notices_sends_in_the_worker_once_the_change_is_committed(
    idea, people, staff, status_of, settings, django_capture_on_commit_callbacks
):
    from earful.board.tasks import enqueue_board_work, queue_notices

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    change = change_status(idea, status_of("planned"), "", staff)
    with django_capture_on_commit_callbacks(execute=True):
        queue_notices(change)
        assert mail.outbox == []  # not before the commit
    assert len(mail.outbox) == 4
    assert enqueue_board_work()["retried"] == []


def test_the_staff_log_groups_notices_by_change(idea, people, staff, status_of):
    from earful.board.notify_views import notice_log

    first = change_status(idea, status_of("planned"), "", staff)
    send_notices(first)
    toot = external_mention("https://social.example/@kim/1")
    link(idea, toot)
    second = change_status(idea, status_of("in-progress"), "", staff)
    send_notices(second)
    log = notice_log(idea)
    assert [group["change"] for group in log] == [second, first]
    assert log[0]["to_do"] == 1 and log[0]["unsent"] == 0
    assert dict(log[0]["counts"]) == {"Sent": 4, "to do": 1}
    assert Unsubscribe.objects.count() == 0
