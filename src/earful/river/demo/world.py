"""The fictional world of the demo: a gadget maker, its products, two rivals, a store tour.

Every name here is invented; web addresses use the reserved `.example` domain so that
nothing in the demo points at a real site.
"""

from __future__ import annotations

from dataclasses import dataclass

BRAND = "Halvora"
BRAND_SITE = "halvora.example"
BLOG_URL = "https://blog.halvora.example"
BLOGGER = "Mira Castell"
BLOGGER_FIRST = "Mira"
FIRMWARE = "HalvoraOS 4.2"  # the update behind the battery complaint wave
FIRMWARE_FIX = "4.2.1"
TOUR_TAG = "#40in40"
TOUR_STORES = 40

# Days before "now" of the story's events.
BATTERY_WAVE_DAY = 20  # the firmware update ships; complaints peak a day later
BATTERY_FIX_DAY = 14  # the fix ships
LAUNCH_DAY = 9  # the Arc 2 watch launches
TOUR_FIRST_DAY = 38  # stop 1; one stop a day, so the tour is still on
HISTORY_DAYS = 60


@dataclass(frozen=True)
class Product:
    name: str  # as people write it after the brand: "Strata 7"
    noun: str  # what it is: "phone"
    price: int  # euros
    features: tuple[str, ...]  # things people praise
    flaws: tuple[str, ...]  # things people complain about

    @property
    def full_name(self) -> str:
        return f"{BRAND} {self.name}"


PHONE = Product(
    "Strata 7",
    "phone",
    799,
    ("the camera", "the screen", "the night mode", "the haptics", "the build quality"),
    ("the camera app", "the fingerprint reader", "the speaker", "the auto-brightness"),
)
EARBUDS = Product(
    "Tide Buds",
    "earbuds",
    179,
    ("the noise cancelling", "the sound", "the fit", "the transparency mode"),
    ("the case hinge", "the left bud", "the Bluetooth pairing", "the touch controls"),
)
WATCH = Product(
    "Arc 2",
    "smartwatch",
    329,
    ("the sleep tracking", "the display", "the GPS", "the heart-rate sensor"),
    ("the strap", "the step counter", "the notifications", "the companion app"),
)
LAPTOP = Product(
    "Slate 14",
    "laptop",
    1299,
    ("the keyboard", "the trackpad", "the display", "the fanless design"),
    ("the webcam", "the hinge", "the USB-C port", "the Wi-Fi card"),
)
PRODUCTS = (PHONE, EARBUDS, WATCH, LAPTOP)
BATTERY_PRODUCTS = (PHONE, PHONE, PHONE, WATCH, EARBUDS)  # the phone got the bad update


@dataclass(frozen=True)
class Competitor:
    name: str
    product: str
    noun: str


COMPETITORS = (
    Competitor("Trenmo", "Nova X9", "phone"),
    Competitor("Vexley", "Aura Buds", "earbuds"),
)

# One stop a day, in tour order.
TOUR_CITIES = (
    "Lisbon", "Porto", "Seville", "Madrid", "Valencia", "Barcelona", "Marseille", "Lyon",
    "Geneva", "Zurich", "Milan", "Turin", "Nice", "Toulouse", "Bordeaux", "Nantes",
    "Paris", "Lille", "Brussels", "Antwerp", "Rotterdam", "Amsterdam", "Utrecht", "Cologne",
    "Düsseldorf", "Frankfurt", "Stuttgart", "Munich", "Vienna", "Prague", "Dresden",
    "Berlin", "Leipzig", "Hamburg", "Copenhagen", "Malmö", "Gothenburg", "Oslo",
    "Stockholm", "Helsinki",
)  # fmt: skip
assert len(TOUR_CITIES) == TOUR_STORES


def tour_stop_days_ago(stop: int) -> int:
    """Days before now of stop `stop` (1-based); negative for stops still to come."""
    return TOUR_FIRST_DAY - (stop - 1)


@dataclass(frozen=True)
class TopicSpec:
    name: str
    kind: str
    query: str
    colour: str


TOPICS = (
    TopicSpec(BRAND, "brand", f'halvora* OR site:{BRAND_SITE} OR "{BLOGGER.lower()}"', "#4f46e5"),
    TopicSpec("Trenmo", "competitor", 'trenmo OR "nova x9"', "#dc2626"),
    TopicSpec("Vexley", "competitor", 'vexley OR "aura buds"', "#d97706"),
    TopicSpec(
        "Strata 7 phone",
        "product",
        '"strata 7" OR strata7 OR (strata NEAR/3 (halvora OR phone))',
        "#0891b2",
    ),
    TopicSpec(
        "Tide Buds earbuds",
        "product",
        '"tide buds" OR (tide NEAR/3 (halvora OR earbuds OR buds))',
        "#0d9488",
    ),
    TopicSpec(
        "Arc 2 smartwatch",
        "product",
        '"arc 2" OR (arc NEAR/3 (halvora OR watch OR smartwatch))',
        "#7c3aed",
    ),
    TopicSpec(
        "Slate 14 laptop",
        "product",
        '"slate 14" OR (slate NEAR/3 (halvora OR laptop))',
        "#2563eb",
    ),
    TopicSpec(
        "Battery life",
        "theme",
        "battery OR batteries OR batterie OR akku OR batería OR bateria OR recharg* "
        'OR "battery life" OR (drain* NEAR/5 (phone OR overnight OR percent)) OR '
        "(percent NEAR/8 hours) OR (lasts NEAR/4 day)",
        "#16a34a",
    ),
    TopicSpec(
        "Customer support",
        "theme",
        'support OR "customer service" OR warranty OR refund* OR (ticket NEAR/5 (open* OR '
        'support)) OR "service client" OR "service après-vente" OR kundendienst OR '
        "kundenservice OR soporte OR garantie OR garantía",
        "#db2777",
    ),
    TopicSpec(
        "Shipping and delivery",
        "theme",
        "shipping OR shipped OR delivery OR delivered OR courier OR parcel OR livraison OR "
        "livré OR colis OR lieferung OR geliefert OR paket OR envío OR pedido OR "
        '"pre-order" OR preorder*',
        "#ea580c",
    ),
    TopicSpec(
        "Price",
        "theme",
        "(price OR prices OR pricing OR overpriced OR expensive OR cheaper OR discount* OR "
        "prix OR cher OR preis OR teuer OR precio OR caro OR (worth NEAR/3 money)) NOT "
        "(casino OR giveaway)",
        "#ca8a04",
    ),
    TopicSpec(
        "Store tour",
        "theme",
        f'"40 stores" OR "40 days" OR "of 40" OR "sur 40" OR "von 40" OR "de 40" OR 40in40 OR '
        f'"{BLOGGER.lower()}" OR ((tour OR tournée OR gira) NEAR/6 (store OR stores OR stop OR '
        "mira OR halvora OR magasin OR tienda))",
        "#9333ea",
    ),
)
