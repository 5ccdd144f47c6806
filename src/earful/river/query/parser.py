"""parse_query: the Lucene-style query language of topics and search, parsed with luqum.

    acme phone                 implicit AND: both words
    acme AND (phone OR tablet) explicit AND / OR, parentheses
    acme -refund, acme NOT refund, +acme
    "acme phone"               exact phrase (adjacent words, in order)
    acme*  ac?e  a*e           wildcards inside one word
    "acme broken"~5            all words within 5 extra words, any order
    acme NEAR/5 broken         at most 5 words between, either order; each side a word,
                               phrase or parenthesised OR of them: (acme OR zephyr) NEAR/3 bug*
    #acmephone  @acme          only the hashtag / handle; plain acmephone matches both
    author:  source:  text:    word fields (text is the default)
    site:example.com           the host or any subdomain of it
    lang:en                    the language, "en" also matches "en-GB"

Precedence, tightest first: NEAR, NOT/-/+, AND, OR, then implicit AND. So ``a b OR c``
means ``a AND (b OR c)``. A query made only of negations (``NOT spam``) matches every
document without those words. Operators are upper case; ``and`` is a word.
"""

from __future__ import annotations

import re
import threading

from luqum import tree
from luqum.exceptions import IllegalCharacterError, ParseSyntaxError
from luqum.parser import lexer as luqum_lexer
from luqum.parser import parser as luqum_parser

from .nodes import FIELDS, WORD_FIELDS, And, Lang, Near, Node, Not, Or, Proximity, Site, Terms, Word
from .tokens import QUERY_WORD_RE, SIGILS, fold

MAX_QUERY_LENGTH = 10_000
MAX_TOKENS = 1_000
MAX_DEPTH = 32
MAX_DISTANCE = 1_000

_NEAR = re.compile(r"NEAR(?:/(\d+))?")
_HOST = re.compile(
    r"[0-9a-z\u00a1-\U0010ffff]([0-9a-z\u00a1-\U0010ffff-]*[0-9a-z\u00a1-\U0010ffff])?"
)
_LANG = re.compile(r"[a-z]{2,3}(-[0-9a-z]{1,8})*")
_BINARY = ("AND_OP", "OR_OP")
_UNARY = ("NOT", "PLUS", "MINUS")
_OPERAND_END = ("TERM", "PHRASE", "RPAREN", "APPROX", "BOOST", "TO", "RBRACKET")
_NAMES = {"AND_OP": "AND", "OR_OP": "OR", "NOT": "NOT", "PLUS": "+", "MINUS": "-"}

_local = threading.local()


class QuerySyntaxError(ValueError):
    """A query that cannot be parsed; position is the offending character (0-based)."""

    def __init__(self, message: str, position: int | None = None) -> None:
        self.position = position
        super().__init__(message if position is None else f"{message} (at position {position})")


def parse_query(text: str) -> Node:
    """Parse a query into nodes, or raise QuerySyntaxError saying what is wrong and where."""
    if not isinstance(text, str):
        raise QuerySyntaxError(f"a query must be text, not {type(text).__name__}")
    if not text.strip():
        raise QuerySyntaxError("the query is empty")
    if len(text) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError(f"the query is too long ({len(text)} > {MAX_QUERY_LENGTH} chars)")
    _check_quotes(text)
    tokens = _lex(text)
    _check_structure(tokens)
    rewritten, inserted = _group_near(text, tokens)
    try:
        parsed = luqum_parser.parse(rewritten, lexer=_lexer())
    except ParseSyntaxError as exc:
        found = re.search(r"position (\d+)", str(exc))
        if found:
            position = _original_position(int(found.group(1)), inserted)
            raise QuerySyntaxError("unexpected text", position) from None
        raise QuerySyntaxError("the query ends too early") from None
    return _Converter(inserted).convert(parsed)


def _lexer():
    if not hasattr(_local, "lexer"):
        _local.lexer = luqum_lexer.clone()
    return _local.lexer


