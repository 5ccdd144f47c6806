import pytest
from django.urls import reverse

from earful.river.models import Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, user_with_roles):
    client.force_login(user_with_roles("admin"))
    return client


def test_only_admins_manage_sources(client, user_with_roles):
    url = reverse("console-sources")
    assert client.get(url).status_code == 302
    client.force_login(user_with_roles("listener"))
    assert client.get(url).status_code == 403
    assert client.post(url, {"kind": "feed", "target": "https://x.example/f"}).status_code == 403
    assert not Source.objects.exists()


def test_add_pause_resume_and_poll(admin_client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    url = reverse("console-sources")
    admin_client.post(url, {"kind": "mastodon", "target": "https://mastodon.example",
                            "hashtag": "halvora", "every": "10", "name": "Fans"})  # fmt: skip
    source = Source.objects.get(name="Fans")
    assert source.config == {"instance": "https://mastodon.example", "hashtag": "halvora"}
    assert source.poll_every_minutes == 10
    page = admin_client.get(url)
    assert b"Fans" in page.content

    action = reverse("console-source-action", args=[source.id])
    admin_client.post(action, {"action": "pause"})
    assert Source.objects.get(pk=source.pk).enabled is False
    admin_client.post(action, {"action": "resume"})
    assert Source.objects.get(pk=source.pk).enabled is True
    polled = admin_client.post(action, {"action": "poll"}, follow=True)
    assert any("queued" in str(m) for m in polled.context["messages"])


@pytest.mark.parametrize(
    "form",
    [
        {"kind": "gopher", "target": "x"},
        {"kind": "feed", "target": "not a url"},
        {"kind": "feed", "target": "https://x.example/f", "every": "often"},
        {"kind": "mastodon", "target": "https://m.example"},  # neither hashtag nor account
    ],
)
def test_bad_sources_are_explained_and_not_added(admin_client, form):
    response = admin_client.post(reverse("console-sources"), form, follow=True)
    assert any("not added" in str(m) or "Choose" in str(m) for m in response.context["messages"])
    assert not Source.objects.exists()
