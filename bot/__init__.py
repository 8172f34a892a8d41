"""The door: app factory, config, webhooks, channel adapters and the worker entry point."""
from bot.app import create_app

__all__ = ["create_app"]
