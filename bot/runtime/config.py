"""One settings object, read from the environment (and an optional .env file).

Every setting has a name, a parser and a default; a missing or malformed value
fails at start-up with an error that names the setting. With nothing configured
the bot runs embedded: SQLite under instance/, an in-process Redis stand-in and an
in-process job worker, with demo channel credentials that the local sandbox shares.
"""
from __future__ import annotations

import base64
import binascii
import logging
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from bot.runtime import map_tiles
from handlers.community_config import CommunityConfig
from handlers.deadlines import WorkCalendar

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
INSTANCE = ROOT / "instance"

# Demo credentials for the local sandbox only (a production start refuses them).
DEMO_TOKEN = "GridWhistleDemoToken"
DEMO_AES_KEY = "R3JpZFdoaXN0bGVEZW1vS2V5Rm9yVGhlU2FuZGJveDE"  # 43 chars → 32 bytes
DEMO_CORP_ID = "wwgridwhistledemo"
# WeCom serves robot images (image.url) from this Tencent COS bucket (seen in real callbacks, 2026).
ROBOT_MEDIA_ORIGIN = "https://ww-aibot-img-1258476243.cos.ap-guangzhou.myqcloud.com"
# WeChat's own retries come within 15 s; five minutes also absorbs clock skew between the servers.
PRODUCTION_SIGNATURE_WINDOW = 300


class ConfigError(Exception):
    """A setting is missing or malformed; the message names it."""


def _aes_key(name: str, value: str) -> str:
    try:
        ok = len(value) == 43 and len(base64.b64decode(value + "=")) == 32
    except (binascii.Error, ValueError):
        ok = False
    if not ok:
        raise ConfigError(f"{name} must be a 43-character EncodingAESKey (base64 of 32 bytes)")
    return value


