"""Read mention rows from JSONL and CSV files, each with its line number, never giving up.

A row that cannot be read (broken JSON, invalid UTF-8, a CSV row with an unterminated
quote or an oversized field) comes out as a `BadRow` carrying its line number and the
reason, and reading goes on with the next row. Only a file that cannot be opened at all
raises (OSError).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

FORMATS = ("jsonl", "csv")
MAX_LINE_BYTES = 1_000_000
CSV_FIELD_LIMIT = 200_000


@dataclass
class Row:
    line: int
    fields: dict


@dataclass
class BadRow:
    line: int
    error: str


def guess_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix in (".csv", ".tsv"):
        return "csv"
    raise ValueError(f"cannot tell the format of {path.name}; pass --format jsonl or csv")


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """`["text=body", "id=tweet_id"]` -> {"body": "text", "tweet_id": "id"} (column -> field)."""
    from .rows import EXTRA_FIELDS, FIELDS

    known = FIELDS + EXTRA_FIELDS
    mapping: dict[str, str] = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        field, column = field.strip(), column.strip()
        if not sep or not field or not column:
            raise ValueError(f"--map expects FIELD=COLUMN, got {pair!r}")
        if field not in known:
            raise ValueError(f"--map: unknown field {field!r}; fields: {', '.join(known)}")
        mapping[column] = field
    return mapping


def fingerprint(path: Path) -> str:
    """Identifies a file's content cheaply: its size and a hash of its first megabyte."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        digest.update(handle.read(1_000_000))
        handle.seek(0, io.SEEK_END)
        digest.update(str(handle.tell()).encode())
    return digest.hexdigest()


class _CountingReader(io.RawIOBase):
    """Counts the bytes handed to the text layer, for the progress bar."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(len(buffer))
        buffer[: len(data)] = data
        self.position += len(data)
        return len(data)


class RowReader:
    """Iterates over a file's rows; `position` is the number of bytes consumed so far."""

    def __init__(self, path: Path, fmt: str, mapping: Mapping[str, str] | None = None) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; choose jsonl or csv")
        self.path = path
        self.fmt = fmt
        self.mapping = dict(mapping or {})
        self.size = path.stat().st_size
        self._handle = path.open("rb")
        self._counter = _CountingReader(self._handle)

    @property
    def position(self) -> int:
        return self._counter.position

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> RowReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[Row | BadRow]:
        rows = self._jsonl() if self.fmt == "jsonl" else self._csv()
        for row in rows:
            yield apply_mapping(row, self.mapping)

    def jsonl_lines(self) -> Iterator[tuple[int, bytes] | BadRow]:
        """The file's non-blank lines with their numbers, unparsed; overlong ones as BadRow."""
        number = 0
        while line := self._handle.readline(MAX_LINE_BYTES + 1):
            number += 1
            self._counter.position += len(line)
            if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
                # Skip the rest of the overlong line without holding it in memory.
                while (rest := self._handle.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                    self._counter.position += len(rest)
                self._counter.position += len(rest)
                yield BadRow(number, f"line is longer than {MAX_LINE_BYTES} bytes")
            elif line.strip():
                yield number, line

    def _jsonl(self) -> Iterator[Row | BadRow]:
        for line in self.jsonl_lines():
            yield line if isinstance(line, BadRow) else parse_jsonl_line(*line)

    def _csv(self) -> Iterator[Row | BadRow]:
        csv.field_size_limit(CSV_FIELD_LIMIT)
        text = io.TextIOWrapper(
            io.BufferedReader(self._counter),
            encoding="utf-8-sig",
            errors="surrogateescape",
            newline="",
        )
        dialect = "excel-tab" if self.path.suffix.lower() == ".tsv" else "excel"
        reader = csv.reader(text, dialect=dialect)
        try:
            header = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield BadRow(1, f"unreadable header: {exc}")
            return
        header = [name.strip() for name in header]
        if _has_surrogates(header):
            yield BadRow(1, "invalid UTF-8 in the header")
            return
        width = len(header)
        line = reader.line_num
        while True:
            start = line + 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                line = reader.line_num
                yield BadRow(start, f"unreadable CSV row: {exc}")
                continue
            line = reader.line_num
            if not values or values == [""]:
                continue
            if len(values) != width:
                yield BadRow(start, f"expected {width} columns, found {len(values)}")
                continue
            if _has_surrogates(values):
                yield BadRow(start, "invalid UTF-8")
                continue
            yield Row(start, {name: value for name, value in zip(header, values, strict=True)})


_scan_json = json.JSONDecoder().scan_once
_json_space = json.decoder.WHITESPACE.match


def _loads(text: str) -> object:
    """json.loads for one line, without its layers of Python calls: the C scanner, then
    a check that only white space follows. Anything unusual goes to json.loads itself,
    which raises the error it always raised."""
    try:
        value, end = _scan_json(text, _json_space(text, 0).end())
    except (StopIteration, ValueError, RecursionError):
        return json.loads(text)
    if _json_space(text, end).end() != len(text):
        return json.loads(text)
    return value


def parse_jsonl_line(number: int, line: bytes) -> Row | BadRow:
    try:
        text = line.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        return BadRow(number, f"invalid UTF-8 at byte {exc.start}")
    try:
        value = _loads(text)
    except json.JSONDecodeError as exc:
        return BadRow(number, f"invalid JSON: {exc.msg} at column {exc.colno}")
    except RecursionError:
        return BadRow(number, "invalid JSON: nested too deeply")
    if not isinstance(value, dict):
        return BadRow(number, f"expected a JSON object, got {type(value).__name__}")
    return Row(number, value)


def apply_mapping(row: Row | BadRow, mapping: Mapping[str, str]) -> Row | BadRow:
    """Rename a row's columns to fields (see parse_mapping)."""
    if isinstance(row, Row) and mapping:
        row.fields = {mapping.get(k, k): v for k, v in row.fields.items()}
    return row


def _has_surrogates(values: list[str]) -> bool:
    for value in values:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
    return False
