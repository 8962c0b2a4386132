"""`python -m bench` (make bench): set up Django on the bench database, then run every module of
bench.MODULES in turn. Exits 1 when a module reports a correctness failure, never on a timing."""

import importlib
import sys
import time

from bench import MODULES, harness


def main() -> int:
    harness.configure()
    import django

    django.setup()
    started = time.perf_counter()
    harness.database_prepare()
    failed = []
    for name in MODULES:
        module = importlib.import_module(f"bench.{name}")
        print(f"\n=== bench.{name} ===")
        if not module.run():
            failed.append(name)
    print(f"\nBench finished in {time.perf_counter() - started:.1f} s.", end=" ")
    if failed:
        print(f"FAILED: {', '.join(failed)}.")
        return 1
    print("All checks passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
