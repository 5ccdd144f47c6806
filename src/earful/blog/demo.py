"""The demo blog: the lead blogger's tour diary, with readers arguing in the comments.
Seeding twice adds nothing (posts are found by slug, comments by their text)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from .actions.comments import moderate_comment, staff_reply, submit_comment
from .actions.posts import make_author, publish_post, save_post
from .models import Comment, Post

POSTS = [
    (
        "day-1-berlin",
        "Day 1 of 40: Berlin, and the first queue",
        "We opened the **40 stores in 40 days** tour at Alexanderplatz. The Strata 7 "
        "demo table was busy from the first minute.\n\n"
        "A few things we heard:\n\n- the camera at night impresses people\n"
        "- the battery question comes up every single time\n- nobody likes the case\n",
        ["Tour", "Strata 7"],
        9,
    ),
    (
        "day-2-hamburg",
        "Day 2 of 40: Hamburg in the rain",
        "Rain all day, and still a line outside. Today's theme: **repairs**. People want to "
        "know how long a screen repair takes and whether the store can do it.\n\n"
        "We wrote every question down and sent them to the service team.",
        ["Tour", "Repairs"],
        8,
    ),
    (
        "day-3-munich",
        "Day 3 of 40: Munich asks about the battery",
        "If Berlin was about the camera, Munich was about the battery. We ran a live "
        "test: 18 hours of mixed use on one charge.\n\nNext stop: Vienna.",
        ["Tour", "Strata 7", "Battery"],
        7,
    ),
]

READERS = [
    ("Ola", "ola@example.org"),
    ("Ben K.", "ben@example.org"),
    ("Sophie", "sophie@example.org"),
    ("grumpy_gadgets", "grumpy@example.org"),
]

COMMENTS = {
    "day-1-berlin": [
        (0, "Came by at noon, the night camera demo was stunning.", True),
        (1, "The queue was over an hour. Please add more demo tables!", True),
        (3, "The battery drains in half a day on mine. Nobody at the table could say why.", True),
        (2, "Will the tour come to Leipzig?", False),
    ],
    "day-2-hamburg": [
        (1, "Screen repair took three weeks last time. Is that going to get better?", True),
        (0, "Staff in Hamburg were lovely, thanks for the coffee.", True),
    ],
    "day-3-munich": [
        (3, "18 hours? Mine barely does 10 since the last update.", True),
        (2, "Same experience as the test: easily a day and a half for me.", True),
    ],
}


def seed_blog() -> dict[str, int]:
    user, _ = get_user_model().objects.get_or_create(
        username="maya", defaults={"first_name": "Maya", "last_name": "Lind"}
    )
    if not user.first_name:
        user.first_name, user.last_name = "Maya", "Lind"
        user.save(update_fields=["first_name", "last_name"])
    author = getattr(user, "blog_author", None) or make_author(
        user,
        bio="Head of communications. Currently visiting **40 stores in 40 days** and "
        "writing down everything you tell me.",
        slug="maya-lind",
    )
    now = timezone.now()
    created = {"posts": 0, "comments": 0}
    for slug, title, body, tags, days_ago in POSTS:
        post = Post.objects.filter(slug=slug).first()
        if post is None:
            post = save_post(author, title, body, slug=slug, tags=tags)
            publish_post(post, at=now - timedelta(days=days_ago), now=now)
            created["posts"] += 1
        for reader, text, approve in COMMENTS[slug]:
            if Comment.objects.filter(post=post, body=text).exists():
                continue
            name, email = READERS[reader]
            comment = submit_comment(
                post, body=text, name=name, email=email,
                now=post.published_at + timedelta(hours=2 + reader),
            )  # fmt: skip
            if approve and comment.status != Comment.Status.PUBLISHED:
                moderate_comment(comment, "approve", user)
            created["comments"] += 1
    first = Post.objects.get(slug="day-1-berlin")
    queue = Comment.objects.filter(post=first, body__startswith="The queue was").first()
    if queue and not Comment.objects.filter(parent=queue, staff=True).exists():
        staff_reply(first, user, "Noted, Ben: from Day 4 every store has two tables.", queue)
    return created
