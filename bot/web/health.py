"""Liveness and readiness for load balancers and process managers."""
from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import text

from bot.runtime.services import services

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    svc = services()
    checks = {}
    try:
        with svc.db.session() as session:
            session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 — report, never raise
        checks["database"] = type(exc).__name__
    try:
        svc.redis.ping()
        checks["redis"] = "ok"
    except Exception as exc:  # noqa: BLE001
        checks["redis"] = type(exc).__name__
    try:
        _ = svc.model  # loads it if this process has not yet
        checks["model"] = "ok"
    except Exception as exc:  # noqa: BLE001
        # An ArtifactError names why in a few fixed words ("digest mismatch", "no digest"), never a path.
        checks["model"] = getattr(exc, "reason", None) or type(exc).__name__
    ready = all(v == "ok" for v in checks.values())
    return jsonify(ready=ready, checks=checks), 200 if ready else 503
