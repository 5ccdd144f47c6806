import pytest
from django.urls import reverse

from earful.inbox.models import AlertRule
from earful.river import actions as river

pytestmark = pytest.mark.django_db


def test_alerts_page_lists_and_creates_rules_for_listeners_only(client, user_with_roles):
    url = reverse("alerts")
    assert client.get(url).status_code == 302
    client.force_login(user_with_roles("responder"))
    assert client.get(url).status_code == 403

    client.force_login(user_with_roles("listener"))
    topic = river.add_topic("Battery", "battery")
    page = client.get(url)
    assert page.status_code == 200 and page.context["can_edit"]
    response = client.post(
        url,
        {"name": "battery spikes", "topic": str(topic.id), "metric": "volume", "bucket": "hour",
         "sigmas": "3", "min_count": "5", "cooldown": "60",
         "webhook_url": "https://hooks.example/earful"},
        follow=True,
    )  # fmt: skip
    rule = AlertRule.objects.get()
    assert (rule.topic, rule.window, rule.min_count) == (topic, 168, 5)
    assert rule.webhook_secret in response.content.decode()  # shown once
    assert rule.webhook_secret not in client.get(url).content.decode()

    client.post(reverse("alert-toggle", args=[rule.id]))
    rule.refresh_from_db()
    assert rule.enabled is False


@pytest.mark.parametrize(
    "form",
    [
        {"name": "", "email_to": "a@example.com"},
        {"name": "x", "email_to": "a@example.com", "sigmas": "lots"},
        {"name": "x", "email_to": "a@example.com", "topic": "999"},
        {"name": "x", "email_to": "a@example.com", "topic": "abc"},
        {"name": "x", "webhook_url": "javascript:alert(1)"},
        {"name": "x", "email_to": "a@example.com", "window": "-3"},
    ],
)
def test_bad_rule_forms_are_explained_and_create_nothing(client, user_with_roles, form):
    client.force_login(user_with_roles("listener"))
    response = client.post(reverse("alerts"), form, follow=True)
    assert response.status_code == 200
    assert any("not created" in str(m) for m in response.context["messages"])
    assert not AlertRule.objects.exists()


def test_admins_but_not_dashboard_only_users_may_create(client, user_with_roles):
    admin = user_with_roles("admin")
    client.force_login(admin)
    client.post(reverse("alerts"), {"name": "all", "email_to": "a@example.com"})
    assert AlertRule.objects.filter(name="all").exists()
