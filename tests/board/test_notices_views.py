"""Unsubscribing from board mail (GET asks, POST does, RFC 8058 one-click POST without a
session or CSRF token, forged links refused), and the staff's notice log and its actions
(permission, CSRF)."""

from __future__ import annotations

import pytest
from django.core import mail, signing
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from earful.board.actions.notices import send_notices
from earful.board.actions.statuses import change_status
from earful.board.models import Follow, Notice, Unsubscribe
from earful.board.notify_email import read_token, unsubscribe_token, unsubscribe_url
from earful.board.notify_views import notice_log
from tests.board import test_notices as shared
from tests.board.test_notices import SITE, external_mention, link

pytestmark = pytest.mark.django_db

# The fan-out tests' fixtures: their URLs and site, and the idea's voters and followers.
_site, people = shared._site, shared.people

State, Channel = Notice.State, Notice.Channel
ONE_CLICK = {"List-Unsubscribe": "One-Click"}


def path_of(url: str) -> str:
    assert url.startswith(SITE)
    return url[len(SITE) :]


@pytest.fixture
def voter(people):
    return people["vera"]


# --- unsubscribe --------------------------------------------------------------------------


def test_a_token_names_the_person_and_the_idea_and_cannot_be_forged(voter, idea):
    assert read_token(unsubscribe_token(voter, idea)) == (voter.pk, idea.pk)
    assert read_token(unsubscribe_token(voter)) == (voter.pk, None)
    token = unsubscribe_token(voter, idea)
    payload, _, signature = token.rpartition(":")
    forged = [
        signing.Signer().sign_object([voter.pk, idea.pk]),  # signed, not for this (salt)
        signing.Signer(salt="wrong").sign_object([voter.pk + 1, idea.pk]),
        signing.dumps([voter.pk, idea.pk], salt="earful.board.unsubscribe"),  # timestamped
        f"{payload}:{signature[:-2]}xx",
        token.replace(payload[:4], "AAAA", 1),
        signing.Signer(salt="earful.board.unsubscribe").sign_object({"u": voter.pk}),  # shape
        "nonsense",
    ]
    for bad in forged:
        with pytest.raises(ValueError, match="not valid"):
            read_token(bad)


def test_get_only_asks_and_post_unsubscribes_from_the_idea(client, voter, idea):
    url = path_of(unsubscribe_url(voter, idea))
    page = client.get(url)
    assert page.status_code == 200 and b"Stop board mail?" in page.content
    assert b"Export reports to CSV" in page.content and b"vera@example.org" in page.content
    assert page["Referrer-Policy"] == "no-referrer" and "no-cache" in page["Cache-Control"]
    assert not Unsubscribe.objects.exists()  # a link scanner's GET changes nothing
    done = client.post(url, {"action": "unsubscribe"})
    assert done.status_code == 200 and b"You are unsubscribed" in done.content
    assert Unsubscribe.objects.filter(user=voter, idea=idea).exists()
    assert not Follow.objects.filter(user=voter, idea=idea).exists()
    again = client.post(url, {"action": "unsubscribe"})  # a second click: still one row
    assert again.status_code == 200 and Unsubscribe.objects.count() == 1
    undo = client.post(url, {"action": "resubscribe"})
    assert b"You are subscribed again" in undo.content and not Unsubscribe.objects.exists()
    assert Follow.objects.filter(user=voter, idea=idea).exists()


def test_one_click_post_from_a_mail_program_needs_no_session_nor_csrf(voter, idea):
    mail_program = Client(enforce_csrf_checks=True)
    url = path_of(unsubscribe_url(voter))
    answer = mail_program.post(url, ONE_CLICK)
    assert answer.status_code == 200 and answer.content == b"Unsubscribed.\n"
    assert Unsubscribe.objects.filter(user=voter, idea=None).count() == 1
    assert mail_program.post(url, ONE_CLICK).status_code == 200  # repeated: still one
    assert Unsubscribe.objects.filter(user=voter, idea=None).count() == 1


def test_forged_or_damaged_links_change_nothing(client, voter, idea):
    good = unsubscribe_token(voter, idea)
    for bad in (
        good[:-3] + "abc",
        signing.Signer().sign_object([voter.pk, 0]),
        signing.Signer(key="other-key", salt="earful.board.unsubscribe").sign_object([voter.pk]),
        "x",
    ):
        url = reverse("board:unsubscribe", args=[bad])
        for response in (
            client.get(url),
            client.post(url, {"action": "unsubscribe"}),
            Client(enforce_csrf_checks=True).post(url, ONE_CLICK),
        ):
            assert response.status_code == 400
            assert b"This unsubscribe link is not valid" in response.content
    assert not Unsubscribe.objects.exists()


def test_a_link_to_a_deleted_account_says_so(client, django_user_model, idea):
    gone = django_user_model.objects.create_user("gone", email="gone@example.org")
    url = path_of(unsubscribe_url(gone, idea))
    gone.delete()
    assert client.post(url, ONE_CLICK).status_code == 404


