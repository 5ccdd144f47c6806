"""The demo support community: Halvora's customers helping each other with the Strata 7,
the Tide Buds, the Arc 2 and the Slate 14, a couple of long-standing helpers carried over
from the old forum, staff marking official answers, and one ambassador whose word-of-mouth
reports were approved.

Everything goes through the community's actions, so the ledger, levels, counters and the
river are the real thing. Every step looks for its result first (a question by title, an
answer by its text, a vote by its voter), so seeding twice, or again after an interrupted
run, adds nothing twice. The texts are fixed and the choices are positional: the same
community every time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from .actions import ambassadors
from .actions.answers import accept_answer, mark_official
from .actions.posts import answer_question, ask_question, comment_on
from .actions.reputation import adjust, member_of
from .actions.votes import user_votes, vote
from .badges import award_badges
from .models import (
    AmbassadorApplication,
    AmbassadorReport,
    Answer,
    Category,
    Comment,
    Decision,
    EventKind,
    Question,
    ReputationEvent,
)

# slug, name, description
CATEGORIES = [
    ("strata-7", "Strata 7 phone", "Battery, camera, updates and everything else on the Strata 7"),
    ("tide-buds", "Tide Buds", "Pairing, fit, sound and the charging case"),
    ("arc-2", "Arc 2 watch", "Tracking, straps, notifications and battery life"),
    ("slate-14", "Slate 14 laptop", "Keyboard, display, sleep and the dock"),
    ("orders-repairs", "Orders and repairs", "Deliveries, returns, warranty and store repairs"),
]

OLD_FORUM = "Carried over from the old Halvora forum"
# username, points carried over from the old forum (0: a new member)
MEMBERS = [
    ("nadia_r", 640),  # Expert: edits others' posts
    ("tomasz", 210),  # Regular
    ("lea_fix", 120),  # Regular
    ("jonas", 0),
    ("priya", 0),
    ("mika", 0),
    ("oskar", 0),
    ("elif", 0),
    ("dan_w", 0),
    ("chloe", 0),
    ("ravi", 0),
    ("amelie", 0),
    ("kofi", 0),
    ("ines", 0),
    ("sam_b", 0),
    ("yara", 0),
]
AMBASSADOR = "lotte"
STAFF = "staff"  # an answer written by the staff member seeding the demo


@dataclass
class A:
    """An answer: its writer, text, how many upvotes and downvotes it gets, accepted by the
    asker, marked official by staff, and comments under it (writer, text)."""

    by: str
    text: str
    up: int = 0
    down: int = 0
    accepted: bool = False
    official: bool = False
    comments: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Q:
    title: str
    body: str
    category: str
    by: str
    days_ago: int
    tags: list[str]
    up: int = 0
    answers: list[A] = field(default_factory=list)
    comments: list[tuple[str, str]] = field(default_factory=list)


QUESTIONS = [
    Q(
        "Strata 7 battery drains overnight since firmware 4.2",
        "Since updating to 4.2 my Strata 7 loses about 35% overnight with the screen off. "
        "Before the update it was 5% at most. Nothing new installed. Is anyone else seeing "
        "this?",
        "strata-7",
        "jonas",
        41,
        ["battery", "firmware"],
        up=9,
        answers=[
            A(
                "nadia_r",
                "Go to Settings > Connections > Nearby devices and switch off "
                "'Wake on nearby devices'. 4.2 turned it on for everyone and it keeps the "
                "radio awake all night. Mine went from 30% to 4% overnight.",
                up=12,
                accepted=True,
                comments=[("jonas", "That was it. 3% last night. Thank you!")],
            ),
            A(
                STAFF,
                "Thanks for the reports. Firmware 4.2.1, rolling out this week, turns "
                "'Wake on nearby devices' off again by default and fixes a wakelock in the "
                "sync service. Until then the setting Nadia describes is the workaround.",
                up=7,
                official=True,
            ),
            A("priya", "Same here. A restart after the update did not help on mine.", up=1),
        ],
        comments=[("mika", "Same on my Strata 7, started the day after the update.")],
    ),
    Q(
        "How do I pair Tide Buds with my laptop and phone at once?",
        "I use the buds with my Strata 7 and my work laptop. Every time I switch I have to "
        "unpair and pair again. Is there a way to keep both connected?",
        "tide-buds",
        "priya",
        38,
        ["pairing", "multipoint"],
        up=6,
        answers=[
            A(
                "tomasz",
                "Update the buds to firmware 2.4 in the Halvora app, then turn on "
                "Multipoint under Buds > Connections. After that pair the laptop once as "
                "usual; both stay connected and audio follows whichever plays.",
                up=8,
                accepted=True,
            ),
            A(
                "lea_fix",
                "Multipoint works, but calls always go to the device that rang "
                "first. Music switches by itself, calls do not.",
                up=3,
            ),
        ],
    ),
    Q(
        "Arc 2 sleep tracking empties the battery by morning",
        "With sleep tracking on, my Arc 2 goes from 60% at bedtime to nearly empty by 7. "
        "Without it I get three days. Is that normal?",
        "arc-2",
        "mika",
        36,
        ["battery", "sleep"],
        up=7,
        answers=[
            A(
                "nadia_r",
                "Blood-oxygen readings every minute are the culprit. In the app "
                "go to Health > Sleep and set SpO2 to 'every 30 minutes'. You lose little "
                "detail and keep most of the battery.",
                up=9,
                accepted=True,
            ),
            A(
                STAFF,
                "Sleep mode with SpO2 every minute uses about 40% a night; that is "
                "expected with the current firmware. A low-power sleep profile is planned "
                "for the next watch update.",
                up=4,
                official=True,
            ),
        ],
    ),
    Q(
        "Slate 14 will not wake from sleep with the lid closed on the dock",
        "When the Slate 14 sleeps on the Halvora dock with the lid closed, pressing a key "
        "on the external keyboard does nothing. I have to open the lid. Any setting for "
        "this?",
        "slate-14",
        "oskar",
        33,
        ["sleep", "dock"],
        up=4,
        answers=[
            A(
                "tomasz",
                "In the BIOS (press F2 at start) enable 'Wake on USB in S3'. It is "
                "off by default. Also update the dock firmware from the Halvora app; 1.3 "
                "fixed wake over USB-C for me.",
                up=6,
                accepted=True,
                comments=[("oskar", "The BIOS switch did it. Thanks!")],
            ),
        ],
    ),
    Q(
        "Strata 7 camera blurry in low light after update",
        "Night shots look smeared since the last update, as if the phone moves during the "
        "exposure. Daylight photos are fine.",
        "strata-7",
        "elif",
        31,
        ["camera"],
        up=5,
        answers=[
            A(
                "lea_fix",
                "Night mode now takes a longer exposure. Hold still until the "
                "circle finishes, or lean the phone on something. You can shorten it by "
                "tapping the moon icon and choosing 1 s.",
                up=5,
                accepted=True,
            ),
            A(
                "dan_w",
                "Also clean the lens. Mine had a fingerprint and it looked exactly like this.",
                up=2,
            ),
        ],
    ),
    Q(
        "Tide Buds left bud does not charge in the case",
        "The right bud charges fine, the left one stays at 20% overnight in the case. The "
        "light on the case turns green anyway.",
        "tide-buds",
        "dan_w",
        30,
        ["charging", "case"],
        up=3,
        answers=[
            A(
                "nadia_r",
                "Check the two gold pins at the bottom of the left slot. Earwax "
                "or lint stops the contact. A dry cotton bud cleans them; no water.",
                up=7,
                accepted=True,
            ),
            A(
                STAFF,
                "If cleaning the contacts does not help, the case is covered by the "
                "warranty: open a repair under Orders and repairs in the app and we send a "
                "new case before you send the old one back.",
                up=3,
                official=True,
            ),
        ],
    ),
    Q(
        "Arc 2 notifications stop after a few hours",
        "Notifications from my Strata 7 come through in the morning and then stop by "
        "lunchtime. Re-opening the Halvora app brings them back.",
        "arc-2",
        "chloe",
        29,
        ["notifications"],
        up=4,
        answers=[
            A(
                "tomasz",
                "Battery optimisation puts the Halvora app to sleep. Settings > "
                "Apps > Halvora > Battery > 'Unrestricted'. The watch needs the app running "
                "to pass notifications.",
                up=6,
                accepted=True,
            ),
        ],
        comments=[("ravi", "Happens to me too, on a Strata 6.")],
    ),
    Q(
        "Is the Slate 14 keyboard backlight adjustable?",
        "I only find on and off for the keyboard light. In a dark train it is too bright.",
        "slate-14",
        "ravi",
        27,
        ["keyboard"],
        up=2,
        answers=[
            A(
                "lea_fix",
                "Fn + F4 cycles through three levels, and the Halvora Control "
                "app has a slider with ten. The off-after-30-seconds option is there too.",
                up=4,
                accepted=True,
            ),
        ],
    ),
    Q(
        "My order shows delivered but nothing arrived",
        "Tracking says my Tide Buds were delivered yesterday at 14:10, but nobody rang and "
        "nothing is at the door or with the neighbours. What now?",
        "orders-repairs",
        "amelie",
        26,
        ["delivery"],
        up=2,
        answers=[
            A(
                STAFF,
                "Sorry about that. Write to us from Orders in the app with the order "
                "number; if the carrier cannot find it within two working days we send a "
                "replacement at no cost.",
                up=5,
                official=True,
                accepted=True,
            ),
            A(
                "kofi",
                "Check the parcel lockers nearby as well. Mine ended up in one and "
                "the notice came a day later.",
                up=2,
            ),
        ],
    ),
    Q(
        "Strata 7 gets warm while charging wirelessly",
        "On the Halvora wireless pad the phone gets quite warm and charging slows down "
        "after 70%. Is that safe?",
        "strata-7",
        "kofi",
        25,
        ["charging", "heat"],
        up=3,
        answers=[
            A(
                "nadia_r",
                "Warm is normal, hot is not. The phone slows charging past 70% "
                "on purpose to protect the battery. Take the case off if it is a thick one; "
                "that makes the biggest difference.",
                up=6,
                accepted=True,
            ),
        ],
    ),
    Q(
        "Tide Buds sound thin compared to the shop demo",
        "In the shop the buds had much more bass. At home they sound thin. Same phone.",
        "tide-buds",
        "ines",
        24,
        ["sound", "fit"],
        up=5,
        answers=[
            A(
                "tomasz",
                "Almost always the fit. Try the larger ear tips from the box; the "
                "Fit test in the app tells you when the seal is right. The demo units had "
                "the large tips on.",
                up=9,
                accepted=True,
                comments=[("ines", "Large tips and it is a different product. Wow.")],
            ),
            A("elif", "The equaliser in the app also has a 'Bass boost' preset.", up=2),
        ],
    ),
    Q(
        "Can I swim with the Arc 2?",
        "The box says water resistant. Can I wear the watch in a pool? What about the sea?",
        "arc-2",
        "sam_b",
        23,
        ["water"],
        up=3,
        answers=[
            A(
                STAFF,
                "Yes: the Arc 2 is rated 5 ATM, fine for pool and sea swimming. Rinse "
                "it with fresh water after salt water and avoid saunas and hot tubs.",
                up=6,
                official=True,
            ),
            A(
                "lea_fix",
                "Use Swim mode so the touchscreen locks; otherwise water presses buttons for you.",
                up=4,
                accepted=True,
            ),
        ],
    ),
    Q(
        "Slate 14 fan is loud during video calls",
        "As soon as I start a video call the fan spins up and stays loud. The laptop is "
        "otherwise quiet.",
        "slate-14",
        "yara",
        22,
        ["fan", "performance"],
        up=3,
        answers=[
            A(
                "nadia_r",
                "Background blur runs on the processor in most call apps. Turn it "
                "off, or switch the call app to use the graphics chip in its settings. The "
                "'Quiet' power profile in Halvora Control also caps the fan.",
                up=5,
                accepted=True,
            ),
        ],
    ),
    Q(
        "How long does a Strata 7 screen repair take in store?",
        "I cracked the screen. The website says repairs by post take up to three weeks. "
        "Can a store do it faster?",
        "orders-repairs",
        "jonas",
        21,
        ["repair", "screen"],
        up=4,
        answers=[
            A(
                "tomasz",
                "The Munich and Hamburg stores swap Strata 7 screens while you wait "
                "if you book a slot in the app. Took 50 minutes for me.",
                up=5,
            ),
            A(
                STAFF,
                "Same-day screen repairs are available in our Munich, Hamburg and "
                "Leipzig stores with a booking; more stores follow this spring.",
                up=4,
                official=True,
                accepted=True,
            ),
        ],
    ),
    Q(
        "Strata 7 does not show up on my Windows PC",
        "When I connect the phone by cable, Windows charges it but does not show the files.",
        "strata-7",
        "chloe",
        20,
        ["usb", "files"],
        up=2,
        answers=[
            A(
                "lea_fix",
                "Pull down the notification shade after connecting and change "
                "'Charging only' to 'File transfer'. Some cables only carry power, too; try "
                "the one from the box.",
                up=5,
                accepted=True,
            ),
        ],
    ),
    Q(
        "Tide Buds keep disconnecting on the train",
        "On my commute the buds cut out every few seconds. At home they are perfect.",
        "tide-buds",
        "oskar",
        19,
        ["bluetooth"],
        up=3,
        answers=[
            A(
                "nadia_r",
                "Crowded trains are full of Bluetooth and the phone in a back "
                "pocket blocks the signal with your body. Put the phone in a front pocket "
                "or a jacket, and turn off 'High quality audio' in the app; the lower "
                "bitrate survives interference far better.",
                up=6,
                accepted=True,
            ),
        ],
    ),
    Q(
        "Arc 2 strap sizes: will the large fit a 21 cm wrist?",
        "I want to order an extra strap. My wrist is 21 cm. Small, medium or large?",
        "arc-2",
        "priya",
        18,
        ["strap"],
        up=1,
        answers=[
            A(
                "tomasz",
                "Large fits 17-23 cm, so yes, with a few holes to spare.",
                up=3,
                accepted=True,
            ),
        ],
    ),
    Q(
        "Slate 14 display flickers at low brightness",
        "Below about 20% brightness the screen flickers slightly. It is tiring for my eyes.",
        "slate-14",
        "elif",
        17,
        ["display"],
        up=6,
        answers=[
            A(
                "lea_fix",
                "That is the dimming method of the panel. Halvora Control has "
                "'DC dimming' under Display since version 3.1; it removes the flicker at "
                "the cost of slightly less even greys.",
                up=7,
                accepted=True,
            ),
            A(
                STAFF,
                "DC dimming is the recommended setting if you notice flicker; it "
                "becomes the default in the next update.",
                up=3,
                official=True,
            ),
        ],
    ),
    Q(
        "Returning Tide Buds after 20 days?",
        "I bought the buds 20 days ago and they do not fit my ears. Can I still return them?",
        "orders-repairs",
        "ravi",
        16,
        ["returns"],
        up=1,
        answers=[
            A(
                STAFF,
                "Yes. Purchases in our shop can be returned for 30 days, opened or "
                "not. Start the return from Orders in the app and print the label.",
                up=3,
                official=True,
                accepted=True,
            ),
        ],
    ),
    Q(
        "Strata 7 always-on display missing after update",
        "The always-on display option disappeared from the settings after 4.2.",
        "strata-7",
        "amelie",
        15,
        ["display", "firmware"],
        up=4,
        answers=[
            A(
                "tomasz",
                "It moved: Settings > Lock screen > Always on. The search in "
                "settings finds it too.",
                up=6,
                accepted=True,
            ),
        ],
        comments=[("dan_w", "Found it there, thanks. Odd place for it.")],
    ),
    Q(
        "Tide Buds case scratches easily",
        "After a month in my pocket the glossy case looks terrible. Are there covers?",
        "tide-buds",
        "kofi",
        14,
        ["case"],
        up=2,
        answers=[
            A(
                "lea_fix",
                "The silicone sleeve from the Halvora shop fits well and still "
                "charges wirelessly. Keys in the same pocket are the usual cause.",
                up=3,
            ),
        ],
    ),
    Q(
        "Arc 2 heart rate jumps during running",
        "During runs the heart rate sometimes shows 180 when I am clearly at 140.",
        "arc-2",
        "ines",
        12,
        ["heart-rate", "running"],
        up=5,
        answers=[
            A(
                "nadia_r",
                "Wear the watch two fingers above the wrist bone and a notch "
                "tighter while running. Cadence lock is a known effect of optical sensors: "
                "it picks up your steps instead of your pulse.",
                up=6,
                accepted=True,
            ),
            A("sam_b", "A chest strap pairs with the Arc 2 too, if you want exact numbers.", up=2),
        ],
    ),
    Q(
        "Slate 14 battery life much lower than advertised",
        "Halvora says 14 hours; I get 7 with office work and a browser.",
        "slate-14",
        "sam_b",
        11,
        ["battery"],
        up=4,
        answers=[
            A(
                "tomasz",
                "Browser tabs with video ads eat the most. The 'Balanced' power "
                "profile and 60 Hz instead of 120 Hz add around three hours here.",
                up=4,
                accepted=True,
            ),
        ],
    ),
    Q(
        "Does the Strata 7 support eSIM?",
        "My carrier offers eSIM. Does the Strata 7 have it, and can I use it with a physical SIM?",
        "strata-7",
        "yara",
        9,
        ["esim"],
        up=2,
        answers=[
            A(
                STAFF,
                "Yes: one eSIM and one physical SIM, both active at once. Add the "
                "eSIM under Settings > Connections > SIM cards.",
                up=3,
                official=True,
                accepted=True,
            ),
        ],
    ),
    Q(
        "Tide Buds microphone sounds muffled on calls",
        "People tell me I sound far away on calls with the buds.",
        "tide-buds",
        "jonas",
        7,
        ["microphone", "calls"],
        up=3,
        answers=[
            A(
                "lea_fix",
                "Check the small mesh at the bottom of each stem; it clogs. Also "
                "turn off 'Noise reduction: strong'; the medium setting keeps the voice "
                "clearer.",
                up=3,
            ),
        ],
    ),
    Q(
        "Arc 2 will not update, stuck at 0%",
        "The watch update starts and stays at 0% for hours.",
        "arc-2",
        "dan_w",
        6,
        ["firmware"],
        up=2,
        answers=[
            A(
                "tomasz",
                "The watch needs 50% battery and must sit on the charger. Restart "
                "both watch and phone, keep them close, and start the update again.",
                up=3,
                accepted=True,
            ),
        ],
    ),
    Q(
        "Slate 14 dock does not drive two monitors",
        "Only one of my two monitors works through the dock. Both work directly.",
        "slate-14",
        "mika",
        5,
        ["dock", "display"],
        up=2,
        answers=[
            A(
                "nadia_r",
                "Two monitors need the dock's DisplayPort and HDMI outputs, not "
                "two HDMI via an adapter, and dock firmware 1.3 or newer.",
                up=2,
            ),
        ],
    ),
    Q(
        "Strata 7 vibration too weak",
        "I miss calls because the vibration is so soft. Can it be stronger?",
        "strata-7",
        "ines",
        4,
        ["vibration"],
        up=1,
        answers=[
            A(
                "lea_fix",
                "Settings > Sound > Vibration intensity has a slider; it is set "
                "to medium by default.",
                up=1,
            ),
        ],
    ),
    Q(
        "Arc 2 shows the wrong time after travelling",
        "Back from New York the watch still shows New York time.",
        "arc-2",
        "amelie",
        2,
        ["time"],
        up=0,
        answers=[],
        comments=[("tomasz", "Does the phone show the right time? The watch follows it.")],
    ),
    Q(
        "Tide Buds case lid feels loose",
        "The lid of my charging case wobbles and sometimes opens in my bag.",
        "tide-buds",
        "yara",
        1,
        ["case"],
        up=0,
    ),
]

# A newcomer's first post has a link, so it waits in the moderators' review queue.
NEWCOMER = "felix_n"
HELD = Q(
    "Strata 7 screen protector that works with the fingerprint reader?",
    "I bought one from a shop online and the fingerprint reader stopped working. Which one "
    "works? This is the one I have: https://shop.example.com/protector-strata7",
    "strata-7",
    NEWCOMER,
    0,
    ["screen"],
)

AMBASSADOR_MOTIVATION = (
    "I run a weekly repair café in Leipzig and people ask me about their headphones and "
    "phones all the time. I would like to tell them about Halvora with the facts at hand."
)
# place, audience, what was said, category slug, days ago, approve?
REPORTS = [
    (
        "Repair café, Leipzig-Plagwitz",
        "about fifteen visitors",
        "Showed how to clean the Tide Buds charging contacts; three people fixed their "
        "charging problem on the spot and asked where to buy the silicone sleeve.",
        "tide-buds",
        20,
        True,
    ),
    (
        "University library café",
        "two students",
        "They were choosing between the Slate 14 "
        "and a Vexley laptop. I let them try the keyboard and showed DC dimming; one ordered "
        "the Slate the same evening.",
        "slate-14",
        12,
        True,
    ),
    (
        "Running club, Sunday long run",
        "the pace group of six",
        "Talked about the Arc 2 heart rate on runs and how to wear it; two want the chest "
        "strap pairing explained at the next run.",
        "arc-2",
        3,
        False,
    ),
]


def _user(username: str):
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.org"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    member_of(user)
    return user


def _carried_over(user, points: int, staff) -> None:
    if (
        points
        and not ReputationEvent.objects.filter(
            user=user, kind=EventKind.ADJUSTMENT, note=OLD_FORUM
        ).exists()
    ):
        adjust(user, points, actor=staff, note=OLD_FORUM)


def _vote_up(post, voters, count: int, value: int = 1) -> int:
    """Give the post `count` votes of `value` from the first voters who are not its
    author (those who already voted count, and are not asked again); the new votes."""
    kind = "question" if isinstance(post, Question) else "answer"
    given = new = 0
    for voter in voters:
        if given >= count:
            break
        if voter.pk == post.author_id:
            continue
        mine = user_votes(voter, **{f"{kind}s": [post.pk]}).get(f"{kind}-{post.pk}")
        if mine is None:
            vote(post, voter, value)
            new += 1
        given += 1
    return new


def _comment(user, text: str, **target) -> bool:
    if Comment.objects.filter(author=user, body=text, **target).exists():
        return False
    comment_on(user, text, **target)
    return True


class _Seeder:
    def __init__(self, staff) -> None:
        self.staff = staff
        self.users = {name: _user(name) for name, _ in MEMBERS}
        self.users[STAFF] = staff
        self.users[NEWCOMER] = _user(NEWCOMER)
        self.categories = {}
        self.created = {"questions": 0, "answers": 0, "comments": 0, "votes": 0, "reports": 0}
        self.now = timezone.now()

    def voters(self, offset: int):
        """Everyone but staff, in a rotating order so votes spread over members."""
        names = [name for name, _ in MEMBERS]
        offset %= len(names)
        return [self.users[name] for name in names[offset:] + names[:offset]]

    def question(self, q: Q, position: int) -> Question:
        found = Question.objects.filter(title=q.title).first()
        if found is None:
            found = ask_question(
                self.users[q.by], title=q.title, body=q.body,
                category=self.categories[q.category], tags=q.tags,
                now=self.now - timedelta(days=q.days_ago, hours=position % 7),
            )  # fmt: skip
            self.created["questions"] += 1
        self.created["votes"] += _vote_up(found, self.voters(position), q.up)
        for writer, text in q.comments:
            self.created["comments"] += _comment(self.users[writer], text, question=found)
        for number, a in enumerate(q.answers):
            self.answer(found, q, a, position + number)
        return found

    def answer(self, question: Question, q: Q, a: A, position: int) -> Answer:
        writer = self.users[a.by]
        found = Answer.objects.filter(question=question, author=writer, body=a.text).first()
        if found is None:
            when = question.created_at + timedelta(hours=3 + position % 20)
            found = answer_question(question, writer, a.text, now=min(when, self.now))
            self.created["answers"] += 1
        voters = self.voters(position * 3)
        self.created["votes"] += _vote_up(found, voters, a.up)
        self.created["votes"] += _vote_up(found, voters[::-1], a.down, -1)
        if a.official:
            mark_official(found, self.staff)
        if a.accepted and not found.is_accepted:
            accept_answer(found, self.users[q.by])
        for commenter, text in a.comments:
            self.created["comments"] += _comment(self.users[commenter], text, answer=found)
        return found

    def ambassador(self) -> None:
        user = _user(AMBASSADOR)
        if ambassadors.status_of(user) != "ambassador":
            application = AmbassadorApplication.objects.filter(
                user=user, state=Decision.PENDING
            ).first() or ambassadors.apply(user, AMBASSADOR_MOTIVATION)
            ambassadors.decide_application(application, self.staff, True)
        for place, audience, said, category, days_ago, approve in REPORTS:
            report = AmbassadorReport.objects.filter(user=user, place=place).first()
            if report is None:
                report = ambassadors.submit_report(
                    user, place=place, audience=audience, said=said,
                    product=self.categories[category],
                    happened_on=timezone.localdate() - timedelta(days=days_ago),
                )  # fmt: skip
                self.created["reports"] += 1
            if approve and report.state == Decision.PENDING:
                ambassadors.decide_report(report, self.staff, True)

    def run(self) -> dict[str, int]:
        for order, (slug, name, description) in enumerate(CATEGORIES):
            self.categories[slug], _ = Category.objects.get_or_create(
                slug=slug, defaults={"name": name, "description": description, "order": order}
            )
        for name, points in MEMBERS:
            _carried_over(self.users[name], points, self.staff)
        for position, q in enumerate(QUESTIONS):
            self.question(q, position)
        if not Question.objects.filter(title=HELD.title).exists():
            self.question(HELD, len(QUESTIONS))
        self.ambassador()
        self.created["badges"] = award_badges().total
        return self.created


def seed_community(staff) -> dict[str, int]:
    """Seed the demo community; `staff` (a user who may manage the community) marks the
    official answers, approves the ambassador and writes the company's answers. Returns
    what was added this time."""
    return _Seeder(staff).run()
