"""Scans wait in the process's memory and are written in batches, so a scan page never waits for an
INSERT and a burst of scans is a few bulk inserts instead of thousands of transactions.

A batch is written when OCOP_SCAN_BUFFER_SIZE scans are waiting, when the oldest has waited
OCOP_SCAN_FLUSH_SECONDS (checked at each scan and by a daemon thread while the process is idle), and
when the process exits. A batch that cannot be written (database away) is logged and kept for the
next try, up to MAX_KEPT_BATCHES batches: after that the oldest scans are dropped (with a warning) so
memory stays bounded. Nothing here raises to the scan page.

What the page must get right for its visitor — first check and count of a serial — is the stored
summary plus the scans of that serial still waiting here (`pending_of`). Across processes, a repeat
scan that lands on another worker within one flush interval may not see a scan still waiting in the
first; the interval (5 s by default) makes that a scan repeated within seconds."""

import atexit
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)

MAX_KEPT_BATCHES = 10


@dataclass(frozen=True)
class PendingScan:
    at: datetime
    product_id: int
    lot_code: str
    serial_value: str
    serial_id: int | None
    visitor_key: str
    rules: tuple[str, ...] = ()
    suspect: bool = False
    code_path: str = ""
    details: dict = field(default_factory=dict)


class ScanBuffer:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._pending: list[PendingScan] = []
        self._in_flight: list[PendingScan] = []
        # Per serial, the scans waiting or being written: [count, first time]. Kept with the lists so
        # that `pending_of` (every scan page) is a dict look-up, not a walk over the buffer.
        self._by_serial: dict[int, list] = {}
        self._oldest: float | None = None  # monotonic time the oldest waiting scan arrived
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._exit_hook = False

    # --- what the page reads ----------------------------------------------------------------------

    def pending_of(self, serial_id: int) -> tuple[int, datetime | None]:
        """Scans of a serial not yet written (waiting or being written): their count and the first
        one's time."""
        with self._lock:
            seen = self._by_serial.get(serial_id)
            return (seen[0], seen[1]) if seen else (0, None)

    def _index_add(self, scan: PendingScan) -> None:  # under self._lock
        if scan.serial_id is None:
            return
        seen = self._by_serial.get(scan.serial_id)
        if seen is None:
            self._by_serial[scan.serial_id] = [1, scan.at]
        else:
            seen[0] += 1
            seen[1] = min(seen[1], scan.at)

    def _index_remove(self, scans: list[PendingScan]) -> None:  # under self._lock
        # A removed scan is written (its time is in the stored summary) or dropped: the earliest time
        # kept for the rest may be one of them, which the summary then also holds.
        for scan in scans:
            seen = self._by_serial.get(scan.serial_id) if scan.serial_id is not None else None
            if seen is not None and scan.serial_id is not None:
                seen[0] -= 1
                if seen[0] <= 0:
                    del self._by_serial[scan.serial_id]

    def __len__(self) -> int:
        with self._lock:
            return len(self._pending)

    # --- what the page writes ---------------------------------------------------------------------

    def append(self, scan: PendingScan) -> None:
        size = max(1, settings.OCOP_SCAN_BUFFER_SIZE)
        interval = settings.OCOP_SCAN_FLUSH_SECONDS
        now = time.monotonic()
        with self._lock:
            self._pending.append(scan)
            self._index_add(scan)
            if self._oldest is None:
                self._oldest = now
            due = len(self._pending) >= size or (interval > 0 and now - self._oldest >= interval)
        if not self._exit_hook:
            self._exit_hook = True
            atexit.register(self.flush)
        if interval > 0:
            self._thread_start(interval)
        if due:
            if self._thread is not None and self._thread.is_alive():
                self._wake.set()  # the thread writes; this request goes on
            else:
                self.flush()

    def flush(self) -> int:
        """Write what is waiting; the number of scans written (0 when the write failed)."""
        from scans.services import scans_record  # services use this buffer: import on use

        with self._flush_lock:
            with self._lock:
                batch, self._pending, self._oldest = self._pending, [], None
                self._in_flight = batch
            if not batch:
                return 0
            started = time.monotonic()
            try:
                scans_record(batch)
            except Exception:
                logger.exception("%s scans could not be written; kept for the next try", len(batch))
                self._keep(batch)
                return 0
            finally:
                with self._lock:
                    self._in_flight = []
            _remembered_states_add(batch, started=started, ended=time.monotonic())
            with self._lock:
                self._index_remove(batch)
            return len(batch)

    def _keep(self, batch: list[PendingScan]) -> None:
        limit = MAX_KEPT_BATCHES * max(1, settings.OCOP_SCAN_BUFFER_SIZE)
        with self._lock:
            kept = batch + self._pending
            if len(kept) > limit:
                logger.warning(
                    "%s waiting scans dropped: the database has been away too long", len(kept) - limit
                )
                self._index_remove(kept[:-limit])
                kept = kept[-limit:]
            self._pending = kept
            self._oldest = time.monotonic()

    def clear(self) -> None:
        """Forget what is waiting (tests)."""
        with self._lock:
            self._pending, self._in_flight, self._oldest = [], [], None
            self._by_serial = {}

    # --- the timer ----------------------------------------------------------------------------------

    def _thread_start(self, interval: float) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._thread = threading.Thread(
                target=self._run, args=(interval,), name="scan-buffer-flush", daemon=True
            )
            self._thread.start()

    def _run(self, interval: float) -> None:
        while True:
            self._wake.wait(timeout=interval)
            self._wake.clear()
            written = 0
            try:
                written = self.flush()
            except Exception:  # flush logs its own failures; this keeps the thread alive whatever
                logger.exception("Scan buffer flush failed")
            finally:
                # This thread's own connection stays open while scans keep coming (a new PostgreSQL
                # connection per batch cost the server more than the batch); idle or failed, closed.
                if not written:
                    connection.close()


def _remembered_states_add(batch: list[PendingScan], *, started: float, ended: float) -> None:
    from scans.serial_memory import scans_written

    written: dict[tuple[int, str], tuple[int, datetime]] = {}
    for scan in batch:
        if scan.serial_id is None:
            continue
        key = (scan.product_id, scan.serial_value)
        count, first = written.get(key, (0, scan.at))
        written[key] = (count + 1, min(first, scan.at))
    if written:
        scans_written(written, started=started, ended=ended)


scan_buffer = ScanBuffer()
