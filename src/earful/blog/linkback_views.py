"""The endpoints other sites notify: Webmention, Pingback (XML-RPC) and TrackBack.

Thin: each parses its protocol's request, calls blog.actions.linkbacks and answers in its
protocol's words. The XML-RPC body is parsed with defusedxml's expat parser with DTDs
forbidden (no entity expansion, no external entities: no billion laughs, no XXE), after a
size check.
"""

from __future__ import annotations

import xmlrpc.client
from xml.sax.saxutils import escape

from defusedxml.xmlrpc import DefusedExpatParser
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from .actions.linkbacks import (
    LinkbackError,
    receive_pingback,
    receive_trackback,
    receive_webmention,
)
from .models import Post

MAX_XMLRPC_BYTES = 64 * 1024
# XML-RPC interoperability fault codes (for errors below the Pingback protocol).
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602


def discovery_headers(request: HttpRequest) -> dict[str, str]:
    """The headers a post page sends so that senders find our endpoints."""
    webmention_url = request.build_absolute_uri(reverse("blog:webmention"))
    pingback_url = request.build_absolute_uri(reverse("blog:pingback"))
    return {"Link": f'<{webmention_url}>; rel="webmention"', "X-Pingback": pingback_url}


def _text(message: str, status: int) -> HttpResponse:
    return HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")


def _post_only(what: str) -> HttpResponse:
    return HttpResponseNotAllowed(
        ["POST"], f"{what} takes POST requests only.\n", content_type="text/plain; charset=utf-8"
    )


# --- Webmention -------------------------------------------------------------------------


@csrf_exempt
def webmention(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _post_only("The Webmention endpoint")
    try:
        receive_webmention(
            request.POST.get("source", ""),
            request.POST.get("target", ""),
            request_host=request.get_host(),
        )
    except LinkbackError as exc:
        return _text(exc.message, exc.status)
    return _text("Accepted: the source will be checked shortly.", 202)


# --- Pingback (XML-RPC) -----------------------------------------------------------------


def parse_method_call(body: bytes) -> tuple[str | None, tuple]:
    """(method name, params) of an XML-RPC call, parsed safely; raises on bad input."""
    unmarshaller = xmlrpc.client.Unmarshaller()
    parser = DefusedExpatParser(unmarshaller, forbid_dtd=True)
    parser.feed(body)
    parser.close()
    params = unmarshaller.close()
    return unmarshaller.getmethodname(), params


def _xmlrpc_answer(value: str | xmlrpc.client.Fault) -> HttpResponse:
    answer = value if isinstance(value, xmlrpc.client.Fault) else (value,)
    body = xmlrpc.client.dumps(answer, methodresponse=True, encoding="utf-8")
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


def _fault(code: int, message: str) -> HttpResponse:
    return _xmlrpc_answer(xmlrpc.client.Fault(code, message))


def _pingback_ping(request: HttpRequest, params: tuple) -> HttpResponse:
    if len(params) != 2 or not all(isinstance(p, str) for p in params):
        return _fault(INVALID_PARAMS, "pingback.ping takes two strings: sourceURI, targetURI.")
    source, target = params
    try:
        linkback = receive_pingback(source, target, request_host=request.get_host())
    except LinkbackError as exc:
        return _fault(exc.fault, exc.message)
    return _xmlrpc_answer(
        f"Pingback from {linkback.source_url} to {linkback.target_url} registered. "
        "Keep the web talking!"
    )


XMLRPC_METHODS = {"pingback.ping": _pingback_ping}


@csrf_exempt
def xmlrpc_endpoint(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _post_only("The XML-RPC (Pingback) endpoint")
    announced = request.META.get("CONTENT_LENGTH") or "0"
    if not announced.isdigit() or int(announced) > MAX_XMLRPC_BYTES:
        return _text(f"An XML-RPC call is at most {MAX_XMLRPC_BYTES} bytes.", 413)
    body = request.body
    if len(body) > MAX_XMLRPC_BYTES:
        return _text(f"An XML-RPC call is at most {MAX_XMLRPC_BYTES} bytes.", 413)
    try:
        method, params = parse_method_call(body)
    except Exception as exc:  # malformed or hostile XML of any kind: say so, keep nothing
        return _fault(PARSE_ERROR, f"Parse error: not a valid XML-RPC call ({type(exc).__name__}).")
    if not method:
        return _fault(INVALID_REQUEST, "Invalid request: not an XML-RPC method call.")
    handler = XMLRPC_METHODS.get(method)
    if handler is None:
        return _fault(METHOD_NOT_FOUND, f"Method not found: {method[:100]}.")
    return handler(request, params)


# --- TrackBack --------------------------------------------------------------------------


def _trackback_answer(error: str = "") -> HttpResponse:
    message = f"<message>{escape(error)}</message>" if error else ""
    body = (
        '<?xml version="1.0" encoding="utf-8"?>'
        f"<response><error>{1 if error else 0}</error>{message}</response>"
    )
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


@csrf_exempt
def trackback(request: HttpRequest, slug: str) -> HttpResponse:
    if request.method != "POST":
        return _post_only("The TrackBack endpoint")
    post = Post.objects.filter(slug=slug).first()
    if post is None or not post.is_live:
        return _trackback_answer(f"There is no published post {slug!r}.")
    form = request.POST
    try:
        receive_trackback(
            post,
            form.get("url", ""),
            target_url=request.build_absolute_uri(post.get_absolute_url()),
            title=form.get("title", ""),
            excerpt=form.get("excerpt", ""),
            blog_name=form.get("blog_name", ""),
        )
    except LinkbackError as exc:
        return _trackback_answer(exc.message)
    return _trackback_answer()
