"""The worker awards badges: its scheduler queues a badge round every ten minutes, and
`earful worker --once` runs one at once."""

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from earful.community import tasks
from earful.community.models import BadgeAward

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_schedule(monkeypatch):
    monkeypatch.setattr(tasks, "_last_badges", 0.0)


def queued() -> int:
    return DBTaskResult.objects.filter(task_path__endswith="award_badges_task").count()


def test_the_scheduler_queues_a_badge_round_every_ten_minutes(fresh_schedule, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(tasks.time, "monotonic", lambda: clock[0])
    assert tasks.enqueue_community_work() == {"badges_queued": True}
    clock[0] += 60
    assert tasks.enqueue_community_work() == {"badges_queued": False}
    clock[0] += tasks.BADGES_EVERY_SECONDS
    assert tasks.enqueue_community_work() == {"badges_queued": True}
    assert queued() == 2


# The worker closes its database connections as a real one does: a transactional test.
@pytest.mark.django_db(transaction=True)
def test_the_worker_awards_badges(fresh_schedule, seeded_community, question, asker):
    call_command("worker", "--once")
    assert BadgeAward.objects.filter(user=asker, badge__slug="curious").exists()
    assert DBTaskResult.objects.get(task_path__endswith="award_badges_task").status == "SUCCESSFUL"


def test_the_task_reports_what_it_gave(settings, question):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    result = tasks.award_badges_task.enqueue()
    assert result.return_value == {"awarded": {"curious": 1}, "unknown_rules": []}
