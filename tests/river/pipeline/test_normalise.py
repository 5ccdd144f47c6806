import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from earful.river.pipeline.base import Context
from earful.river.pipeline.items import KEY_MAX_CHARS, Item, RawItem
from earful.river.pipeline.normalise import (
    canonical_url,
    content_hash,
    html_to_text,
    language_tag,
    normalise,
    tidy_text,
)


def run(*raws: RawItem, source_id: int = 7) -> list[Item]:
    return normalise([Item(raw=raw, source_id=source_id) for raw in raws], Context())


def has_unsafe(text: str) -> bool:
    return any(
        (ord(c) < 32 and c not in "\n") or 0x7F <= ord(c) <= 0x9F or 0xD800 <= ord(c) <= 0xDFFF
        for c in text
    )


# HTML to text


def test_html_blocks_become_lines_and_inline_tags_vanish():
    markup = "<p>The <b>new</b> update</p><p>broke <a href='/x'>login</a><br>again</p>"
    assert html_to_text(markup) == "The new update\nbroke login\nagain"


def test_html_scripts_styles_and_comments_are_not_text():
    markup = (
        "<style>p { color: red }</style><p>visible</p>"
        "<script>var s = '<p>not text</p>';</script><!-- hidden --><p>also visible</p>"
        "<noscript><p>no</p></noscript><template><b>no</b></template>"
    )
    assert html_to_text(markup) == "visible\nalso visible"


def test_html_script_end_tag_is_case_insensitive_and_unclosed_script_hides_the_rest():
    assert html_to_text("a<SCRIPT type=x>1 < 2</ScRiPt >b") == "ab"
    assert html_to_text("a<script>never closed <p>b</p>") == "a"


def test_html_entities_are_decoded_once():
    assert html_to_text("<p>Fish &amp; chips &mdash; &lt;3 &amp;amp; &#233;t&#xE9;</p>") == (
        "Fish & chips \u2014 <3 &amp; été"
    )


def test_html_source_line_breaks_are_spaces():
    assert html_to_text("<p>one\n   two\tthree</p>\n\n<p> four </p>") == "one two three\nfour"


def test_html_quoted_attribute_may_hold_a_greater_than_sign():
    assert html_to_text('<a title="a > b" href="/x">link</a> text') == "link text"


def test_html_lone_angle_brackets_stay_text():
    assert html_to_text("I <3 this, 2 < 3 and 5 > 4") == "I <3 this, 2 < 3 and 5 > 4"


def test_html_deeply_nested_markup():
    depth = 50_000
    markup = "<div><span>" * depth + "deep" + "</span></div>" * depth
    assert html_to_text(markup) == "deep"


@pytest.mark.parametrize(
    "markup",
    [
        "<a " * 200_000,
        '<a "' * 200_000,
        "<!--" + "x" * 500_000,
        "<" * 500_000,
        "<!" * 200_000,
        "<p title='" * 200_000,
        "&#99999999999;&#xD800;&#0;" * 20_000,
    ],
    ids=["unclosed-tags", "unclosed-quotes", "open-comment", "lt", "lt-bang", "open-attr", "refs"],
)
def test_hostile_markup_is_read_in_linear_time_without_raising(markup):
    text = html_to_text(markup)
    assert "\x00" not in text
    assert not has_unsafe(text)


MARKUP_TOKENS = [
    *("<p>", "</p>", "<b>", "</b>", "<br/>", "<LI>", '<div class="q">', "</div>", "<hr>"),
    *("<!-- c -->", "<a href='x>y'>", "</a>", "<!doctype html>", "<", ">", "/", "="),
    *("text", " ", "\n", "\t", "\u00a0", "&amp;", "&lt;", "&nbsp;", "é", "日本"),
]


@given(st.lists(st.sampled_from(MARKUP_TOKENS), max_size=40))
def test_one_pass_reading_equals_the_careful_reading(tokens):
    # An empty script at the end sends the markup down the careful, tag-by-tag path.
    markup = "".join(tokens)
    assert html_to_text(markup) == html_to_text(markup + "<script></script>")


