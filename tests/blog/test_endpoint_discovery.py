"""Finding a page's Webmention and Pingback endpoints: every discovery test of
webmention.rocks served locally, then the edge cases one by one."""

import httpx
import pytest

from earful.blog.endpoint_discovery import (
    Endpoints,
    HeaderLink,
    discover_endpoints,
    parse_link_header,
    pingback_endpoint,
    webmention_endpoint,
)
from earful.web.http import Response, fetch
from tests.blog.fixtures.webmention_rocks.cases import CASES, CODE, REDIRECT_A_ONLY, install
from tests.web.conftest import server  # noqa: F401 - the server fixture

PAGE = "https://blog.example.org/2026/05/post"


def page(
    body: str = "",
    headers: list[tuple[str, str]] | None = None,
    url: str = PAGE,
    content_type: str = "text/html; charset=utf-8",
    status: int = 200,
) -> Response:
    all_headers = [("Content-Type", content_type)] if content_type else []
    return Response(
        url=url,
        status=status,
        headers=httpx.Headers(all_headers + (headers or [])),
        content=body.encode("utf-8"),
    )


def test_the_suite_has_all_23_discovery_tests():
    assert [case.number for case in CASES] == list(range(1, 24))


@pytest.mark.parametrize("case", [*CASES, REDIRECT_A_ONLY], ids=lambda case: case.name)
def test_webmention_rocks_discovery(case, server, allow_loopback):  # noqa: F811
    url = install(case, server.routes, server.url("").rstrip("/"))
    response = fetch(url)
    assert response.status == 200
    endpoint = webmention_endpoint(response)
    assert endpoint == server.url(case.expected)
    for wrong in case.wrong:
        assert endpoint != server.url(wrong)
    assert server.requests and all(seen.method == "GET" for seen in server.requests)


def test_the_redirect_case_resolves_against_the_final_url(server, allow_loopback):  # noqa: F811
    case = CASES[22]
    response = fetch(install(case, server.routes, server.url("").rstrip("/")))
    assert response.redirects == [server.url("/test/23/page")]
    assert response.url == server.url(case.redirect_to)
    endpoint = webmention_endpoint(response)
    assert endpoint == server.url(f"/test/23/page/webmention-endpoint/{CODE}")
    # Against the URL first asked for, the same relative href would have been wrong:
    assert endpoint != server.url(f"/test/23/webmention-endpoint/{CODE}")


# --- the Link header ----------------------------------------------------------------------


def test_link_header_values_split_on_commas_outside_urls_and_quotes():
    value = (
        '<https://a.example/x,y>; rel="other"; title="one, two; three", '
        "<https://a.example/wm?x=1;y=2>; rel=webmention"
    )
    assert parse_link_header(value) == [
        HeaderLink("https://a.example/x,y", ("other",)),
        HeaderLink("https://a.example/wm?x=1;y=2", ("webmention",)),
    ]


def test_rel_tokens_are_case_insensitive_and_the_first_rel_parameter_counts():
    assert parse_link_header('<https://a.example/wm>; REL="WebMention Other"; rel=x') == [
        HeaderLink("https://a.example/wm", ("webmention", "other"))
    ]


def test_a_malformed_link_header_is_skipped_not_fatal():
    assert parse_link_header("garbage; rel=webmention") == []
    assert parse_link_header("<https://a.example/unclosed; rel=webmention") == []
    assert parse_link_header('<https://a.example/wm>; rel="webmention') == [
        HeaderLink("https://a.example/wm", ("webmention",))
    ]
    response = page(headers=[("Link", "<<<>>>;;;,,,"), ("Link", "</wm>; rel=webmention")])
    assert webmention_endpoint(response) == "https://blog.example.org/wm"


def test_not_webmention_in_a_header_is_not_webmention():
    response = page(
        '<link rel="webmention" href="/from-html">',
        headers=[("Link", '</wrong>; rel="not-webmention"')],
    )
    assert webmention_endpoint(response) == "https://blog.example.org/from-html"


def test_the_link_header_wins_even_over_an_earlier_html_element():
    response = page(
        '<a rel="webmention" href="/from-a">a</a>', headers=[("Link", "</hdr>; rel=webmention")]
    )
    assert webmention_endpoint(response) == "https://blog.example.org/hdr"


