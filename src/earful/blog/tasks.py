"""Background work of the blog, run by `earful worker`: scheduled publishing, verifying
received linkbacks, notifying the pages a post links to (with retries)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task


@task()
def send_linkbacks_task(post_id: int) -> dict:
    from .actions.outgoing import send_linkbacks
    from .models import Post

    post = Post.objects.filter(pk=post_id).first()
    if post is None:
        return {"post": post_id, "missing": True}
    links = send_linkbacks(post)
    return {"post": post_id, "links": {link.target_url: link.status for link in links}}


@task()
def verify_linkback_task(linkback_id: int) -> dict:
    from .actions.linkbacks import verify_linkback
    from .models import Linkback

    linkback = Linkback.objects.filter(pk=linkback_id).first()
    if linkback is None:
        return {"linkback": linkback_id, "missing": True}
    verify_linkback(linkback)
    return {"linkback": linkback_id, "status": linkback.status}


def enqueue_blog_work(now=None) -> dict:
    """What the worker's scheduler does for the blog on each round: publish posts whose
    time has come, and queue the retries of linkbacks that failed and are due again."""
    from .actions.posts import publish_due_posts
    from .models import OutgoingLink

    now = now or timezone.now()
    published = publish_due_posts(now)
    due = (
        OutgoingLink.objects.filter(status=OutgoingLink.Status.FAILED, next_attempt_at__lte=now)
        .values_list("post_id", flat=True)
        .distinct()
    )
    retried = list(due)
    for post_id in retried:
        send_linkbacks_task.enqueue(post_id)
    return {"published": [post.pk for post in published], "retried": retried}
