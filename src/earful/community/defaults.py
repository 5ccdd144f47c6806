"""The points, levels and badges a new community starts with (seeded by migration 0002;
staff change them in the admin afterwards)."""

from __future__ import annotations

# kind: (points, counts toward the daily cap)
POINTS: dict[str, tuple[int, bool]] = {
    "question_upvoted": (5, True),
    "question_downvoted": (-2, False),
    "answer_upvoted": (10, True),
    "answer_downvoted": (-2, False),
    "downvote_cast": (-1, False),
    "answer_accepted": (15, False),
    "accepted_answer": (2, False),
    "answer_official": (10, False),
    "helpful_flag": (2, True),
    "report_approved": (20, False),
    "removed_as_spam": (-100, False),
}

# number, name, threshold, privileges unlocked there, posts per hour
LEVELS: list[tuple[int, str, int, list[str], int]] = [
    (0, "Newcomer", 0, [], 5),
    (1, "Member", 15, ["post_links"], 20),
    (2, "Regular", 100, ["flag_to_hide"], 40),
    (3, "Expert", 500, ["edit_others"], 60),
    (4, "Guide", 2000, ["moderate"], 120),
]

# slug, name, description, tier, rule, threshold
BADGES: list[tuple[str, str, str, str, str, int]] = [
    ("curious", "Curious", "Asked a first question", "bronze", "questions_asked", 1),
    ("helper", "Helper", "Wrote a first answer", "bronze", "answers_written", 1),
    ("solver", "Solver", "Had an answer accepted", "bronze", "answers_accepted", 1),
    ("teacher", "Teacher", "Answer with a score of 5 or more", "bronze", "answer_score", 5),
    ("problem-solver", "Problem solver", "10 accepted answers", "silver", "answers_accepted", 10),
    (
        "great-answer",
        "Great answer",
        "Answer with a score of 25 or more",
        "gold",
        "answer_score",
        25,
    ),
    (
        "good-question",
        "Good question",
        "Question with a score of 10 or more",
        "silver",
        "question_score",
        10,
    ),
    ("voter", "Voter", "Cast 30 votes", "bronze", "votes_cast", 30),
    (
        "ambassador",
        "Ambassador",
        "A first ambassador report approved",
        "bronze",
        "reports_approved",
        1,
    ),
    (
        "town-crier",
        "Town crier",
        "10 ambassador reports approved",
        "silver",
        "reports_approved",
        10,
    ),
    ("trusted", "Trusted", "Reached level 3", "gold", "level_reached", 3),
]
