"""The worker's half of a photo: download, decrypt, check, store, and say so when it fails.

The webhook only writes a `Photo` row (handlers.photos) and acknowledges; after the commit one
job per photo (`download_photo_job`) does the slow part, never before the ack:
1. the URL must be on a configured origin (bot.intake.media_url): nothing else is ever fetched;
2. download without redirects, at most PHOTO_MAX_BYTES (+ padding), within the API timeout;
3. decrypt: AES-256-CBC with the robot's EncodingAESKey, IV = key[:16], PKCS#7 to 32 bytes;
   (a photo sent to the Official Account or the WeCom app is instead asked for by its MediaId
   on the API base, bot.intake.platform_media, through the same capped GET, and comes plain;
   a conversation-archive photo comes from the archive's GetMediaData, plain too)
4. sniff the bytes (JPEG, PNG, GIF, WebP only), open them with Pillow (a decompression bomb
   or a broken file is refused), make a 320-pixel JPEG thumbnail;
5. store both through the photo store (bot.intake.photo_store) and mark the row stored.

A network failure or a 5xx is retried with backoff (the sweep re-finds due rows); an expired or
missing URL, a foreign host, bytes that do not decrypt, something not an image or too large fails
at once. A failure is written on the ticket's timeline (when the photo is on one) and the sender
is told in a direct message; the ticket, the message and the other photos are unaffected.
"""
from __future__ import annotations

import base64
import hashlib
import io
import logging
from dataclasses import dataclass
from datetime import timedelta

import requests
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from PIL import Image, UnidentifiedImageError
from sqlalchemy import select, update

from bot.delivery.channels.errors import DeliveryError
from bot.delivery.outbox import add_outgoing, deliver_soon
from bot.intake import media_url, platform_media
from bot.intake.archive.errors import KeyConfigError, MediaRefused, MediaUnavailable
from bot.intake.archive.lines import ARCHIVE_PHOTO
from bot.intake.photo_store import PhotoStoreError, photo_key
from bot.runtime.services import Services, services
from handlers.events import OutgoingMessage
from handlers.people import DIRECT_ROUTE
from models import Identity, Photo, Ticket, TicketEvent

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=120)  # a claimed row is left alone this long by the sweep
THUMB_PIXELS = 320
# Pillow's default bomb limit is ~89 megapixels; a phone photo is 12-50.
MAX_PIXELS = 64_000_000
SNIFF = (
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
)
FAILED_TEXT = "您发送的照片未能保存：{reason}。如需补充，请重新发送照片。"
REASONS = {
    "expired": "下载链接已过期",
    "foreign": "来源地址不在允许范围内",
    "too_large": "文件超过 {mb} MB",
    "undecryptable": "文件无法解密",
    "not_image": "文件不是图片（仅支持 JPG、PNG、GIF、WebP）",
    "gave_up": "多次下载失败",
    "media_gone": "图片已失效，无法下载",
}


class Refused(Exception):
    """The photo can never be stored (the reason code is the message); no retry."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason)
        self.detail = detail  # for the row's last_error (an errcode), never for the sender


class Retry(Exception):
    """Worth another try later (network, 5xx, the store unreachable)."""


@dataclass(frozen=True)
class Checked:
    data: bytes
    content_type: str
    extension: str
    width: int
    height: int
    thumbnail: bytes


def aes_key(encoding_aes_key: str) -> bytes:
    return base64.b64decode(encoding_aes_key + "=")


def decrypt(data: bytes, key: bytes) -> bytes:
    """WeCom robot media: AES-256-CBC, IV = key[:16], PKCS#7 padded to a multiple of 32 bytes."""
    if not data or len(data) % 16:
        raise Refused("undecryptable")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = decryptor.update(data) + decryptor.finalize()
    pad = plain[-1]
    if not 1 <= pad <= 32 or plain[-pad:] != bytes([pad]) * pad:
        raise Refused("undecryptable")
    return plain[:-pad]


def encrypt(plain: bytes, key: bytes) -> bytes:
    """The inverse of decrypt (the fake WeCom server serves media this way)."""
    pad = 32 - len(plain) % 32
    padded = plain + bytes([pad]) * pad
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return encryptor.update(padded) + encryptor.finalize()


def sniff(data: bytes) -> tuple[str, str] | None:
    for magic, content_type, extension in SNIFF:
        if data.startswith(magic):
            return content_type, extension
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", "webp"
    return None


def check_image(data: bytes) -> Checked:
    """Only real images of the kinds we show: sniffed, opened and decoded by Pillow, thumbnailed."""
    kind = sniff(data)
    if kind is None:
        raise Refused("not_image")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise Refused("too_large")
            image.draft("RGB", (THUMB_PIXELS, THUMB_PIXELS))  # JPEG: decode at 1/2..1/8 scale, every block still read
            thumb = image.convert("RGB")
            thumb.thumbnail((THUMB_PIXELS, THUMB_PIXELS))
            out = io.BytesIO()
            thumb.save(out, "JPEG", quality=80)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise Refused("not_image") from None
    return Checked(data, kind[0], kind[1], width, height, out.getvalue())