# Whitespace and unsafe characters


def test_tidy_text_collapses_spaces_and_blank_lines():
    assert tidy_text("  a  b\t\tc\u00a0d \r\n\n\n  e  \n") == "a b c d\ne"


def test_nul_bytes_and_control_characters_are_removed():
    assert tidy_text("a\x00b\x07c\x1bd\x85e") == "abcde"


def test_lone_surrogates_become_replacement_characters():
    [item] = run(RawItem(text="bad \ud800 half \udfff pair", title="t\udc00"))
    assert item.text == "bad \ufffd half \ufffd pair"
    assert item.title == "t\ufffd"
    item.text.encode("utf-8")  # storable


@given(st.text())
def test_tidy_text_is_idempotent_and_safe(text):
    once = tidy_text(text)
    assert tidy_text(once) == once
    assert not has_unsafe(once)


@given(st.text(alphabet=st.sampled_from(list("<>/!-='\"&;#x ab\n\x00pscript"))))
def test_markup_reader_never_raises_and_leaves_no_markers(markup):
    text = html_to_text(markup)
    assert "\x00" not in text
    assert text == text.strip()


# Canonical URLs


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com", "https://example.com/"),
        ("HTTPS://Example.COM:443/Path?b=2&a=1#frag", "https://example.com/Path?a=1&b=2"),
        ("http://example.com:80/x", "http://example.com/x"),
        ("http://example.com:8080/x", "http://example.com:8080/x"),
        ("https://example.com:80/x", "https://example.com:80/x"),
        (
            "https://shop.example/p?utm_source=tw&utm_Medium=s&id=5&fbclid=X&gclid=Y&ref=z",
            "https://shop.example/p?id=5",
        ),
        ("https://example.com./a?MSCLKID=1", "https://example.com/a"),
        ("https://user:pw@example.com/a", "https://example.com/a"),
        ("  https://example.com/a b/é  ", "https://example.com/a%20b/%C3%A9"),
        ("http://[::1]:8000/x", "http://[::1]:8000/x"),
        ("https://example.com/a?q=&q2=x", "https://example.com/a?q=&q2=x"),
    ],
)
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "",
        "   ",
        "not a url",
        "ftp://example.com/file",
        "javascript:alert(1)",
        "mailto:someone@example.com",
        "http://",
        "http://[::1",
        "http://example.com:99999/",
        "http://example.com:-1/",
        "https://exa mple.com/",
        "//example.com/no-scheme",
        "http://\ud800.com/",
        "http://\x00/",
    ],
)
def test_malformed_urls_have_no_canonical_form_and_do_not_raise(url):
    assert canonical_url(url) == ""


def test_huge_url_does_not_raise():
    url = "https://example.com/" + "a/" * 100_000 + "?" + "&".join(f"k{i}=v" for i in range(20_000))
    assert canonical_url(url).startswith("https://example.com/a/a/")


# Content hash, identity keys


def test_content_hash_ignores_case_and_spacing_only():
    assert content_hash("The App  is\nSLOW") == content_hash("the app is slow")
    assert content_hash("the app is slow") != content_hash("the app is fast")


def test_content_hash_is_stable_across_runs():
    expected = hashlib.blake2b(b"the app is slow", digest_size=16).hexdigest()
    assert content_hash("The app is slow") == expected


@given(st.text(), st.text())
def test_item_content_hash_is_the_hash_of_title_and_text(title, text):
    [item] = run(RawItem(text=text, title=title))
    if not item.dropped:
        assert item.content_hash == content_hash(f"{item.title}\n{item.text}")
        if not has_unsafe(title + text) and not any(c in title + text for c in "<>&\u200b"):
            assert item.content_hash == content_hash(f" {title}\n\n{text}  ")


def test_key_is_source_and_external_id_first():
    [item] = run(RawItem(text="hi", external_id=" 42 ", url="https://example.com/p"))
    assert item.key == "7:id:42"


