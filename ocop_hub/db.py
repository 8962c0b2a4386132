"""Database helpers shared by the apps."""

from collections.abc import Sequence

from django.db import connection, models


def rows_append(model: type[models.Model], fields: list[str], rows: Sequence[tuple]) -> None:
    """Insert append-only rows (audit events, import rows) with one executemany: for tens of
    thousands of rows Django's bulk_create spends most of its time building SQL object by object.
    Values must already be what the column stores (JSON as text, datetimes adapted)."""
    qn = connection.ops.quote_name
    columns = ", ".join(qn(model._meta.get_field(name).column) for name in fields)  # type: ignore[union-attr,arg-type]
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)  # type: ignore[arg-type]