def _check_quotes(text: str) -> None:
    opened, position = None, 0
    while position < len(text):
        char = text[position]
        if char == "\\":
            position += 1
        elif char == '"':
            opened = position if opened is None else None
        position += 1
    if opened is not None:
        raise QuerySyntaxError('this quote is never closed: add a closing "', opened)


def _lex(text: str) -> list:
    lexer = _lexer()
    lexer.input(text)
    tokens = []
    try:
        while token := lexer.token():
            tokens.append(token)
            if len(tokens) > MAX_TOKENS:
                raise QuerySyntaxError(f"the query has too many parts (over {MAX_TOKENS})")
    except IllegalCharacterError as exc:
        found = re.search(r"position (\d+)", str(exc))
        position = int(found.group(1)) if found else None
        char = text[position] if position is not None else "?"
        hint = "; put it in quotes" if char in "/\\" else ""
        raise QuerySyntaxError(f"unexpected character {char!r}{hint}", position) from None
    return tokens


def _check_structure(tokens: list) -> None:
    """Catch the common mistakes early, with a message better than 'syntax error'."""
    depth, opened = 0, []
    for index, token in enumerate(tokens):
        kind = token.type
        before = tokens[index - 1].type if index else None
        after = tokens[index + 1].type if index + 1 < len(tokens) else None
        if kind == "LPAREN":
            opened.append(token.lexpos)
            depth += 1
            if depth > MAX_DEPTH:
                raise QuerySyntaxError(
                    f"parentheses nested too deeply (over {MAX_DEPTH})", token.lexpos
                )
        elif kind == "RPAREN":
            if not opened:
                raise QuerySyntaxError('this ")" has no matching "("', token.lexpos)
            if before == "LPAREN":
                raise QuerySyntaxError("empty parentheses", opened[-1])
            opened.pop()
            depth -= 1
        elif kind in _BINARY:
            name = _NAMES[kind]
            if before not in _OPERAND_END or after in (None, "RPAREN", *_BINARY):
                raise QuerySyntaxError(
                    f"{name} needs something to search on both sides", token.lexpos
                )
        elif kind in _UNARY and (after in (None, "RPAREN", *_BINARY)):
            raise QuerySyntaxError(f"{_NAMES[kind]} needs something after it", token.lexpos)
        elif kind == "COLUMN" and (before != "TERM" or after in (None, "RPAREN", *_BINARY)):
            raise QuerySyntaxError(
                '":" must join a field name and a value, like author:acme', token.lexpos
            )
        elif kind == "APPROX" and not re.fullmatch(r"\d*", str(token.value.value or "")):
            raise QuerySyntaxError("the number after ~ must be a whole number", token.lexpos)
        elif kind in ("LBRACKET", "RBRACKET", "LESSTHAN", "GREATERTHAN"):
            raise QuerySyntaxError("ranges ([a TO b], <, >) are not supported", token.lexpos)
    if opened:
        raise QuerySyntaxError('this "(" is never closed', opened[-1])


def _near_distance(token) -> int | None:
    """The n of a NEAR/n token, None if the token is an ordinary word."""
    if token.type != "TERM":
        return None
    found = _NEAR.fullmatch(token.value.value)
    if not found and not token.value.value.startswith("NEAR/"):
        return None
    if not found or found.group(1) is None:
        raise QuerySyntaxError("NEAR needs a distance, like NEAR/5", token.lexpos)
    distance = int(found.group(1))
    if distance > MAX_DISTANCE:
        raise QuerySyntaxError(f"NEAR distance {distance} is over {MAX_DISTANCE}", token.lexpos)
    return distance


def _matching(tokens: list, index: int, step: int) -> int:
    """Index of the parenthesis matching the one at index (step +1 forward, -1 back)."""
    depth = 0
    while True:
        depth += {"LPAREN": 1, "RPAREN": -1}.get(tokens[index].type, 0) * step
        if depth == 0:
            return index
        index += step


def _token_end(token) -> int:
    value = token.value
    return token.lexpos + len(getattr(value, "value", value))


