"""What a process remembers of the serials it was asked about, so that a scan of a known serial asks
the database nothing (issue 7: the scan page must answer at least 5% of nginx's static rate).

A serial's state (scans.selectors.serial_state) has two kinds of parts:
- its registry facts and the reviewers' flags (issued / voided, confirmed fake, far-apart alert):
  they change only through services, which move the resolver generation
  (traceability.changes.scan_pages_changed: a suspect-case decision, a far-apart alert), so every
  process drops what it remembers within OCOP_RESOLVER_GENERATION_CHECK_SECONDS;
- its summary (first checked, number of checks), which every scan changes. This process's own
  scans are added when its buffer writes them (`scans_written`); other processes' scans arrive when
  the state is read again, after OCOP_SCAN_STATE_CACHE_SECONDS. The first check never moves once
  set, so a remembered first check is exact; only the count can lag behind other workers' scans of
  the same serial by that long (the "too many checks" rule may then fire that much later).

A serial not yet checked anywhere is read again at each scan until this process's own check is
written (another worker may have checked it meanwhile); a serial never issued is not remembered (a
forged code costs its query, and a serial issued later is found at once)."""

import threading
import time
from dataclasses import dataclass, replace
from datetime import datetime

from django.conf import settings

from scans.selectors import SerialState, serial_state
from traceability import lookup


@dataclass
class _Remembered:
    state: SerialState
    asked_at: float  # monotonic, when the query was sent
    answered_at: float  # and when its answer came


_lock = threading.Lock()
_last_write = [0.0, 0.0]  # the last batch written by this process: started, ended (monotonic)


def _key(product_id: int, serial_value: str) -> tuple:
    return ("serial-state", product_id, serial_value)


def serial_state_remembered(*, product_id: int, serial_value: str) -> SerialState | None:
    """The serial's state as serial_state reads it, from memory when it may be trusted."""
    key = _key(product_id, serial_value)
    kept = lookup.peek(key)
    if isinstance(kept, _Remembered) and kept.state.first_seen_at is not None:
        return kept.state
    asked = time.monotonic()
    state = serial_state(product_id=product_id, serial_value=serial_value)
    if state is not None and settings.OCOP_SCAN_STATE_CACHE_SECONDS > 0:
        remembered = _Remembered(state, asked, time.monotonic())
        with _lock:
            # A batch written while the query ran, already accounted for: this answer may lack it.
            if not (asked <= _last_write[1] and remembered.answered_at >= _last_write[0]):
                lookup.keep(key, remembered, settings.OCOP_SCAN_STATE_CACHE_SECONDS)
    return state


def scans_written(
    written: dict[tuple[int, str], tuple[int, datetime]], *, started: float, ended: float
) -> None:
    """This process wrote scans into the serials' summaries between `started` and `ended` (monotonic):
    per (product id, serial value), how many and the earliest. A state read before the write began
    did not count them and now does; one read after it ended did; one read while it was being written
    may or may not have: it is forgotten and read again."""
    with _lock:
        _last_write[:] = [started, ended]
        for (product_id, serial_value), (count, first) in written.items():
            key = _key(product_id, serial_value)
            kept = lookup.peek(key)
            if not isinstance(kept, _Remembered):
                continue
            if kept.asked_at > ended:
                continue
            if kept.answered_at >= started:
                lookup.forget(key)
                continue
            seen = kept.state.first_seen_at
            kept.state = replace(
                kept.state,
                scan_count=kept.state.scan_count + count,
                first_seen_at=first if seen is None else min(seen, first),
            )
