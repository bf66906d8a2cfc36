"""Rows to text: one formatter shared by every CLI command that prints rows.

``write_rows(columns, rows, fmt, stream)`` writes a table (a rich table on a terminal, plain aligned text
otherwise), CSV, TSV or JSON (a list of objects). ``format_option`` is the click option every such command
reuses, so they all accept the same ``--format``.
"""
from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from typing import IO, Any

FORMATS = ("table", "csv", "tsv", "json")

_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _is_terminal(stream: IO[str]) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (ValueError, OSError):
        return False


def _cell_width(text: str) -> int:
    from rich.cells import cell_len  # counts wide and combining characters the way a terminal does

    return cell_len(text)


def _write_plain_table(columns: Sequence[str], rows: list[list[str]], stream: IO[str]) -> None:
    # Newlines inside a cell would break the alignment; show them as a visible escape.
    rows = [[cell.replace("\r", "").replace("\n", "\\n") for cell in row] for row in rows]
    widths = [_cell_width(name) for name in columns]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], _cell_width(cell))

    def line(cells: Sequence[str]) -> str:
        padded = [cell + " " * (widths[i] - _cell_width(cell)) for i, cell in enumerate(cells)]
        return "  ".join(padded).rstrip() + "\n"

    stream.write(line(columns))
    stream.write(line(["-" * w for w in widths]))
    for row in rows:
        stream.write(line(row))


def _write_rich_table(columns: Sequence[str], rows: list[list[str]], stream: IO[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False, header_style="bold")
    for name in columns:
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(*row)
    Console(file=stream).print(table)


def write_rows(columns: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str = "table",
               stream: IO[str] | None = None) -> None:
    """Write rows under a header; ``None`` cells are empty (null in JSON)."""
    import sys

    if fmt not in FORMATS:
        raise ValueError(f"unknown output format {fmt!r}; use one of {', '.join(FORMATS)}")
    stream = stream if stream is not None else sys.stdout
    columns = [str(c) for c in columns]
    if fmt == "json":
        objects = [dict(zip(columns, row)) for row in rows]
        json.dump(objects, stream, ensure_ascii=False, indent=2)
        stream.write("\n")
        return
    if fmt == "csv":
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_text(cell) for cell in row])
        return
    if fmt == "tsv":
        stream.write("\t".join(c.translate(_TSV_ESCAPES) for c in columns) + "\n")
        for row in rows:
            stream.write("\t".join(_text(cell).translate(_TSV_ESCAPES) for cell in row) + "\n")
        return
    text_rows = [[_text(cell) for cell in row] for row in rows]
    if _is_terminal(stream):
        _write_rich_table(columns, text_rows, stream)
    else:
        _write_plain_table(columns, text_rows, stream)


def format_option(default: str = "table"):
    """The shared ``--format`` option (a decorator for click commands that print rows)."""
    import click

    return click.option(
        "--format", "-f", "fmt", type=click.Choice(FORMATS), default=default, show_default=True,
        help="How to print the rows.",
    )