def test_key_falls_back_to_canonical_url_shared_by_all_sources():
    a, b = run(
        RawItem(text="first", url="https://Example.com/p?utm_source=x"),
        RawItem(text="second", url="https://example.com/p#top"),
    )
    assert a.key == b.key == "url:https://example.com/p"
    assert a.canonical_url == "https://example.com/p"


def test_key_falls_back_to_content_hash_within_the_source():
    [item] = run(RawItem(text="Just text", url="not a url"))
    assert item.key == f"7:hash:{content_hash('Just text')}"
    [other] = run(RawItem(text="Just text"), source_id=8)
    assert other.key != item.key


def test_overlong_keys_fit_the_column_and_stay_distinct():
    a, b = run(RawItem(text="a", external_id="x" * 5000), RawItem(text="b", external_id="x" * 4999))
    assert len(a.key) <= KEY_MAX_CHARS and len(b.key) <= KEY_MAX_CHARS
    assert a.key != b.key
    assert run(RawItem(text="a", external_id="x" * 5000))[0].key == a.key


def test_parent_key_uses_the_parent_external_id_in_the_same_source():
    [item] = run(RawItem(text="a reply", external_id="2", parent_id="1"))
    assert item.parent_key == "7:id:1"
    [orphan] = run(RawItem(text="no parent", parent_id="   "))
    assert orphan.parent_key == ""


def test_empty_text_is_dropped_with_a_reason():
    empty, blank, hidden, titled = run(
        RawItem(text=""),
        RawItem(text=" \n\t \u00a0"),
        RawItem(text="<script>x()</script><p> </p>", is_html=True),
        RawItem(text="", title="A title is enough"),
    )
    for item in (empty, blank, hidden):
        assert item.dropped == "empty"
        assert item.error == "the text is empty"
        assert item.key == ""
    assert not titled.dropped
    assert titled.title == "A title is enough"


def test_plain_text_with_entities_is_decoded_but_not_parsed():
    [item] = run(RawItem(text="AT&amp;T &gt; them"))
    assert item.text == "AT&T > them"


def test_html_title_and_text():
    [item] = run(RawItem(text="<p>Body</p>", title="Re: <b>Bugs</b> &amp; fixes", is_html=True))
    assert (item.title, item.text) == ("Re: Bugs & fixes", "Body")


def test_five_megabyte_text():
    text = ("The checkout is broken again. " * 180_000)[:5_000_000]
    [item] = run(RawItem(text=text, external_id="big"))
    assert item.text == text.strip()
    [html_item] = run(RawItem(text="<p>" + text + "</p>", is_html=True))
    assert html_item.text == item.text


def test_unsafe_characters_in_ids_and_author_fields_are_scrubbed():
    raw = RawItem(text="ok", external_id="id\x00\ud800", author="me\x07", url="https://x.org/\x00")
    [item] = run(raw)
    assert item.key == "7:id:id\ufffd"
    assert raw.author == "me"
    assert item.canonical_url == "https://x.org/"


# Declared language


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        ("en", "en"),
        ("EN-gb", "en"),
        ("pt_BR", "pt"),
        ("zh-Hant-TW", "zh"),
        (" fr ", "fr"),
        ("fil", "fil"),
        ("und", ""),
        ("English", ""),
        ("e", ""),
        ("en--GB", ""),
        ("12", ""),
        ("", ""),
    ],
)
def test_language_tag(declared, expected):
    assert language_tag(declared) == expected


def test_declared_language_is_normalised_in_the_item():
    valid, invalid = run(RawItem(text="x", language="de-AT"), RawItem(text="y", language="Deutsch"))
    assert valid.language == "de"
    assert invalid.language == ""  # left for the language stage to detect


def test_site_is_the_lower_case_host_without_www():
    from earful.river.pipeline.normalise import site_of

    assert site_of("https://WWW.Example.com:8080/a?b=1") == "example.com"
    assert site_of("https://blog.example.org/x") == "blog.example.org"
    assert site_of("") == ""
    assert site_of("http://[::1") == ""  # unparseable: no site rather than an error
