"""Validate hot-spot clustering on real messages: TipDM 2020 messages_with_votes.csv.

    python -m bot.console.hotspots_tipdm [--path CSV] [--threshold 0.3] [--window-days 30] [--min-size 3]

The city's board has many messages about the same problem in the same place
(the contest's task 2). Area is the district/county named in the message (A1区, A7县…);
text is the title plus the start of the body. Prints how many clusters, their sizes
and sample titles, and the likes they gathered.
"""
from __future__ import annotations

import argparse
import csv
import re
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

from bot.console.hotspots import Report, find_hotspots

DEFAULT_PATH = Path("/work/shared/data/tipdm2020/messages_with_votes.csv")
_AREA = re.compile(r"A\d{1,2}[区县市]")


def parse_time(value: str) -> datetime | None:
    for fmt in ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(value.strip(), fmt)
        except ValueError:
            continue
    return None


def load(path: Path) -> tuple[list[Report], dict[int, int]]:
    reports, likes = [], {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            at = parse_time(row["time"])
            if at is None:
                continue
            title, body = row["title"].strip(), " ".join(row["body"].split())
            found = _AREA.search(title) or _AREA.search(body)
            rid = int(row["id"])
            likes[rid] = int(row.get("likes_点赞数") or 0)
            reports.append(Report(id=rid, text=f"{title} {body[:60]}", area=found.group(0) if found else "A市",
                                  at=at, title=title))
    return reports, likes


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--path", type=Path, default=DEFAULT_PATH)
    ap.add_argument("--threshold", type=float, default=0.3)
    ap.add_argument("--window-days", type=float, default=30)
    ap.add_argument("--min-size", type=int, default=3)
    ap.add_argument("--show", type=int, default=15)
    args = ap.parse_args(argv)
    reports, likes = load(args.path)
    started = time.perf_counter()
    clusters = find_hotspots(reports, threshold=args.threshold, window_days=args.window_days, min_size=args.min_size)
    elapsed = time.perf_counter() - started
    sizes = Counter(c.size for c in clusters)
    covered = sum(c.size for c in clusters)
    print(f"messages: {len(reports)}  areas: {len({r.area for r in reports})}  time: {elapsed:.2f}s")
    print(f"clusters (size ≥ {args.min_size}): {len(clusters)}  messages in clusters: {covered} "
          f"({covered / max(1, len(reports)):.1%})")
    print("size distribution: " + ", ".join(f"{s}×{n}" for s, n in sorted(sizes.items(), reverse=True)))
    for c in clusters[: args.show]:
        heat = sum(likes.get(i, 0) for i in c.ids)
        place = "、".join(c.places) or "—"
        print(f"\n[{c.size} 条] {c.area} {place}  {c.first_at:%Y-%m-%d} ~ {c.last_at:%Y-%m-%d}  点赞 {heat}  趋势 {c.trend}")
        for r in c.reports[:4]:
            print(f"   · {r.title[:50]}")


if __name__ == "__main__":
    main()
