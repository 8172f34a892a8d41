"""The services one app instance wires together, reached through current_app."""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import redis
from flask import current_app

from bot.runtime.clock import Clock
from bot.runtime.config import Settings
from bot.runtime.conversation_memory import RedisConversationMemory
from bot.runtime.db import Database

log = logging.getLogger(__name__)
_timing = threading.local()


@dataclass
class Services:
    settings: Settings
    db: Database
    redis: redis.Redis
    clock: Clock
    jobs: Any = None
    # Builds the channel senders from (settings, redis); given by the app factory, so this room
    # never imports the delivery room above it.
    make_deliverer: Callable[[Settings, redis.Redis], Any] | None = field(default=None, repr=False)
    # Builds the photo store (bot.intake.photo_store) from the settings, likewise given by the factory.
    make_photo_store: Callable[[Settings], Any] | None = field(default=None, repr=False)
    # Builds the conversation archive (bot.intake.archive.channel: source and keys) from the settings.
    make_archive: Callable[[Settings, redis.Redis], Any] | None = field(default=None, repr=False)
    _photo_store: Any = field(default=None, repr=False)
    _archive: Any = field(default=None, repr=False)
    _model: Any = field(default=None, repr=False)
    _deliverer: Any = field(default=None, repr=False)
    _model_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def model(self):
        """The classifier, loaded once per process on first use (never trained here)."""
        if self._model is None:
            with self._model_lock:
                if self._model is None:
                    # Imported here, not at the top: scikit-learn and jieba take about a second to
                    # import, and CLI commands that never classify (init-db, broadcast) skip it.
                    from classifier import load_model

                    model = load_model(self.settings.classifier_model_path or None,
                                       self.settings.classifier_model_sha256 or None)
                    # The tokenizer loads its dictionary on first use (1.6 s): pay it here, at load, not on
                    # the first resident's message (the archive's worker would otherwise hold its replies).
                    model.predict("网格")
                    self._model = model
        return self._model

    @property
    def memory(self) -> RedisConversationMemory:
        """The conversation memory (handlers.memory), in this app's Redis: shared by all its processes."""
        return RedisConversationMemory(self.redis)

    @property
    def deliverer(self):
        """The channel senders, built on first use from the current settings."""
        if self._deliverer is None:
            self._deliverer = self.make_deliverer(self.settings, self.redis)
        return self._deliverer

    @property
    def photo_store(self):
        """Where photos are kept (local files or S3-compatible storage), built on first use."""
        if self._photo_store is None:
            self._photo_store = self.make_photo_store(self.settings)
        return self._photo_store

    @property
    def archive(self):
        """The conversation archive channel (its source and private keys), built on first use."""
        if self._archive is None:
            self._archive = self.make_archive(self.settings, self.redis)
        return self._archive

    def use_settings(self, settings: Settings) -> None:
        """Swap the settings (the sandbox points the channels at its fake API); senders are rebuilt."""
        self.settings, self._deliverer, self._photo_store, self._archive = settings, None, None, None

    def classify(self, text: str):
        started = time.perf_counter()
        prediction = self.model.predict(text)
        _timing.seconds = time.perf_counter() - started
        return prediction


def take_classification_seconds() -> float | None:
    """How long this thread's last classification took, once (None if none ran since)."""
    seconds = getattr(_timing, "seconds", None)
    _timing.seconds = None
    return seconds


def services() -> Services:
    return current_app.extensions["gridwhistle"]
