"""Database helpers shared by the apps."""

from collections.abc import Sequence

from django.db import connection, models


def rows_append(model: type[models.Model], fields: list[str], rows: Sequence[tuple]) -> None:
    """Insert append-only rows (audit events, import rows) with one executemany: for tens of
    thousands of rows Django's bulk_create spends most of its time building SQL object by object.
    Values must already be what the column stores (JSON as text, datetimes adapted)."""
    qn = connection.ops.quote_name
    columns = ", ".join(qn(model._meta.get_field(name).column) for name in fields)  # type: ignore[union-attr,arg-type]
    table = qn(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: psycopg's executemany runs a Python pipeline step per row, which cost the scan
            # buffer's writer more than the scan page itself (issue 7's bench).
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(fields))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # type: ignore[arg-type]  # noqa: S608
