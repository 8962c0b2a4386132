"""Two officials issuing at the same moment must get two consecutive numbers, never the same one.
Runs on both databases: PostgreSQL serialises them on the counter row (SELECT … FOR UPDATE), SQLite
on the write lock its IMMEDIATE transactions take at BEGIN (ocop_hub/settings.py)."""

import threading
import time
from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.db.utils import load_backend

from certificates.models import NumberCounter
from certificates.services import certificate_number_draw, number_pattern_check

PATTERN = "{seq:03d}/{year}/GCN-OCOP-{province}"


@contextmanager
def _on(database):
    """On SQLite, point this thread's default connection at a database file for the block.

    pytest's SQLite database lives in memory with a shared cache, where a second writer is told
    "database table is locked" at once (shared-cache locks ignore busy_timeout). Deployed SQLite is a
    file in WAL mode whose IMMEDIATE transactions queue behind busy_timeout: the race runs on such a
    file, with the project's own connection settings, so it tests what production does."""
    if database is None:
        yield
        return
    original = connections["default"]
    settings_dict = {**original.settings_dict, "NAME": str(database)}
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "default")
    connections["default"] = wrapper
    try:
        yield
    finally:
        wrapper.close()
        connections["default"] = original


@pytest.fixture
def race_database(transactional_db, tmp_path):
    if connection.vendor != "sqlite":
        yield None  # PostgreSQL: the test database itself, committed by each thread
        return
    path = tmp_path / "race.sqlite3"
    with _on(path), connection.schema_editor() as editor:
        editor.create_model(NumberCounter)
    yield path


def _draw_at_once(database, workers: int = 2) -> tuple[list[str], list[BaseException]]:
    barrier = threading.Barrier(workers)
    numbers: list[str] = []
    errors: list[BaseException] = []

    def official():
        try:
            with _on(database):
                barrier.wait(timeout=10)
                with transaction.atomic():
                    numbers.append(certificate_number_draw(issuer="15", year=2026, pattern=PATTERN))
                    # Still inside the transaction: the other official must wait, not read `last`.
                    time.sleep(0.2)
        except BaseException as exc:  # reported to the test thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=official) for _i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return numbers, errors


# available_apps: the flush after a transactional test empties only this app's tables, so the map
# and criteria loaded once per session stay for the tests that follow.
@pytest.mark.django_db(transaction=True, available_apps=["certificates"])
@pytest.mark.parametrize("last", [None, 7], ids=["first-of-the-year", "counter-exists"])
def test_it_gives_two_officials_issuing_at_once_consecutive_numbers(race_database, last):
    with _on(race_database):
        if last is not None:
            NumberCounter.objects.create(issuer="15", year=2026, last=last)
    start = (last or 0) + 1
    numbers, errors = _draw_at_once(race_database)
    assert errors == []
    assert sorted(numbers) == [f"{start:03d}/2026/GCN-OCOP-15", f"{start + 1:03d}/2026/GCN-OCOP-15"]
    with _on(race_database):
        assert NumberCounter.objects.get(issuer="15", year=2026).last == start + 1


@pytest.mark.django_db
def test_a_rolled_back_draw_leaves_no_gap():
    with pytest.raises(RuntimeError), transaction.atomic():
        certificate_number_draw(issuer="15", year=2026, pattern=PATTERN)
        raise RuntimeError("the decision could not be recorded")
    assert certificate_number_draw(issuer="15", year=2026, pattern=PATTERN) == "001/2026/GCN-OCOP-15"


@pytest.mark.django_db
def test_the_central_issuer_prints_tw():
    assert (
        certificate_number_draw(issuer="central", year=2026, pattern=PATTERN, stars=5)
        == "001/2026/GCN-OCOP-TW"
    )


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("{year}/GCN", "must contain {seq}"),
        ("{seq:03d}/{nam}", "is not valid"),
        ("{seq.__class__}/{year}", "is not valid"),
        ("{seq[0]}", "is not valid"),
        ("{seq:03d}/{year", "is not valid"),
        ("{seq:03d}/{province:03d}", "is not valid"),
        ("{seq:03d}" + "X" * 80, "too long"),
    ],
)
def test_it_refuses_a_pattern_that_cannot_number_certificates(pattern, message, english):
    with pytest.raises(ValidationError) as exc:
        number_pattern_check(pattern)
    assert message in " ".join(exc.value.message_dict["pattern"])


def test_it_shows_an_example_of_a_good_pattern():
    assert number_pattern_check("{seq:04d}/QĐ-{province}/{stars}S/{year}") == "0001/QĐ-15/4S/2026"