def fetch(url: str, origins: tuple[str, ...], max_bytes: int, timeout: float,
          http: requests.Session | None = None, params: dict[str, str] | None = None) -> bytes:
    """The bytes at url (with query params), if url is on an allowed origin and small enough.

    Neither url nor params reach an error or a log line: params may hold an access token.
    """
    if not media_url.allowed(url, origins):
        raise Refused("foreign")
    limit = max_bytes + 32  # the ciphertext is padded up to 32 bytes longer than the image
    try:
        resp = (http or requests).get(url, params=params, timeout=timeout, stream=True, allow_redirects=False)
    except requests.RequestException as exc:
        raise Retry(type(exc).__name__) from None
    with resp:
        if resp.status_code in (403, 404, 410) or 300 <= resp.status_code < 400:
            raise Refused("expired")  # a signed URL that lapsed (or moved: we never follow)
        if resp.status_code != 200:
            raise Retry(f"HTTP {resp.status_code}")
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise Refused("too_large")
        body = bytearray()
        try:
            for chunk in resp.iter_content(64 * 1024):
                body += chunk
                if len(body) > limit:
                    raise Refused("too_large")
        except requests.RequestException as exc:
            raise Retry(type(exc).__name__) from None
    return bytes(body)


def prepare(svc: Services, url: str, http: requests.Session | None = None) -> Checked:
    """Download, decrypt and check one photo (no database): the whole slow part, for the job and the bench."""
    s = svc.settings
    if url.startswith(ARCHIVE_PHOTO):
        return check_image(fetch_archived(svc, url[len(ARCHIVE_PHOTO):]))
    if (media := platform_media.parse(url)) is not None:
        return check_image(fetch_platform_media(svc, *media, http=http))
    raw = fetch(url, s.media_origins, s.photo_max_bytes, s.api_timeout_seconds, http)
    plain = decrypt(raw, aes_key(s.robot_aes_key))
    if len(plain) > s.photo_max_bytes:
        raise Refused("too_large")
    return check_image(plain)


def fetch_archived(svc: Services, sdkfileid: str) -> bytes:
    """A photo from the conversation archive: GetMediaData's slices are the file itself (not encrypted)."""
    try:
        archive = svc.archive
    except KeyConfigError as exc:
        raise Retry(str(exc)) from None
    if archive is None:
        raise Retry("the archive is off (ARCHIVE_SOURCE is empty)")
    try:
        data = archive.source.get_media(sdkfileid, svc.settings.photo_max_bytes)
    except MediaUnavailable as exc:
        raise Retry(str(exc)) from None
    except MediaRefused as exc:
        raise Refused("too_large" if str(exc) == "too_large" else "expired") from None
    return data


def fetch_platform_media(svc: Services, channel: str, media_id: str, http: requests.Session | None = None) -> bytes:
    """A photo sent to the Official Account ("wechat") or the WeCom app ("wecom"): by MediaId, plain bytes."""
    s = svc.settings
    client = platform_media.client_for(svc.deliverer, channel)
    if client is None:
        raise Retry("the Official Account is not configured (WECHAT_APP_ID)")

    def get_bytes(url: str, params: dict[str, str]) -> bytes:
        return fetch(url, (client.base_url,), s.photo_max_bytes, s.api_timeout_seconds, http, params)

    try:
        data = platform_media.download(client, media_id, get_bytes)
    except DeliveryError as exc:
        # 40007: the id is past its three days (or was never ours): no retry brings it back. Anything
        # else (a token that will not refresh, a quota, an unknown errcode) may pass: retried, then given up.
        if exc.errcode == platform_media.INVALID_MEDIA_ID:
            raise Refused("media_gone", str(exc)) from None
        raise Retry(str(exc)) from None
    if len(data) > s.photo_max_bytes:
        raise Refused("too_large")
    return data


def store(svc: Services, photo_id: int, checked: Checked) -> dict:
    digest = hashlib.sha256(checked.data).hexdigest()
    key = photo_key(photo_id, digest, checked.extension)
    thumb = photo_key(photo_id, digest, "jpg", "thumb")
    try:
        svc.photo_store.put(key, checked.data, checked.content_type)
        svc.photo_store.put(thumb, checked.thumbnail, "image/jpeg")
    except PhotoStoreError as exc:
        raise Retry(str(exc)) from None
    return {"storage_key": key, "thumb_key": thumb, "content_type": checked.content_type,
            "size_bytes": len(checked.data), "width": checked.width, "height": checked.height, "sha256": digest}