# --- the HTML -----------------------------------------------------------------------------


def test_an_empty_href_is_the_page_itself_without_its_fragment():
    response = page('<link rel="webmention" href="">', url=PAGE + "#comments")
    assert webmention_endpoint(response) == PAGE
    response = page('<link rel="webmention" href>', url=PAGE)
    assert webmention_endpoint(response) == PAGE


def test_elements_in_script_and_style_are_not_elements():
    body = (
        '<script>document.write(\'<link rel="webmention" href="/script">\')</script>'
        '<style>/* <a rel="webmention" href="/style"> */</style>'
        '<a rel="webmention" href="/real">real</a>'
    )
    assert webmention_endpoint(page(body)) == "https://blog.example.org/real"


def test_only_link_and_a_elements_count():
    body = '<b rel="webmention" href="/b"></b><area rel="webmention" href="/area"><p>none</p>'
    assert webmention_endpoint(page(body)) == ""


def test_a_repeated_attribute_keeps_its_first_value_as_html_does():
    body = '<link rel="webmention" href="/first" href="/second">'
    assert webmention_endpoint(page(body)) == "https://blog.example.org/first"


def test_entities_in_href_are_decoded():
    body = '<link rel="webmention" href="/wm?a=1&amp;b=2">'
    assert webmention_endpoint(page(body)) == "https://blog.example.org/wm?a=1&b=2"


def test_a_non_http_endpoint_is_no_endpoint():
    assert webmention_endpoint(page('<link rel="webmention" href="javascript:alert(1)">')) == ""
    assert webmention_endpoint(page('<link rel="webmention" href="mailto:a@b.example">')) == ""
    assert webmention_endpoint(page(headers=[("Link", "<ftp://x.example/>; rel=webmention")])) == ""


def test_the_body_of_a_non_html_document_is_not_searched():
    body = '<link rel="webmention" href="/wm">'
    assert webmention_endpoint(page(body, content_type="text/plain")) == ""
    assert webmention_endpoint(page(body, content_type="application/json")) == ""
    assert webmention_endpoint(page(body, content_type="application/xhtml+xml")).endswith("/wm")
    # No Content-Type at all: treat it as the HTML it most likely is.
    assert webmention_endpoint(page(body, content_type="")).endswith("/wm")


def test_a_page_without_endpoints():
    assert discover_endpoints(page("<p>Just a page <a href='/x'>x</a></p>")) == Endpoints()
    assert discover_endpoints(page("")) == Endpoints()
    assert discover_endpoints(page("<a rel='webmention' href='/x'", status=404)) == Endpoints()


def test_broken_html_still_finds_what_it_can():
    body = "<html><head><link rel=webmention href=/wm><body><p><a href='/x'>unclosed"
    assert webmention_endpoint(page(body)) == "https://blog.example.org/wm"


def test_an_endpoint_far_down_a_long_page_is_found():
    body = "<p>filler</p>" * 5_000 + '<a rel="webmention" href="/late">late</a>'
    assert webmention_endpoint(page(body)) == "https://blog.example.org/late"


# --- pingback -----------------------------------------------------------------------------


def test_pingback_from_the_x_pingback_header_first():
    response = page(
        '<link rel="pingback" href="https://blog.example.org/from-html">',
        headers=[("X-Pingback", " https://blog.example.org/xmlrpc.php ")],
    )
    assert pingback_endpoint(response) == "https://blog.example.org/xmlrpc.php"


def test_pingback_from_a_link_element():
    response = page('<head><link rel="pingback" href="https://blog.example.org/xmlrpc"></head>')
    assert pingback_endpoint(response) == "https://blog.example.org/xmlrpc"


def test_pingback_is_only_a_link_element_with_an_href():
    body = '<a rel="pingback" href="/a"></a><link rel="pingback"><link rel="pingback" href="">'
    assert pingback_endpoint(page(body)) == ""


def test_both_endpoints_at_once():
    body = (
        '<link rel="pingback" href="https://blog.example.org/xmlrpc">'
        '<link rel="webmention" href="/webmention">'
    )
    assert discover_endpoints(page(body)) == Endpoints(
        webmention="https://blog.example.org/webmention",
        pingback="https://blog.example.org/xmlrpc",
    )
