"""Photos on the console: signed, expiring links that only a viewer with the ticket in scope can open.

A ticket page lists its photos (the report's, then the resolution's: before and after) as
thumbnails that open the full picture. Each link names the photo, the variant and an expiry,
signed with SECRET_KEY (`sign`); the route checks the signature, the expiry, the console login
and that the photo's ticket is in the viewer's scope (else 404, as for tickets), then streams the
bytes from the photo store. Photos never go into a chat push; this is the only way to see them.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import time
from dataclasses import dataclass

from flask import Blueprint, Response, abort, current_app, g, request, url_for
from sqlalchemy import select

from bot.console import auth
from bot.intake.photo_store import PhotoMissing, PhotoStoreError
from bot.runtime.services import services
from models import Photo, Ticket

log = logging.getLogger(__name__)
bp = Blueprint("photos", __name__, url_prefix="/photos")
VARIANTS = ("thumb", "full")


def _sig(secret: str, photo_id: int, variant: str, expires: int) -> str:
    body = f"photo:{photo_id}:{variant}:{expires}"
    return hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()[:32]


def signed_url(photo_id: int, variant: str, now: float | None = None) -> str:
    s = current_app.config["SETTINGS"]
    expires = int((now or time.time()) + s.photo_link_seconds)
    return url_for("console.photos.show", photo_id=photo_id, variant=variant, exp=expires,
                   sig=_sig(s.secret_key, photo_id, variant, expires))


@dataclass(frozen=True)
class PhotoView:
    id: int
    role: str
    state: str
    thumb_url: str | None
    full_url: str | None
    attached_at: object


def ticket_photos(session, ticket_id: int) -> dict[str, list[PhotoView]]:
    """The ticket's photos by role ("report" before, "resolution" after), with fresh signed links."""
    rows = session.execute(select(Photo).where(Photo.ticket_id == ticket_id).order_by(Photo.id)).scalars()
    found: dict[str, list[PhotoView]] = {"report": [], "resolution": []}
    for p in rows:
        stored = p.state == "stored"
        found.setdefault(p.role or "report", []).append(PhotoView(
            p.id, p.role or "report", p.state, signed_url(p.id, "thumb") if stored else None,
            signed_url(p.id, "full") if stored else None, p.attached_at))
    return found


@bp.get("/<int:photo_id>/<variant>")
@auth.login_required
def show(photo_id: int, variant: str) -> Response:
    s = current_app.config["SETTINGS"]
    expires = request.args.get("exp", "")
    if variant not in VARIANTS or not expires.isascii() or not expires.isdigit():
        abort(404)
    good = hmac.compare_digest(request.args.get("sig", ""), _sig(s.secret_key, photo_id, variant, int(expires)))
    if not good or int(expires) < time.time():
        abort(403)  # a forged or lapsed link: the page hands out fresh ones
    svc = services()
    with svc.db.session() as db:
        photo = db.execute(
            select(Photo).join(Ticket, Ticket.id == Photo.ticket_id)
            .where(Photo.id == photo_id, Photo.state == "stored", g.viewer.ticket_clause())
        ).scalar_one_or_none()
        if photo is None:
            abort(404)
        key = photo.thumb_key if variant == "thumb" else photo.storage_key
        content_type = "image/jpeg" if variant == "thumb" else photo.content_type
    try:
        data = svc.photo_store.get(key)
    except PhotoMissing:
        abort(404)
    except PhotoStoreError:
        log.error("photo store unavailable for photo %s", photo_id)
        return Response("照片存储暂时不可用，请稍后再试。", status=503, mimetype="text/plain")
    resp = Response(data, mimetype=content_type)
    resp.headers["Cache-Control"] = f"private, max-age={max(0, int(expires) - int(time.time()))}"
    resp.headers["Content-Disposition"] = "inline"
    return resp
