"""The services one app instance wires together, reached through current_app."""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import redis
from flask import current_app

from bot.clock import Clock
from bot.config import Settings
from bot.db import Database

log = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    db: Database
    redis: redis.Redis
    clock: Clock
    jobs: Any = None
    _model: Any = field(default=None, repr=False)
    _deliverer: Any = field(default=None, repr=False)
    _model_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def model(self):
        """The classifier, loaded once per process on first use (never trained here)."""
        if self._model is None:
            with self._model_lock:
                if self._model is None:
                    from classifier import load_model

                    self._model = load_model(self.settings.classifier_model_path or None)
        return self._model

    @property
    def deliverer(self):
        """The channel senders, built on first use from the settings."""
        if self._deliverer is None:
            from bot.channels.routes import ChannelSettings, Deliverer

            s = self.settings
            self._deliverer = Deliverer(ChannelSettings(
                api_base_url=s.wecom_api_base_url, corp_id=s.wecom_corp_id, corp_secret=s.wecom_secret,
                agent_id=s.wecom_agent_id, oa_app_id=s.wechat_app_id, oa_secret=s.wechat_secret,
                oa_template_id=s.wechat_template_id, timeout=s.api_timeout_seconds,
                oa_api_base_url=s.wechat_api_base_url,
            ), self.redis)
        return self._deliverer

    def classify(self, text: str):
        from bot.metrics import note_classification

        started = time.perf_counter()
        prediction = self.model.predict(text)
        note_classification(time.perf_counter() - started)
        return prediction


def services() -> Services:
    return current_app.extensions["gridwhistle"]