def test_the_one_click_link_of_a_real_notice_stops_the_next_ones(idea, people, staff, status_of):
    change = change_status(idea, status_of("planned"), "", staff)
    send_notices(change)
    message = next(m for m in mail.outbox if m.to == ["viktor@example.org"])
    one_click = message.extra_headers["List-Unsubscribe"][1:-1]
    assert Client(enforce_csrf_checks=True).post(path_of(one_click), ONE_CLICK).status_code == 200
    # The per-idea link in the body works too.
    vera = next(m for m in mail.outbox if m.to == ["vera@example.org"])
    idea_link = next(
        line.split(": ", 1)[1] for line in vera.body.splitlines() if "about this idea:" in line
    )
    Client().post(path_of(idea_link), {"action": "unsubscribe"})
    mail.outbox.clear()
    send_notices(change_status(idea, status_of("in-progress"), "", staff))
    assert sorted(m.to[0] for m in mail.outbox) == ["cleo@example.org", "fiona@example.org"]


def test_an_unsubscribe_from_a_merged_idea_holds_for_the_idea_it_went_into(
    idea, people, staff, status_of, make_idea
):
    from earful.board.models import Idea
    from earful.board.notify_email import unsubscribe

    duplicate = make_idea("CSV export for the reports")
    unsubscribe(people["fiona"], duplicate)  # her latest word, after following `idea`
    Idea.objects.filter(pk=duplicate.pk).update(merged_into=idea)
    send_notices(change_status(idea, status_of("planned"), "", staff))
    assert "fiona@example.org" not in {m.to[0] for m in mail.outbox}
    assert "vera@example.org" in {m.to[0] for m in mail.outbox}


# --- the staff's log and actions ----------------------------------------------------------


@pytest.fixture
def to_do(idea, people, staff, status_of):
    link(idea, external_mention("https://social.example/@kim/1"))
    change = change_status(idea, status_of("planned"), "", staff)
    send_notices(change)
    return Notice.objects.get(status_change=change, channel=Channel.BY_HAND)


def test_the_log_shows_staff_who_which_channel_when_and_the_result(idea, to_do, staff, rf):
    request = rf.get(idea.get_absolute_url())
    request.user = staff
    html = render_to_string(
        "board/_notices.html",
        {"staff": True, "idea": idea, "notice_log": notice_log(idea)},
        request=request,
    )
    assert 'id="notices"' in html and "Open → Planned" in html
    assert "vera &lt;vera@example.org&gt;" in html and "E-mail" in html and "Sent" in html
    assert "Kim</strong> on Some feed" in html and "https://social.example/@kim/1" in html
    assert "To do" in html and reverse("board:notice-done", args=[to_do.pk]) in html
    assert reverse("console-mention", args=[to_do.mention_id]) in html
    assert "csrfmiddlewaretoken" in html
    hidden = render_to_string(
        "board/_notices.html", {"staff": False, "idea": idea, "notice_log": notice_log(idea)}
    )
    assert hidden.strip() == ""


def test_staff_mark_a_by_hand_notice_done(client, to_do, staff, idea):
    client.force_login(staff)
    response = client.post(reverse("board:notice-done", args=[to_do.pk]))
    assert response.status_code == 302 and response["Location"].endswith("#notices")
    to_do.refresh_from_db()
    assert to_do.state == State.ANSWERED and to_do.detail == "Answered by sam."
    assert to_do.sent_at is not None
    email = Notice.objects.filter(channel=Channel.EMAIL).first()
    client.post(reverse("board:notice-done", args=[email.pk]))
    email.refresh_from_db()
    assert email.state == State.SENT  # only "by hand" notices are answered by hand


def test_only_staff_who_manage_ideas_mark_notices_done(client, to_do, customer, user_with_roles):
    url = reverse("board:notice-done", args=[to_do.pk])
    anonymous = client.post(url)
    assert anonymous.status_code == 302 and reverse("login") in anonymous["Location"]
    client.force_login(customer)
    assert client.post(url).status_code == 403
    client.force_login(user_with_roles("listener", username="lis"))
    assert client.post(url).status_code == 403
    assert client.get(url).status_code in (403, 405)
    to_do.refresh_from_db()
    assert to_do.state == State.PENDING


def test_the_done_action_needs_a_csrf_token(to_do, staff, idea):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff)
    url = reverse("board:notice-done", args=[to_do.pk])
    assert browser.post(url).status_code == 403
    to_do.refresh_from_db()
    assert to_do.state == State.PENDING
    browser.get(idea.get_absolute_url())  # any page with a form sets the cookie
    token = browser.cookies["csrftoken"].value
    assert browser.post(url, {"csrfmiddlewaretoken": token}).status_code == 302
    to_do.refresh_from_db()
    assert to_do.state == State.ANSWERED


def test_staff_send_what_is_missing(
    client, idea, people, staff, customer, status_of, settings, monkeypatch,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    from earful.board.actions import notices

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    change = change_status(idea, status_of("planned"), "", staff)

    def down(notice, run):
        raise ConnectionRefusedError("refused")

    real = notices.SENDERS
    monkeypatch.setattr(notices, "SENDERS", {**real, Channel.EMAIL: down})
    send_notices(change)
    assert set(Notice.objects.values_list("state", flat=True)) == {State.FAILED}
    monkeypatch.setattr(notices, "SENDERS", real)
    url = reverse("board:notices-send", args=[idea.pk])
    client.force_login(customer)
    assert client.post(url).status_code == 403
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert set(Notice.objects.values_list("state", flat=True)) == {State.SENT}
    assert len(mail.outbox) == 4
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert len(mail.outbox) == 4  # nothing twice
