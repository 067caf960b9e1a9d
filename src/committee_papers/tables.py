"""Tables of figures in appendices: reading CSV files with their line numbers, and checking
every cell a column's kind constrains (RAG statuses, dates).

A mistake in a CSV file is reported at the CSV file's own line (`appendices/x.csv:7:
Status: ...`), not at the report that names the file: that is the line the clerk must edit.
Rows written in YAML are reported at their YAML line. A blank RAG cell means "not rated"
and a blank date cell means no date; neither is a mistake.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from .model import Column, ColumnKind, Rag, Table
from .problems import LineMap, Loc, Problems

_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")

#: What a RAG cell may hold, for messages.
RAG_EXPECTED = "expected Red, Amber, Green or Blue (or R, A, G, B), or blank for not rated"


def parse_date(value: str) -> dt.date:
    """A table date as a clerk types it: 2027-05-22 or 22/05/2027 (day first, as in the UK)."""
    text = value.strip()
    match = _DMY.match(text)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text) if len(text) == 10 else _not_a_date(text)
    except ValueError:
        return _not_a_date(text)


def _not_a_date(text: str) -> dt.date:
    raise ValueError(f"{text!r} is not a date (expected YYYY-MM-DD or DD/MM/YYYY)")


def read_csv(text: str, table: Table, csv_path: str, where: LineMap, loc: Loc, problems: Problems):
    """Fill `table` from CSV `text`, remembering the line of each row in `csv_path`."""
    rows = csv.reader(io.StringIO(text))
    header = next(rows, [])
    declared = {c.key for c in table.columns}
    for missing in sorted(declared - set(header)):
        problems.add(where, (*loc, "columns"), f"column {missing!r} is not in {table.file}")
    if not table.columns:
        table.columns = [Column(key=h) for h in header]
    table.source, table.rows, table.row_lines = csv_path, [], []
    line = rows.line_num + 1
    for cells in rows:
        if cells and len(cells) != len(header):
            problems.add(
                csv_path,
                (),
                f"this row has {len(cells)} cells but the first line names {len(header)} "
                f"columns ({', '.join(header)}); check for a missing or extra comma, or a "
                "comma inside a value that is not in double quotes",
                line=line,
            )
        elif cells:  # a row whose cells do not match the columns is not checked further
            table.rows.append(dict(zip(header, cells, strict=True)))
            table.row_lines.append(line)
        line = rows.line_num + 1


def check_cells(table: Table, where: LineMap, loc: Loc, problems: Problems) -> None:
    """Every RAG and date cell, reported at the CSV line or the YAML line of its row."""
    kinds = [c for c in table.columns if c.kind in (ColumnKind.rag, ColumnKind.date)]
    for index, row in enumerate(table.rows):
        for column in kinds:
            value = (row.get(column.key) or "").strip()
            if not value:
                continue
            try:
                if column.kind is ColumnKind.rag:
                    Rag.parse(value)
                else:
                    parse_date(value)
            except ValueError as error:
                message = (
                    f"{value!r} is not a RAG status; {RAG_EXPECTED}"
                    if column.kind is ColumnKind.rag
                    else str(error)
                )
                if table.source:
                    problems.add(table.source, (column.key,), message, line=table.row_lines[index])
                else:
                    problems.add(where, (*loc, "rows", index, column.key), message)
