"""The demo ideas board: Halvora's customers asking for things, voting and arguing, and
staff moving ideas along (one of them done). Seeding twice adds nothing."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.text import slugify

from .actions.comments import comment_on_idea
from .actions.ideas import submit_idea
from .actions.statuses import change_status
from .actions.votes import vote
from .models import Category, Idea, Status

CATEGORIES = ["Strata 7 phone", "Tide Buds", "Arc 2 watch", "Stores and service"]
CUSTOMERS = ["ola", "ben_k", "sophie", "grumpy_gadgets", "lena", "marco", "yuki", "pieter"]

# title, body, category, author, voters (indexes into CUSTOMERS), comments, status slug, note
IDEAS = [
    (
        "Show battery health in settings",
        "After the last update my Strata 7 drains fast. Tell us the battery's health so we "
        "know whether it is the battery or the software.",
        0,
        3,
        [0, 1, 2, 4, 5, 6],
        [(1, "Yes please, the same as on laptops.")],
        "planned",
        "We are adding a battery health page to the next firmware.",
    ),
    (
        "Repairs in store while you wait",
        "Screen repairs take three weeks by post. Let stores swap screens in an hour.",
        3,
        1,
        [1, 2, 7],
        [(7, "Munich already does this for some models.")],
        "under-review",
        "We are talking to the store teams about it.",
    ),
    (
        "Multipoint pairing for Tide Buds",
        "Connect the buds to my phone and my laptop at the same time.",
        1,
        2,
        [0, 2, 3, 4, 5, 6, 7],
        [(4, "This is the one thing I miss.")],
        "done",
        "Multipoint pairing shipped in Tide Buds firmware 2.4. Thank you all!",
    ),
    (
        "A sleep mode that really lasts on the Arc 2",
        "Sleep tracking drains the watch overnight. A low-power sleep mode would help.",
        2,
        6,
        [3, 6],
        [],
        "",
        "",
    ),
    (
        "Bring the tour to Leipzig",
        "The 40 stores tour skips Leipzig. We would come!",
        3,
        2,
        [0, 2],
        [(0, "And Dresden!")],
        "declined",
        "This tour is fully planned, but Leipzig is first on the list for the next.",
    ),
]


def _customers():
    users = []
    for name in CUSTOMERS:
        user, created = get_user_model().objects.get_or_create(
            username=name, defaults={"email": f"{name}@example.org"}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        users.append(user)
    return users


def seed_board(staff) -> dict[str, int]:
    """`staff` changes the statuses (a user allowed to manage ideas)."""
    categories = []
    for order, name in enumerate(CATEGORIES):
        category, _ = Category.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "order": order}
        )
        categories.append(category)
    customers = _customers()
    created = {"ideas": 0, "votes": 0}
    for title, body, category, author, voters, comments, status, note in IDEAS:
        if Idea.objects.filter(title=title).exists():
            continue
        idea = submit_idea(customers[author], title=title, body=body, category=categories[category])
        created["ideas"] += 1
        for voter in voters:
            created["votes"] += vote(idea, customers[voter])
        for writer, text in comments:
            comment_on_idea(idea, customers[writer], text)
        if status:
            change_status(idea, Status.objects.get(slug=status), note, staff)
    return created