def _claim(svc: Services, photo_id: int, now) -> Photo | None:
    with svc.db.session() as session:
        got = session.execute(
            update(Photo).where(Photo.id == photo_id, Photo.state == "pending", Photo.next_attempt_at <= now)
            .values(attempts=Photo.attempts + 1, next_attempt_at=now + LEASE)
        ).rowcount
        session.commit()
        if got != 1:
            return None
        photo = session.get(Photo, photo_id)
        session.expunge(photo)
        return photo


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(600, 5 * 2 ** max(0, attempts - 1)))


def download_photo(svc: Services, photo_id: int) -> str:
    """One try at one photo; returns its state afterwards ("skipped" when not due or taken)."""
    now = svc.clock.now()
    photo = _claim(svc, photo_id, now)
    if photo is None:
        return "skipped"
    try:
        values = store(svc, photo_id, prepare(svc, photo.source_url))
    except Refused as refused:
        return _fail(svc, photo, str(refused), detail=refused.detail)
    except Retry as retry:
        if photo.attempts >= svc.settings.photo_download_attempts:
            return _fail(svc, photo, "gave_up", detail=str(retry))
        log.warning("photo %s download try %s failed (%s); retrying", photo_id, photo.attempts, retry)
        with svc.db.session() as session:
            session.execute(update(Photo).where(Photo.id == photo_id).values(
                next_attempt_at=now + backoff(photo.attempts), last_error=str(retry)[:200]))
            session.commit()
        return "pending"
    with svc.db.session() as session:
        # The short-lived URL (it carries a signature) is of no use once the bytes are ours.
        session.execute(update(Photo).where(Photo.id == photo_id).values(
            state="stored", stored_at=svc.clock.now(), source_url="", last_error=None, **values))
        session.commit()
    log.info("photo %s stored (%s, %d bytes)", photo_id, values["content_type"], values["size_bytes"])
    return "stored"


def _fail(svc: Services, photo: Photo, reason: str, detail: str = "") -> str:
    """Give up on one photo: the row says why, the ticket's timeline notes it, the sender is told."""
    text = REASONS[reason].format(mb=svc.settings.photo_max_bytes // (1024 * 1024))
    log.warning("photo %s not stored: %s %s", photo.id, reason, detail)
    now = svc.clock.now()
    with svc.db.session() as session:
        session.execute(update(Photo).where(Photo.id == photo.id).values(
            state="failed", last_error=f"{reason}: {detail}"[:200], source_url=""))
        if photo.ticket_id is not None:
            note_failure(session, photo.ticket_id, text, now)
        route = _sender_route(session, photo)
        rows = []
        if route is not None:
            rows = add_outgoing(session, [OutgoingMessage(
                route_kind=route[0], route_target=route[1],
                text=FAILED_TEXT.format(reason=text), dedup_key=f"photo{photo.id}:failed")], now)
        session.commit()
        ids = [r.id for r in rows]
    deliver_soon(svc, ids)
    return "failed"


def _sender_route(session, photo: Photo) -> tuple[str, str] | None:
    """Where the sender is told: their identity's direct route; for a photo sent one-to-one by someone
    the bot does not know yet (a first message to the Official Account), the channel they wrote on."""
    identity = session.execute(select(Identity).where(
        Identity.channel == photo.sender_channel, Identity.external_id == photo.sender_id)).scalar_one_or_none()
    if identity is not None:
        return identity.route_kind, identity.external_id
    if photo.chat_external_id is None and photo.sender_channel in DIRECT_ROUTE:
        return DIRECT_ROUTE[photo.sender_channel], photo.sender_id
    return None


def note_failure(session, ticket_id: int, reason: str, now) -> None:
    state = session.execute(select(Ticket.state).where(Ticket.id == ticket_id)).scalar_one_or_none()
    if state is not None:
        session.add(TicketEvent(ticket_id=ticket_id, actor_id=None, action="photo_failed", from_state=state,
                                to_state=state, note=f"照片未能保存：{reason}", created_at=now))


def download_photo_job(photo_id: int) -> str:
    """The worker's job for one photo (RQ or the in-process worker)."""
    return download_photo(services(), photo_id)


def enqueue_downloads(svc: Services, inbox_id: int) -> int:
    """After the message's commit: one download job per photo it brought."""
    with svc.db.session() as session:
        ids = session.execute(select(Photo.id).where(Photo.inbox_id == inbox_id, Photo.state == "pending")).scalars().all()
    for photo_id in ids:
        svc.jobs.enqueue(download_photo_job, photo_id)
    return len(ids)


def sweep_photos(svc: Services, now) -> int:
    """Photos due for a (re)try whose job was lost or whose backoff has passed."""
    with svc.db.session() as session:
        due = session.execute(select(Photo.id).where(Photo.state == "pending", Photo.next_attempt_at <= now)
                              .order_by(Photo.id).limit(200)).scalars().all()
    for photo_id in due:
        svc.jobs.enqueue(download_photo_job, photo_id)
    return len(due)
