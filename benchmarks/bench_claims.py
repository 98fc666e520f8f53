"""Benchmark: check every registered paper claim (what ``rmc verify`` runs), in a fresh
process, and print the time per claim and the total (import included).

    python benchmarks/bench_claims.py [--json] [--jobs N]

Target (issue 6): all registered claims within 60 s on a 2-core machine.
"""

from __future__ import annotations

import json
import os
import sys
import time


def main() -> int:
    t0 = time.perf_counter()
    from proofs_check.claims import CLAIMS, check_all

    t_import = time.perf_counter() - t0
    jobs = None
    if "--jobs" in sys.argv:
        jobs = int(sys.argv[sys.argv.index("--jobs") + 1])
    reports = check_all(jobs=jobs)
    total = time.perf_counter() - t0
    rows = [(r.claim, str(r.status), r.seconds) for r in reports]
    if "--json" in sys.argv:
        print(json.dumps({"claims": len(CLAIMS), "import_s": t_import, "total_s": total,
                          "rows": rows}, indent=1))
        return 0
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"cores: {os.cpu_count()}, load average: {load:.1f}, claims: {len(CLAIMS)}, "
          f"jobs: {jobs or 'auto'}")
    for cid, st, secs in rows:
        print(f"  {cid:30s} {st:12s} {secs:7.2f} s")
    counts: dict[str, int] = {}
    for _, st, _ in rows:
        counts[st] = counts.get(st, 0) + 1
    print("statuses: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    import resource

    cpu = sum(getattr(resource.getrusage(who), f) for who in
              (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN) for f in ("ru_utime", "ru_stime"))
    print(f"import: {t_import:.1f} s; total wall time (import + all checks): {total:.1f} s; "
          f"CPU time (all processes): {cpu:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
