"""Hot spots: many reports of the same problem in the same area within a few days.

Pure functions on plain records (no Flask, no database, no classifier), so the same
code clusters the console's tickets and the TipDM benchmark messages.

How: character-bigram TF-IDF vectors (Chinese needs no word segmentation for this),
cosine similarity between reports of the same area, an edge when the similarity
passes a threshold and the two reports are at most `window_days` apart; clusters
are the connected components, kept when they reach `min_size` reports (followers
who said "+1" count as reports through `weight`).
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

_NOISE = re.compile(r"[\s\W_\d]+", re.UNICODE)
_PLACE = re.compile(r"[\u4e00-\u9fa5A-Za-z0-9]{1,10}?(?:路|街道|街|巷|小区|花园|广场|大道|村|社区|公寓|家园|苑|园|城|号楼|栋|大厦|市场|学校|医院|公园)")
_BORING_PLACES = {"街道", "社区", "小区", "道路", "A市"}


@dataclass(frozen=True)
class Report:
    id: int
    text: str
    area: str
    at: datetime
    weight: int = 1
    title: str = ""
    place: str = ""


@dataclass
class Cluster:
    area: str
    reports: list[Report]
    label: str = ""
    places: list[str] = field(default_factory=list)
    daily: list[tuple[str, int]] = field(default_factory=list)
    trend: str = "持平"

    @property
    def size(self) -> int:
        return sum(r.weight for r in self.reports)

    @property
    def first_at(self) -> datetime:
        return min(r.at for r in self.reports)

    @property
    def last_at(self) -> datetime:
        return max(r.at for r in self.reports)

    @property
    def ids(self) -> list[int]:
        return [r.id for r in self.reports]


def normalise(text: str) -> str:
    return _NOISE.sub("", unicodedata.normalize("NFKC", text or "").lower())


def places_in(text: str) -> list[str]:
    return [p for p in _PLACE.findall(unicodedata.normalize("NFKC", text or "")) if p not in _BORING_PLACES and len(p) >= 3]


class _UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def find_hotspots(reports: list[Report], *, threshold: float = 0.45, window_days: float = 7,
                  min_size: int = 3, now: datetime | None = None) -> list[Cluster]:
    """Clusters of similar reports in the same area and period, biggest first."""
    docs = [normalise(r.text) for r in reports]
    keep = [i for i, d in enumerate(docs) if len(d) >= 2]
    if len(keep) < 2:
        return []
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True, min_df=1)
    matrix = vectorizer.fit_transform([docs[i] for i in keep])
    by_area: dict[str, list[int]] = {}
    for row, i in enumerate(keep):
        by_area.setdefault(reports[i].area, []).append(row)
    uf = _UnionFind(len(keep))
    window = timedelta(days=window_days).total_seconds()
    for rows in by_area.values():
        if len(rows) < 2:
            continue
        sub = matrix[rows]
        sims = (sub @ sub.T).toarray()
        times = np.array([reports[keep[r]].at.timestamp() for r in rows])
        close = np.abs(times[:, None] - times[None, :]) <= window
        a_idx, b_idx = np.nonzero(np.triu((sims >= threshold) & close, k=1))
        for a, b in zip(a_idx, b_idx):
            uf.union(rows[a], rows[b])
    groups: dict[int, list[Report]] = {}
    for row, i in enumerate(keep):
        groups.setdefault(uf.find(row), []).append(reports[i])
    clusters = [_describe(members, now) for members in groups.values() if sum(r.weight for r in members) >= min_size]
    return sorted(clusters, key=lambda c: (-c.size, -c.last_at.timestamp()))


def _describe(members: list[Report], now: datetime | None) -> Cluster:
    members = sorted(members, key=lambda r: r.at)
    places = Counter()
    for r in members:
        for p in set(places_in(r.place or "") + places_in(r.title or r.text)):
            places[p] += r.weight
    top_places = [p for p, n in places.most_common(3) if n >= 2] or [p for p, _ in places.most_common(1)]
    days = Counter(r.at.date().isoformat() for r in members for _ in range(r.weight))
    end = (now or members[-1].at)
    span = max(1.0, (end - members[0].at).total_seconds())
    middle = end - timedelta(seconds=span / 2)
    recent = sum(r.weight for r in members if r.at >= middle)
    earlier = sum(r.weight for r in members if r.at < middle)
    trend = "上升" if recent > earlier * 1.2 else ("下降" if recent * 1.2 < earlier else "持平")
    sample = members[-1]
    return Cluster(
        area=members[0].area, reports=members, places=top_places,
        label=(sample.title or sample.text)[:40], daily=sorted(days.items()), trend=trend,
    )
