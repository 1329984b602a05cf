"""A CSV text stream read a chunk of lines at a time into what Python's csv module makes of it, with the module
only where a line needs it.

A police.uk file is plain: no quotes (a year of Hertfordshire has one quoted line), one record a line, twelve cells
a record. For such lines csv's answer is the line without its line break, split at its commas; and when every line
of a chunk has the same number of commas, the chunk's columns are slices of one split of the whole chunk, with no
list per row at all. That is all this module adds: every line holding a quote is read by the csv module itself
(with the lines it runs on to, even past the chunk), and a chunk holding anything else csv treats specially (a NUL,
a line break inside a line, a cell longer than csv's field limit) is read by csv whole.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate, chain, compress, count, islice, repeat
from operator import contains


@dataclass(frozen=True)
class Chunk:
    """Records of a chunk of lines: as columns when each has `width` cells, else as rows; `lines[i]` is the line
    record i ends on (1-based in the file)."""

    columns: list[Sequence[str]] | None
    rows: list[list[str]] | None
    lines: Sequence[int]

    def head(self, size: int) -> Chunk:
        """The first `size` records."""
        columns = None if self.columns is None else [column[:size] for column in self.columns]
        return Chunk(columns, None if self.rows is None else self.rows[:size], self.lines[:size])


class Records:
    """The records of one text stream (opened with newline=""), the header first, then chunk by chunk.

    `line` is the number of lines read so far: where a decoding or csv error is, for its message.
    """

    def __init__(self, stream: Iterable[str]) -> None:
        """Read from `stream`, an iterator of lines each ending in its line break (the last may have none)."""
        self.stream: Iterator[str] = iter(stream)
        self.line = 0

    def header(self) -> list[str] | None:
        """The first record (None for an empty stream)."""
        reader = csv.reader(self.stream)
        try:
            return next(reader, None)
        finally:
            self.line = reader.line_num

    def chunk(self, size: int, width: int) -> Chunk | None:
        """The records of the next `size` lines (and of any line a quoted cell runs on to); None at the end."""
        lines: list[str] = []
        try:
            lines.extend(islice(self.stream, size))
        except UnicodeDecodeError:
            self.line += len(lines)  # the next is the line being decoded, as near as the decoder's buffer tells
            raise
        if not lines:
            return None
        before = self.line
        plain = list(map(str.rstrip, lines, repeat("\r\n")))
        text = "".join(plain)
        if "\x00" in text or "\r" in text or "\n" in text or max(map(len, plain)) > csv.field_size_limit():
            rows, spans = self._csv(lines, 0, len(lines))
        elif '"' in text:
            rows, spans = self._mixed(lines, plain)
        else:
            self.line += len(lines)
            commas = set(map(str.count, plain, repeat(",")))
            if commas == {width - 1}:
                cells = ",".join(plain).split(",")
                return Chunk([cells[i::width] for i in range(width)], None, range(before + 1, self.line + 1))
            return Chunk(None, list(map(str.split, plain, repeat(","))), range(before + 1, self.line + 1))
        return Chunk(None, rows, [before + line for line in accumulate(spans)])

    def _mixed(self, lines: list[str], plain: list[str]) -> tuple[list[list[str]], list[int]]:
        """Lines without a quote split at their commas; from each line with one, a record read by csv."""
        rows: list[list[str]] = []
        spans: list[int] = []
        done = 0
        for quoted in compress(count(), map(contains, lines, repeat('"'))):
            if quoted < done:
                continue  # a line a quoted cell ran on to
            rows += map(str.split, plain[done:quoted], repeat(","))
            spans += repeat(1, quoted - done)
            self.line += quoted - done
            more_rows, more_spans = self._csv(lines, quoted, quoted + 1)
            rows += more_rows
            spans += more_spans
            done = quoted + sum(more_spans)
        if done < len(lines):
            rows += map(str.split, plain[done:], repeat(","))
            spans += repeat(1, len(lines) - done)
            self.line += len(lines) - done
        return rows, spans

    def _csv(self, lines: list[str], start: int, end: int) -> tuple[list[list[str]], list[int]]:
        """Records read by the csv module from `lines[start:]` until it has read past `lines[end - 1]`, running on
        into the stream when a quoted cell does; with the number of lines each spans."""
        rest = iter(lines)
        rest.__setstate__(start)  # type: ignore[attr-defined]  # a list iterator starts where it is told
        reader = csv.reader(chain(rest, self.stream))
        rows: list[list[str]] = []
        spans: list[int] = []
        read = 0
        try:
            while read < end - start:
                row = next(reader, None)
                if row is None:
                    break
                rows.append(row)
                spans.append(reader.line_num - read)
                read = reader.line_num
        finally:
            self.line += reader.line_num
        return rows, spans
