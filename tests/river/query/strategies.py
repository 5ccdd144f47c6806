"""Hypothesis strategies: small documents and queries over a shared little vocabulary, so
that random queries actually match random documents."""

from hypothesis import strategies as st

from earful.river.query import MatchDocument

WORDS = [
    "acme",
    "Acme's",
    "zephyr",
    "ZÉPHYR",
    "phone",
    "phones",
    "battery",
    "café",
    "cafe",
    "broken",
    "bug",
    "crème",
    "e-mail",
    "x²",
    "ﬁx",
    "straße",
    "İstanbul",
    "σας",
]
DECOR = ["", "", "", "#", "@", "(", "'", "😍", "-"]
QUERY_WORDS = [
    "acme",
    "zephyr",
    "phone",
    "phone*",
    "ph?ne",
    "batt*",
    "cafe",
    "CAFÉ",
    "bug",
    "#acme",
    "@zephyr",
    "broken",
    "creme",
    "e-mail",
    "x²",
    "fix",
    "strasse",
    "istanbul",
    "σασ",
    "a*e",
]


@st.composite
def documents(draw):
    words = draw(st.lists(st.tuples(st.sampled_from(DECOR), st.sampled_from(WORDS)), max_size=14))
    glue = draw(st.sampled_from([" ", " ", "\n", ", ", ". "]))
    text = glue.join(decor + word for decor, word in words)
    title = draw(st.sampled_from(["", "Acme news", "Zephyr broken"]))
    return MatchDocument(
        text=f"{title}\n{text}" if title else text,
        author=draw(st.sampled_from(["", "@bob Bob", "Acme Support"])),
        site=draw(st.sampled_from(["", "example.com", "blog.example.com", "other.org"])),
        lang=draw(st.sampled_from(["", "en", "en-GB", "fr"])),
        source=draw(st.sampled_from(["", "Mastodon", "Hacker News"])),
    )


def _leaf():
    word = st.sampled_from(QUERY_WORDS)
    phrase = st.lists(st.sampled_from(QUERY_WORDS), min_size=2, max_size=3).map(
        lambda ws: '"' + " ".join(ws) + '"'
    )
    proximity = st.tuples(phrase, st.integers(0, 4)).map(lambda p: f"{p[0]}~{p[1]}")
    near = st.tuples(word, st.integers(0, 4), word).map(lambda p: f"{p[0]} NEAR/{p[1]} {p[2]}")
    field = st.sampled_from(
        ["site:example.com", "lang:en", "author:bob", "source:mastodon", "author:@bob"]
    )
    return st.one_of(word, word, phrase, proximity, near, field)


queries = st.recursive(
    _leaf(),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from([" ", " AND ", " OR "]), inner).map(
            lambda p: f"({p[0]}{p[1]}{p[2]})"
        ),
        inner.map(lambda q: f"NOT {q}"),
        inner.map(lambda q: f"-{q}"),
    ),
    max_leaves=5,
)
