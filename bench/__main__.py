"""`make bench`: every benchmark in one run; figures printed and written to bench/results/.

Each benchmark measures its own baseline in the same run (the echo app, a plain
TF-IDF model…), because these machines are noisy: the ratios are the figures. Those on the
shared PostgreSQL and Redis take a database and a Redis db of their own (bench/backends.py), so
`make bench` runs beside test runs and other benches without touching theirs.
"""
from __future__ import annotations

import importlib
import json
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
# (module, arguments); see each module for other sizes.
BENCHES = [
    ("bench.bench_webhook", ["--requests", "2000"]),
    ("bench.bench_load", ["--seconds", "30", "--rate", "20"]),
    ("bench.bench_classifier", []),
    ("bench.bench_conversations", []),
    ("bench.bench_language", []),
    ("bench.bench_outbox", []),
    ("bench.bench_knowledge", []),
    ("bench.bench_media", []),
    # --backlog 10000 is the figure (about 15 min on a shared 2-core machine); 2000 shows the rate.
    ("bench.bench_archive", ["--messages", "500", "--backlog", "2000"]),
    # The scale, seeded afresh in a database of the run's own (BENCH_DATABASE_URL: one kept and reused).
    ("bench.bench_console", ["--tickets", "1000000"]),
]


def main() -> int:
    RESULTS.mkdir(exist_ok=True)
    only = set(sys.argv[1:])
    failed = []
    for module, args in BENCHES:
        name = module.rsplit(".", 1)[-1]
        if only and name not in only:
            continue
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            print(f"== {name}: skipped ({exc})")
            continue
        print(f"== {name}", flush=True)
        t0 = time.perf_counter()
        try:
            mod.main(args + ["--json", str(RESULTS / f"{name}.json")])
        except SystemExit as exc:
            if exc.code not in (0, None):
                failed.append(name)
        except Exception as exc:  # noqa: BLE001 — report and go on with the others
            print(f"{name} failed: {type(exc).__name__}: {exc}")
            failed.append(name)
        print(f"   ({time.perf_counter() - t0:.0f} s)")
    if failed:
        print("failed:", ", ".join(failed))
    print(json.dumps({p.stem: json.loads(p.read_text()) for p in sorted(RESULTS.glob("*.json"))},
                     ensure_ascii=False)[:4000])
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
