"""Reads a Delta table with delta-rs (the `deltalake` package, no Spark, no JVM) and prints it as JSON lines.

    read_delta.py TABLE_PATH [SORT_COLUMN]

The first line describes what was read: {"version": N, "columns": [...], "protocol": {...}}.
Then one JSON object per row, sorted by SORT_COLUMN (default customer_id) so that the output is
stable, with values in a form any reader compares exactly:
  date -> "YYYY-MM-DD", timestamp -> "YYYY-MM-DDTHH:MM:SS.ffffffZ" (UTC, microseconds, as Delta
  stores them), decimal -> its plain string with the column's scale ("500.00"), array -> list,
  null -> null; strings, integers and doubles as JSON has them.

io.crmlake.scores.DeltaRsReaderTest runs it with the test virtualenv's python (bin/test-venv) to
show that gold tables are plain Delta that non-Spark readers open.
"""

import datetime
import decimal
import json
import sys

import pyarrow
from deltalake import DeltaTable, QueryBuilder


def plain(value):
    """A value of a pyarrow row as JSON-ready data (see the module's doc for the forms)."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):  # before date: a datetime is a date too
        if value.tzinfo is None:
            # Delta's TIMESTAMP is an instant; a naive value would be TIMESTAMP_NTZ, kept as written.
            return value.strftime("%Y-%m-%dT%H:%M:%S.%f")
        return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value, "f")  # never exponent notation
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def main(argv):
    if len(argv) not in (2, 3):
        sys.exit("usage: read_delta.py TABLE_PATH [SORT_COLUMN]")
    path = argv[1]
    sort_column = argv[2] if len(argv) == 3 else "customer_id"

    table = DeltaTable(path)
    # One snapshot for the version and the rows: both come from the log as this object loaded it.
    # The rows come through delta-rs's own query engine (DataFusion): DeltaTable.to_pyarrow_table()
    # reads through pyarrow's dataset scanner, whose threads outlive the script with deltalake 1.6.6
    # and pyarrow 26 and abort the interpreter at exit ("terminate called without an active
    # exception", exit code 134) in most runs, after the output is complete.
    rows = pyarrow.table(QueryBuilder().register("t", table).execute("SELECT * FROM t"))
    protocol = table.protocol()
    print(json.dumps({
        "version": table.version(),
        "columns": rows.column_names,
        "protocol": {
            "min_reader_version": protocol.min_reader_version,
            "min_writer_version": protocol.min_writer_version,
            "reader_features": protocol.reader_features,
            "writer_features": protocol.writer_features,
        },
    }))
    for row in sorted(rows.to_pylist(), key=lambda r: (r[sort_column] is None, r[sort_column])):
        print(json.dumps({k: plain(v) for k, v in row.items()}))


if __name__ == "__main__":
    main(sys.argv)
