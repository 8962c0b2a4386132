"""Benchmarks behind `make bench`.

Each module listed in MODULES has a `run() -> bool` that measures something, prints a table and writes
var/bench/results-<name>.json; it returns False only on a correctness signal (e.g. a query count that
grows with page size), never because a timing was slow. Timings are printed as ratios against a
baseline measured in the same process and the same run, so they compare across machines.

The bench never touches the development database: it runs on its own SQLite file under var/bench
(or on BENCH_DATABASE_URL), kept between runs so generated data is reused.
"""

MODULES = [
    "registry_pages",
    "certificates_bench",
    "imports_bench",
    "resolver_bench",
    "labels_bench",
    "scan_bench",
    "search_bench",
    "catalogue_bench",
    "reports_bench",
]
