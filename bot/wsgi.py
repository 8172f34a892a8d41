"""The gunicorn entry point: `gunicorn 'bot.wsgi:create_web_app()'`."""
import logging

from bot.app import create_app
from bot.runtime.logging_setup import configure_logging

log = logging.getLogger(__name__)


def create_web_app():
    configure_logging()
    app = create_app()
    # Load the classifier (and jieba's dictionary) before this worker takes traffic: done lazily,
    # the first message to each new worker takes ~5 s, past WeCom's 5-second window, so WeCom
    # retries it (seen by `python -m drill` after every start and every worker respawn).
    try:
        app.extensions["gridwhistle"].model.predict("预热")
    except Exception:  # noqa: BLE001 — /readyz reports it; the first message retries the load
        log.exception("classifier warm-up failed")
    return app