def _group_near(text: str, tokens: list) -> tuple[str, list[int]]:
    """Wrap each ``a NEAR/n b`` in parentheses so it binds tighter than anything else.

    Returns the new text and the original positions where a parenthesis was inserted."""
    inserts: list[tuple[int, str]] = []
    for index, token in enumerate(tokens):
        if _near_distance(token) is None:
            continue
        message = "NEAR needs a word, a phrase or a parenthesised group on each side"
        if index == 0 or index + 1 == len(tokens):
            raise QuerySyntaxError(message, token.lexpos)
        left, right = tokens[index - 1], tokens[index + 1]
        if left.type == "RPAREN":
            start = tokens[_matching(tokens, index - 1, -1)].lexpos
        elif left.type in ("TERM", "PHRASE"):
            if _near_distance(left) is not None:
                raise QuerySyntaxError(message, token.lexpos)
            start = left.lexpos
            if index >= 2 and tokens[index - 2].type == "COLUMN":
                raise QuerySyntaxError(
                    "put a field around the whole NEAR: author:(a NEAR/3 b)", token.lexpos
                )
        else:
            raise QuerySyntaxError(message, token.lexpos)
        if right.type == "LPAREN":
            end = _token_end(tokens[_matching(tokens, index + 1, 1)])
        elif right.type in ("TERM", "PHRASE") and _near_distance(right) is None:
            end = _token_end(right)
            following = tokens[index + 2].type if index + 2 < len(tokens) else None
            if following == "COLUMN":
                raise QuerySyntaxError(message, right.lexpos)
        else:
            raise QuerySyntaxError(message, token.lexpos)
        following = tokens[index + 2] if index + 2 < len(tokens) else None
        if following is not None and _near_distance(following) is not None:
            raise QuerySyntaxError(
                "chains of NEAR are not supported; join pairs with AND", following.lexpos
            )
        inserts += [(start, "("), (end, ")")]
    inserts.sort(key=lambda item: item[0])
    pieces, last = [], 0
    for position, char in inserts:
        pieces += [text[last:position], char]
        last = position
    pieces.append(text[last:])
    return "".join(pieces), [position for position, _ in inserts]


def _original_position(position: int, inserted: list[int]) -> int:
    shift = 0
    for original in inserted:
        if original + shift < position:
            shift += 1
        else:
            break
    return position - shift


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", r"\1", value)


