"""The gunicorn entry point: `gunicorn 'bot.wsgi:create_web_app()'`."""
from bot.app import create_app
from bot.logging_setup import configure_logging


def create_web_app():
    configure_logging()
    return create_app()