def _int(name: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {value!r}") from None


def _float(name: str, value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {value!r}") from None


def _bool(name: str, value: str) -> bool:
    low = value.strip().lower()
    if low in ("1", "true", "yes", "on"):
        return True
    if low in ("0", "false", "no", "off", ""):
        return False
    raise ConfigError(f"{name} must be true or false, got {value!r}")


def _url(name: str, value: str) -> str:
    if value and "://" not in value:
        raise ConfigError(f"{name} must be a URL such as http://127.0.0.1:8001, got {value!r}")
    return value.rstrip("/")


def with_database_driver(url: str) -> str:
    """PostgreSQL URLs as hosting platforms hand them out (postgres://, postgresql://) on the
    driver we install (psycopg2); SQLAlchemy alone would look for psycopg 3 and fail to start."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg2://" + url[len(prefix):]
    return url


@dataclass(frozen=True)
class Settings:
    env: str = field(default="development", metadata={"env": "GRIDWHISTLE_ENV"})
    secret_key: str = field(default="dev-only-secret", metadata={"env": "SECRET_KEY"})
    database_url: str = field(default="", metadata={"env": "DATABASE_URL"})
    # Empty means the embedded in-process Redis stand-in.
    redis_url: str = field(default="", metadata={"env": "REDIS_URL"})
    # "inprocess": a worker thread in the web process; "rq": separate RQ workers (Procfile).
    job_mode: str = field(default="", metadata={"env": "JOB_MODE"})

    wecom_token: str = field(default=DEMO_TOKEN, metadata={"env": "WECOM_TOKEN"})
    wecom_aes_key: str = field(default=DEMO_AES_KEY, metadata={"env": "WECOM_AES_KEY", "parse": _aes_key})
    wecom_corp_id: str = field(default=DEMO_CORP_ID, metadata={"env": "WECOM_CORP_ID"})
    wecom_secret: str = field(default="demo-secret", metadata={"env": "WECOM_SECRET"})
    wecom_agent_id: int = field(default=1000002, metadata={"env": "WECOM_AGENT_ID", "parse": _int})
    robot_token: str = field(default=DEMO_TOKEN, metadata={"env": "ROBOT_TOKEN"})
    robot_aes_key: str = field(default=DEMO_AES_KEY, metadata={"env": "ROBOT_AES_KEY", "parse": _aes_key})
    wechat_token: str = field(default=DEMO_TOKEN, metadata={"env": "WECHAT_TOKEN"})
    wechat_aes_key: str = field(default=DEMO_AES_KEY, metadata={"env": "WECHAT_AES_KEY", "parse": _aes_key})
    wechat_app_id: str = field(default="wxgridwhistledemo", metadata={"env": "WECHAT_APP_ID"})
    wechat_secret: str = field(default="demo-secret", metadata={"env": "WECHAT_SECRET"})
    wechat_template_id: str = field(default="demo-template", metadata={"env": "WECHAT_TEMPLATE_ID"})
    wecom_api_base_url: str = field(default="https://qyapi.weixin.qq.com", metadata={"env": "WECOM_API_BASE_URL", "parse": _url})
    wechat_api_base_url: str = field(default="https://api.weixin.qq.com", metadata={"env": "WECHAT_API_BASE_URL", "parse": _url})
    api_timeout_seconds: int = field(default=5, metadata={"env": "API_TIMEOUT_SECONDS", "parse": _int})

    # Replay window for callbacks; unset means 300 s in production and off (0) elsewhere, so recorded
    # official vectors still verify in development. See signature_window_seconds.
    signature_max_age_seconds: int | None = field(default=None,
                                                  metadata={"env": "SIGNATURE_MAX_AGE_SECONDS", "parse": _int})
    # How many reverse proxies (load balancer, nginx) stand in front of the web processes and append
    # X-Forwarded-For; 0 trusts no such header, so a client cannot pick its own address.
    trusted_proxies: int = field(default=0, metadata={"env": "TRUSTED_PROXIES", "parse": _int})
    max_body_bytes: int = field(default=64 * 1024, metadata={"env": "MAX_BODY_BYTES", "parse": _int})
    dedup_ttl_seconds: int = field(default=3 * 24 * 3600, metadata={"env": "DEDUP_TTL_SECONDS", "parse": _int})
    duplicate_window_hours: int = field(default=72, metadata={"env": "DUPLICATE_WINDOW_HOURS", "parse": _int})
    duplicate_similarity: float = field(default=0.5, metadata={"env": "DUPLICATE_SIMILARITY", "parse": _float})
    # The conversation layer's windows (handlers.conversation), in minutes: how long the bot waits for an
    # answer to its question; how long any detail from the reporter joins the fresh report; how long a
    # line of the reporter's naming the same problem still does; how long a neighbour's 我家也是 / 确实
    # refers to the chat's latest report. The memory keeps a sender's state two days at most.
    conversation_question_minutes: int = field(default=10, metadata={"env": "CONVERSATION_QUESTION_MINUTES",
                                                                     "parse": _int})
    conversation_continuation_minutes: int = field(default=5, metadata={"env": "CONVERSATION_CONTINUATION_MINUTES",
                                                                        "parse": _int})
    conversation_same_problem_minutes: int = field(default=120, metadata={"env": "CONVERSATION_SAME_PROBLEM_MINUTES",
                                                                          "parse": _int})
    conversation_agreement_minutes: int = field(default=360, metadata={"env": "CONVERSATION_AGREEMENT_MINUTES",
                                                                       "parse": _int})
    # Deadlines count working hours: "09:00-18:00" and ISO weekdays "1-5"; empty = all hours.
    working_hours: str = field(default="", metadata={"env": "WORKING_HOURS"})
    working_days: str = field(default="", metadata={"env": "WORKING_DAYS"})
    digest_hour: int = field(default=8, metadata={"env": "DIGEST_HOUR", "parse": _int})
    reminder_before_minutes: int = field(default=120, metadata={"env": "REMINDER_BEFORE_MINUTES", "parse": _int})
    rating_timeout_hours: int = field(default=72, metadata={"env": "RATING_TIMEOUT_HOURS", "parse": _int})
    reopen_deadline_hours: int = field(default=48, metadata={"env": "REOPEN_DEADLINE_HOURS", "parse": _int})
    outbox_max_attempts: int = field(default=8, metadata={"env": "OUTBOX_MAX_ATTEMPTS", "parse": _int})
    sweep_interval_seconds: int = field(default=5, metadata={"env": "SWEEP_INTERVAL_SECONDS", "parse": _int})
    flood_per_sender_per_minute: int = field(default=20, metadata={"env": "FLOOD_PER_SENDER_PER_MINUTE", "parse": _int})
    flood_per_chat_per_minute: int = field(default=300, metadata={"env": "FLOOD_PER_CHAT_PER_MINUTE", "parse": _int})
    # Community features (handlers/community_config.py reads these).
    knowledge_threshold: float = field(default=0.35, metadata={"env": "KNOWLEDGE_THRESHOLD", "parse": _float})
    proposal_days: int = field(default=14, metadata={"env": "PROPOSAL_DAYS", "parse": _int})
    proposal_threshold: str = field(default="10%", metadata={"env": "PROPOSAL_THRESHOLD"})
    proposal_min_supporters: int = field(default=3, metadata={"env": "PROPOSAL_MIN_SUPPORTERS", "parse": _int})
    points_rules: str = field(default="report=5/20,rating=2/10,proposal=20/40,volunteer=10/50",
                              metadata={"env": "POINTS_RULES"})
    classifier_model_path: str = field(default="", metadata={"env": "CLASSIFIER_MODEL_PATH"})
    # The artifact's SHA-256 as printed by `python -m classifier train`; when set, only that exact
    # file is unpickled (else the digest file written beside it at training vouches for it).
    classifier_model_sha256: str = field(default="", metadata={"env": "CLASSIFIER_MODEL_SHA256"})
    sandbox: bool = field(default=False, metadata={"env": "SANDBOX", "parse": _bool})

    # The robot's names as members see them: a leading "@网格哨" is addressed to the bot, not content.
    robot_names: str = field(default="网格哨", metadata={"env": "ROBOT_NAMES"})
    # Where robot media may be downloaded from (scheme://host[:port], comma-separated), besides the
    # WECOM_API_BASE_URL origin: WeCom serves robot images from its COS bucket. Nothing else is fetched.
    robot_media_origins: str = field(default=ROBOT_MEDIA_ORIGIN, metadata={"env": "ROBOT_MEDIA_ORIGINS"})
    # Photos: where they are kept ("local" files under PHOTO_DIR, or "s3": any S3-compatible store).
    photo_store: str = field(default="local", metadata={"env": "PHOTO_STORE"})
    photo_dir: str = field(default="", metadata={"env": "PHOTO_DIR"})
    photo_s3_endpoint_url: str = field(default="", metadata={"env": "PHOTO_S3_ENDPOINT_URL", "parse": _url})
    photo_s3_bucket: str = field(default="gridwhistle-photos", metadata={"env": "PHOTO_S3_BUCKET"})
    photo_s3_access_key: str = field(default="", metadata={"env": "PHOTO_S3_ACCESS_KEY"})
    photo_s3_secret_key: str = field(default="", metadata={"env": "PHOTO_S3_SECRET_KEY"})
    photo_s3_region: str = field(default="us-east-1", metadata={"env": "PHOTO_S3_REGION"})
    photo_max_bytes: int = field(default=10 * 1024 * 1024, metadata={"env": "PHOTO_MAX_BYTES", "parse": _int})
    # A photo without words waits this long for the sender's report (or a staff member's 办结).
    photo_window_minutes: int = field(default=10, metadata={"env": "PHOTO_WINDOW_MINUTES", "parse": _int})
    photos_per_sender_per_minute: int = field(default=12, metadata={"env": "PHOTOS_PER_SENDER_PER_MINUTE",
                                                                    "parse": _int})
    photo_download_attempts: int = field(default=6, metadata={"env": "PHOTO_DOWNLOAD_ATTEMPTS", "parse": _int})
    # How long a console link to a photo works (signed with SECRET_KEY).
    photo_link_seconds: int = field(default=600, metadata={"env": "PHOTO_LINK_SECONDS", "parse": _int})

    # The conversation archive (会话内容存档, bot.intake.archive): "" off, "sdk" Tencent's Finance SDK,
    # "local" the sandbox's stand-in (bot.local.archive_source). Chats with listening "all" are heard here.
    archive_source: str = field(default="", metadata={"env": "ARCHIVE_SOURCE"})
    # The archive's own corp id and secret (会话内容存档 Secret), when they differ from the app's.
    archive_corp_id: str = field(default="", metadata={"env": "ARCHIVE_CORP_ID"})
    archive_secret: str = field(default="", metadata={"env": "ARCHIVE_SECRET"}, repr=False)
    # Private keys by publickey_ver: "1:/path/key1.pem,2:env:ARCHIVE_KEY_V2" (a PEM file, or the PEM text in
    # the named environment variable). Read by bot.intake.archive.keys; never logged, never in repr.
    archive_private_key_files: str = field(default="", metadata={"env": "ARCHIVE_PRIVATE_KEY_FILES"}, repr=False)
    archive_pull_interval_seconds: float = field(default=5.0, metadata={"env": "ARCHIVE_PULL_INTERVAL_SECONDS",
                                                                        "parse": _float})
    # Records per GetChatData call (the SDK allows 1..1000).
    archive_batch_size: int = field(default=200, metadata={"env": "ARCHIVE_BATCH_SIZE", "parse": _int})
    # One pull job stops after this long and queues the next, so a backlog never holds the worker.
    archive_pull_budget_seconds: float = field(default=2.0, metadata={"env": "ARCHIVE_PULL_BUDGET_SECONDS",
                                                                      "parse": _float})
    # The SDK's own network timeout for GetChatData / GetMediaData, seconds.
    archive_sdk_timeout_seconds: int = field(default=10, metadata={"env": "ARCHIVE_SDK_TIMEOUT_SECONDS",
                                                                   "parse": _int})
    # User ids whose archived lines are the bot's own (the app's sender in appchat); robots ("wb…") always are.
    archive_own_senders: str = field(default="", metadata={"env": "ARCHIVE_OWN_SENDERS"})

    # The console map's raster tiles (bot.runtime.map_tiles): an XYZ template such as
    # https://t{s}.tianditu.gov.cn/vec_w/wmts?...&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=KEY, loaded
    # by the browser only. Empty: no tiles, the polygons on a plain background, nothing fetched.
    map_tile_url: str = field(default="", metadata={"env": "MAP_TILE_URL"})
    map_tile_subdomains: str = field(default="", metadata={"env": "MAP_TILE_SUBDOMAINS"})
    map_tile_attribution: str = field(default="", metadata={"env": "MAP_TILE_ATTRIBUTION"})

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, load_dotenv_file: bool = True) -> Settings:
        if environ is None:
            if load_dotenv_file:
                from dotenv import load_dotenv

                load_dotenv(ROOT / ".env", override=False)
            environ = dict(os.environ)
        values = {}
        for f in fields(cls):
            name = f.metadata["env"]
            if name in environ:
                parse = f.metadata.get("parse")
                raw = environ[name]
                values[f.name] = parse(name, raw) if parse else raw
        return cls(**values).validated()

    def validated(self) -> Settings:
        for f in fields(self):
            parse = f.metadata.get("parse")
            if parse is _aes_key:
                _aes_key(f.metadata["env"], getattr(self, f.name))
        try:
            WorkCalendar.parse(self.working_hours, self.working_days)
        except ValueError:
            raise ConfigError("WORKING_HOURS must look like 09:00-18:00 and WORKING_DAYS like 1-5") from None
        try:
            CommunityConfig(points_rules=self.points_rules).rules()
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
        windows = {"CONVERSATION_QUESTION_MINUTES": self.conversation_question_minutes,
                   "CONVERSATION_CONTINUATION_MINUTES": self.conversation_continuation_minutes,
                   "CONVERSATION_SAME_PROBLEM_MINUTES": self.conversation_same_problem_minutes,
                   "CONVERSATION_AGREEMENT_MINUTES": self.conversation_agreement_minutes}
        for name, minutes in windows.items():
            if not 1 <= minutes <= 2 * 24 * 60:  # the conversation memory forgets a sender after two days
                raise ConfigError(f"{name} must be 1 to 2880 minutes, got {minutes}")
        if self.conversation_same_problem_minutes < self.conversation_continuation_minutes:
            raise ConfigError("CONVERSATION_SAME_PROBLEM_MINUTES must be at least CONVERSATION_CONTINUATION_MINUTES")
        if self.signature_max_age_seconds is not None and self.signature_max_age_seconds < 0:
            raise ConfigError("SIGNATURE_MAX_AGE_SECONDS must be 0 (off) or more")
        if self.photo_store not in ("local", "s3"):
            raise ConfigError(f"PHOTO_STORE must be local or s3, got {self.photo_store!r}")
        if self.photo_store == "s3" and not (self.photo_s3_endpoint_url and self.photo_s3_bucket):
            raise ConfigError("PHOTO_STORE=s3 needs PHOTO_S3_ENDPOINT_URL and PHOTO_S3_BUCKET")
        for origin in self.media_origins:
            if not origin.startswith(("https://", "http://")) or origin.count("/") != 2:
                raise ConfigError(f"ROBOT_MEDIA_ORIGINS must list scheme://host[:port], got {origin!r}")
        if self.job_mode not in ("", "inprocess", "rq"):
            raise ConfigError(f"JOB_MODE must be inprocess or rq, got {self.job_mode!r}")
        if self.job_mode == "rq" and not self.redis_url:
            raise ConfigError("JOB_MODE=rq needs REDIS_URL (RQ workers share Redis with the web processes)")
        if self.archive_source not in ("", "sdk", "local"):
            raise ConfigError(f"ARCHIVE_SOURCE must be sdk or local (or empty: off), got {self.archive_source!r}")
        if self.archive_source == "sdk" and not (self.archive_secret and self.archive_private_key_files):
            raise ConfigError("ARCHIVE_SOURCE=sdk needs ARCHIVE_SECRET and ARCHIVE_PRIVATE_KEY_FILES")
        if self.archive_source == "local" and self.env == "production":
            raise ConfigError("ARCHIVE_SOURCE=local is the sandbox's stand-in; production uses sdk")
        for entry in filter(None, (e.strip() for e in self.archive_private_key_files.split(","))):
            version, _, where = entry.partition(":")
            if not version.strip().isdigit() or not where.strip():
                raise ConfigError("ARCHIVE_PRIVATE_KEY_FILES must list version:path or version:env:NAME, "
                                  f"comma-separated (entry {len(version)} characters before the colon)")
        if not 1 <= self.archive_batch_size <= 1000:
            raise ConfigError("ARCHIVE_BATCH_SIZE must be 1..1000 (GetChatData's limit)")
        if self.archive_pull_interval_seconds <= 0 or self.archive_pull_budget_seconds <= 0:
            raise ConfigError("ARCHIVE_PULL_INTERVAL_SECONDS and ARCHIVE_PULL_BUDGET_SECONDS must be above 0")
        tile_problem = self.map_tile_url and map_tiles.problem(self.map_tile_url, self.map_tile_subdomains)
        if tile_problem and self.env == "production":
            raise ConfigError(tile_problem)
        if tile_problem:  # a development start goes on without tiles, as if MAP_TILE_URL were unset
            log.warning("%s; the console map draws no tiles", tile_problem)
        if self.env == "production":
            for f in fields(self):
                if getattr(self, f.name) in (DEMO_TOKEN, DEMO_AES_KEY, DEMO_CORP_ID, "dev-only-secret", "demo-secret"):
                    raise ConfigError(f"{f.metadata['env']} must be set in production (the demo value is refused)")
            if not self.database_url or not self.redis_url:
                raise ConfigError("DATABASE_URL and REDIS_URL must be set in production")
        return self

    def with_overrides(self, **changes) -> Settings:
        return replace(self, **changes).validated()

    @property
    def effective_database_url(self) -> str:
        return with_database_driver(self.database_url) or f"sqlite:///{INSTANCE / 'gridwhistle.db'}"

    @property
    def signature_window_seconds(self) -> int:
        """How far a callback's timestamp may be off (0 = any): 300 s in production unless set."""
        if self.signature_max_age_seconds is not None:
            return self.signature_max_age_seconds
        return PRODUCTION_SIGNATURE_WINDOW if self.env == "production" else 0

    @property
    def media_origins(self) -> tuple[str, ...]:
        """The only origins robot media is downloaded from: the configured list and the WeCom API's."""
        listed = [o.strip().rstrip("/") for o in self.robot_media_origins.split(",") if o.strip()]
        return tuple(dict.fromkeys([*listed, self.wecom_api_base_url]))

    @property
    def photo_directory(self) -> Path:
        return Path(self.photo_dir) if self.photo_dir else INSTANCE / "photos"

    @property
    def map_tiles_usable(self) -> bool:
        """MAP_TILE_URL is set and well-formed (a bad one outside production was warned about and is ignored)."""
        return bool(self.map_tile_url) and map_tiles.problem(self.map_tile_url, self.map_tile_subdomains) is None

    @property
    def archive_corp(self) -> str:
        return self.archive_corp_id or self.wecom_corp_id

    @property
    def effective_job_mode(self) -> str:
        return self.job_mode or ("rq" if self.redis_url else "inprocess")