class _Converter:
    """luqum tree -> nodes, rejecting what the language does not support."""

    def __init__(self, inserted: list[int]) -> None:
        self.inserted = inserted
        self.in_field = False

    def error(self, message: str, item: tree.Item) -> QuerySyntaxError:
        position = None if item.pos is None else _original_position(item.pos, self.inserted)
        return QuerySyntaxError(message, position)

    def convert(self, item: tree.Item, field: str = "text", depth: int = 0) -> Node:
        if depth > MAX_DEPTH * 2:
            raise self.error(f"the query is nested too deeply (over {MAX_DEPTH * 2})", item)
        deeper = depth + 1
        if isinstance(item, tree.SearchField):
            return self.convert_field(item, field, deeper)
        if isinstance(item, tree.BaseGroup):
            return self.convert(item.expr, field, deeper)
        if isinstance(item, tree.Not | tree.Prohibit):
            return Not(self.convert(item.a, field, deeper))
        if isinstance(item, tree.Plus):
            return self.convert(item.a, field, deeper)
        if isinstance(item, tree.OrOperation):
            return _flat(Or, [self.convert(child, field, deeper) for child in item.operands])
        if isinstance(item, tree.UnknownOperation) and any(
            isinstance(child, tree.Word) and _NEAR.fullmatch(child.value) for child in item.operands
        ):
            return self.convert_near(item, field, deeper)
        if isinstance(item, tree.AndOperation | tree.UnknownOperation):
            return _flat(And, [self.convert(child, field, deeper) for child in item.operands])
        if isinstance(item, tree.Proximity):
            return self.convert_proximity(item, field)
        if isinstance(item, tree.Word | tree.Phrase):
            return self.convert_value(item, field)
        if isinstance(item, tree.Fuzzy):
            raise self.error("fuzzy search (word~) is not supported; try a wildcard: word*", item)
        if isinstance(item, tree.Regex):
            raise self.error("regular expressions are not supported; put it in quotes", item)
        if isinstance(item, tree.Boost):
            raise self.error("boosts (^) are not supported", item)
        raise self.error(f"{type(item).__name__.lower()} is not supported", item)

    def convert_field(self, item: tree.SearchField, field: str, depth: int) -> Node:
        name = item.name.lower()
        if name not in FIELDS:
            raise self.error(
                f"unknown field {item.name!r}; fields are {', '.join(sorted(FIELDS))}"
                " (put text with a colon in quotes)",
                item,
            )
        if self.in_field:
            raise self.error("a field cannot be used inside another field", item)
        self.in_field = True
        try:
            return self.convert(item.expr, name, depth)
        finally:
            self.in_field = False

    def words(self, raw: str, item: tree.Item) -> tuple[Word, ...]:
        found: list[Word] = []
        for chunk in raw.split():
            sigil = chunk[0] if chunk[0] in SIGILS else ""
            pieces = QUERY_WORD_RE.findall(fold(chunk))
            for number, piece in enumerate(pieces):
                if not piece.strip("*?"):
                    raise self.error(f"{chunk!r}: a wildcard needs a letter or digit with it", item)
                found.append(Word(piece, sigil if number == 0 else ""))
        if not found:
            raise self.error(f"{raw!r} has no letters or digits to search for", item)
        return tuple(found)

    def convert_value(self, item: tree.Word | tree.Phrase, field: str) -> Node:
        if isinstance(item, tree.Word):
            raw = _unescape(item.value)
            if raw in ("AND", "OR", "NOT") or raw.startswith("NEAR"):
                raise self.error(f"{raw} is misplaced here", item)
        else:
            raw = _unescape(item.value[1:-1])
            if not raw.strip():
                raise self.error("empty phrase", item)
        if field == "site":
            host = raw.strip().lower().rstrip(".")
            if host.startswith("*."):
                host = host[2:]
            if not all(_HOST.fullmatch(label) for label in host.split(".")):
                raise self.error(f"site:{raw} is not a host name like example.com", item)
            return Site(host)
        if field == "lang":
            code = raw.strip().lower().replace("_", "-")
            if not _LANG.fullmatch(code):
                raise self.error(f"lang:{raw} is not a language code like en or pt-BR", item)
            return Lang(code)
        return Terms(field, self.words(raw, item))

    def convert_proximity(self, item: tree.Proximity, field: str) -> Node:
        if field not in WORD_FIELDS:
            raise self.error(f"~ cannot be used with {field}:", item)
        if getattr(item, "_implicit_degree", False) or not str(item.degree).isdigit():
            raise self.error('give a whole number of words after ~, like "acme broken"~5', item)
        distance = int(item.degree)
        if distance > MAX_DISTANCE:
            raise self.error(f"~ distance {distance} is over {MAX_DISTANCE}", item)
        words = self.words(_unescape(item.term.value[1:-1]), item)
        if len(words) == 1:
            return Terms(field, words)
        return Proximity(field, words, distance)

    def convert_near(self, item: tree.UnknownOperation, field: str, depth: int) -> Node:
        operands = item.operands
        if field not in WORD_FIELDS:
            raise self.error(f"NEAR cannot be used with {field}:", item)
        if len(operands) != 3 or not isinstance(operands[1], tree.Word):
            raise self.error("NEAR needs one word, phrase or group on each side", item)
        distance = int(_NEAR.fullmatch(operands[1].value).group(1))
        sides = []
        for side in (operands[0], operands[2]):
            node = self.convert(side, field, depth)
            alternatives = node.children if isinstance(node, Or) else (node,)
            if not all(isinstance(alt, Terms) for alt in alternatives):
                raise self.error("each side of NEAR must be words, phrases or an OR of them", side)
            sides.append(tuple(alternatives))
        return Near(field, sides[0], sides[1], distance)


def _flat(kind: type[And] | type[Or], children: list[Node]) -> Node:
    flat: list[Node] = []
    for child in children:
        flat.extend(child.children if isinstance(child, kind) else (child,))
    return flat[0] if len(flat) == 1 else kind(tuple(flat))
