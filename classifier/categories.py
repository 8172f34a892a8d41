"""Complaint categories: the one data file an admin extends (classifier/data/categories.csv).

Why a CSV: codes are the API, Chinese names are what users see, and handling level / deadline
drive the ticket loop; keeping them in one editable file means no code change to add a category
(retrain afterwards so the model knows it).
"""

from __future__ import annotations

import csv
import functools
import logging
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

CATEGORIES_PATH = Path(__file__).resolve().parent / "data" / "categories.csv"
LEVELS = ("grid", "community", "street", "district")


@dataclass(frozen=True)
class Category:
    """One complaint category with its default handling level and deadline."""

    code: str
    name_zh: str
    level: str
    deadline_hours: int
    keywords: tuple[str, ...] = ()


class CategoryFileError(ValueError):
    """The categories file is malformed; raised with the offending line number."""


def parse_categories(path: Path) -> dict[str, Category]:
    """Read and validate a categories CSV (code,name_zh,level,deadline_hours,keywords)."""
    out: dict[str, Category] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for lineno, row in enumerate(csv.DictReader(fh), start=2):
            code = (row.get("code") or "").strip()
            if not code or not code.replace("_", "").isalnum() or not code.isascii():
                raise CategoryFileError(f"{path}:{lineno}: bad code {code!r}")
            if code in out:
                raise CategoryFileError(f"{path}:{lineno}: duplicate code {code!r}")
            level = (row.get("level") or "").strip()
            if level not in LEVELS:
                raise CategoryFileError(f"{path}:{lineno}: level must be one of {LEVELS}")
            try:
                hours = int(row.get("deadline_hours") or "")
            except ValueError as exc:
                raise CategoryFileError(f"{path}:{lineno}: deadline_hours must be an integer") from exc
            if hours <= 0:
                raise CategoryFileError(f"{path}:{lineno}: deadline_hours must be positive")
            keywords = tuple(k.strip() for k in (row.get("keywords") or "").split("|") if k.strip())
            out[code] = Category(code, (row.get("name_zh") or "").strip(), level, hours, keywords)
    if "other" not in out:
        raise CategoryFileError(f"{path}: the fallback category 'other' is required")
    return out


@functools.lru_cache(maxsize=8)
def _load(path: str) -> dict[str, Category]:
    return parse_categories(Path(path))


def load_categories(path: str | Path | None = None) -> dict[str, Category]:
    """Categories keyed by code, in file order (cached; returns a fresh dict each call)."""
    return dict(_load(str(Path(path) if path else CATEGORIES_PATH)))
