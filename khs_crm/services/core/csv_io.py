"""CSV files that are safe to open in a spreadsheet, and strict reading of uploaded ones."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from khs_crm.services.core.errors import ValidationFailed

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
CHUNK_ROWS = 500


def neutralise(value: str) -> str:
    """Make a cell inert for spreadsheets by prefixing a single quote.

    Values that already start with quotes before a formula character get one more quote, so
    that ``restore`` gives back exactly the original value (the mapping is reversible).
    """
    return "'" + value if value.lstrip("'").startswith(FORMULA_STARTS) else value


def restore(value: str) -> str:
    """Undo ``neutralise``: drop one leading quote that guards a formula character."""
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_STARTS):
        return value[1:]
    return value


def write_csv(
    header: Sequence[str], rows: Iterable[Sequence[object]], *, bom: bool = True
) -> Iterator[str]:
    """Yield a CSV document in chunks: header first, every cell neutralised.

    The byte-order mark lets Excel read the file as UTF-8 (accents stay intact).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if bom:
        buffer.write(BOM)
    writer.writerow(header)
    for count, row in enumerate(rows, start=1):
        writer.writerow([neutralise("" if v is None else str(v)) for v in row])
        if count % CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _file_error(message: str) -> ValidationFailed:
    return ValidationFailed(message, details=[{"field": "file", "message": message}])


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _file_error("The file is not UTF-8 text; save it as “CSV UTF-8”.") from exc


def _header(cells: list[str], columns: Sequence[str], required: set[str]) -> list[str]:
    names = [c.strip().lower() for c in cells]
    unknown = [n for n in names if n not in columns]
    if unknown:
        raise _file_error(
            f"Unknown column(s) {', '.join(repr(n) for n in unknown)}; "
            f"the columns are: {', '.join(columns)}."
        )
    if len(set(names)) != len(names):
        raise _file_error("A column appears twice in the header.")
    missing = required - set(names)
    if missing:
        raise _file_error(f"The header must include: {', '.join(sorted(missing))}.")
    return names


def read_csv(
    content: bytes, *, columns: Sequence[str], required: set[str], max_rows: int
) -> tuple[list[tuple[int, dict[str, str]]], list[dict[str, str]]]:
    """Parse an uploaded CSV whose first row is a header naming some of ``columns``.

    Returns (records, row errors): each record is (row number as a spreadsheet shows it,
    header row = 1; {column: restored value}); missing trailing cells read as "".
    Raises ValidationFailed for a file that is not UTF-8 CSV, has a bad header or too many
    rows.
    """
    reader = csv.reader(io.StringIO(_decode(content), newline=""))
    records: list[tuple[int, dict[str, str]]] = []
    errors: list[dict[str, str]] = []
    names: list[str] | None = None
    try:
        for number, cells in enumerate(reader, start=1):
            if not any(restore(c).strip() for c in cells):  # blank, once un-neutralised
                continue
            if names is None:
                names = _header(cells, columns, required)
            elif len(cells) > len(names):
                errors.append({"field": f"row {number}", "message": "more cells than columns"})
            elif len(records) + len(errors) >= max_rows:
                raise _file_error(f"The file has more than {max_rows:,} rows.")
            else:
                records.append(
                    (number, {n: restore(c) for n, c in zip(names, cells, strict=False)})
                )
    except csv.Error as exc:
        message = f"This is not a readable CSV file (line {reader.line_num}): {exc}."
        raise _file_error(message) from exc
    if names is None:
        raise _file_error("The file is empty.")
    return records, errors
