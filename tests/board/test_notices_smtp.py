"""Board mail through a real SMTP server on 127.0.0.1 (aiosmtpd): what arrives on the wire,
a recipient the server refuses for good, and a server that says "later"."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy

import pytest
from django.core import mail

from earful.board.actions.notices import send_notices
from earful.board.actions.statuses import change_status
from earful.board.models import Notice
from tests.board import test_notices as shared

aiosmtpd = pytest.importorskip("aiosmtpd.controller")

pytestmark = pytest.mark.django_db

# The fan-out tests' fixtures: their URLs and site, and the idea's voters and followers.
_site, people = shared._site, shared.people
State = Notice.State


class Mailbox:
    """An SMTP handler that keeps what it accepts and refuses what the test tells it to."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []
        self.refuse: dict[str, str] = {}  # address -> SMTP answer

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted for delivery"

    def to(self, address: str):
        found = [raw for rcpts, raw in self.messages if address in rcpts]
        return [message_from_bytes(raw, policy=policy.default) for raw in found]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(settings):
    mailbox = Mailbox()
    controller = aiosmtpd.Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield mailbox
    controller.stop()


def test_notices_arrive_through_a_real_smtp_server(smtp, idea, people, staff, status_of):
    change = change_status(idea, status_of("done"), "Shipped in **2.4**.", staff)
    rows = send_notices(change)
    assert {row.state for row in rows} == {State.SENT} and mail.outbox == []
    assert sorted(rcpt for rcpts, _ in smtp.messages for rcpt in rcpts) == [
        "cleo@example.org", "fiona@example.org", "vera@example.org", "viktor@example.org",
    ]  # fmt: skip
    [message] = smtp.to("vera@example.org")
    assert message["Subject"] == "“Export reports to CSV” is now Done"
    assert message["From"] == "Earful ideas <ideas@example.test>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (
        message["List-Unsubscribe"]
        .strip()
        .startswith("<http://ideas.example.test/ideas/unsubscribe/")
    )
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"].startswith("<board-notice-")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "What we did: http://ideas.example.test/ideas/changelog/" in text
    assert "<strong>2.4</strong>" in html
    send_notices(change)
    assert len(smtp.messages) == 4  # nothing twice


def test_a_refused_address_gives_up_and_a_busy_server_is_tried_again(
    smtp, idea, people, staff, status_of
):
    smtp.refuse["vera@example.org"] = "550 5.1.1 No such user"
    smtp.refuse["viktor@example.org"] = "451 4.3.0 Try again later"
    change = change_status(idea, status_of("planned"), "", staff)
    send_notices(change)
    rows = {row.recipient: row for row in Notice.objects.filter(status_change=change)}
    assert rows["vera@example.org"].state == State.GAVE_UP
    assert "550" in rows["vera@example.org"].detail
    assert rows["viktor@example.org"].state == State.FAILED
    assert "451" in rows["viktor@example.org"].detail
    assert rows["cleo@example.org"].state == rows["fiona@example.org"].state == State.SENT
    smtp.refuse.clear()
    send_notices(change)
    assert len(smtp.to("viktor@example.org")) == 1
    assert smtp.to("vera@example.org") == []  # a final refusal is not retried
    assert len(smtp.to("cleo@example.org")) == 1
    viktor = Notice.objects.get(status_change=change, recipient="viktor@example.org")
    assert viktor.state == State.SENT and viktor.attempts == 2


def test_no_server_at_all_is_a_failure_to_retry(settings, idea, people, staff, status_of):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()
    settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 2
    change = change_status(idea, status_of("planned"), "", staff)
    rows = send_notices(change)
    assert {row.state for row in rows} == {State.FAILED}
    assert all("Sending the mail failed" in row.detail for row in rows)
