"""The command-center console (指挥台): tickets, the three rates, hot spots and rankings.

Register with `app.register_blueprint(bot.console.bp)`; its CLI command
`flask --app bot create-staff-account USER` (prints a one-time password) comes with the blueprint.
"""
from bot.console.views import bp
from bot.console import manage  # noqa: E402,F401  (management routes on the same blueprint)
from bot.console import password  # noqa: E402,F401  (the set-password page, same blueprint)
from bot.console import errors  # noqa: E402,F401  (Chinese 400/401/403/404/405 pages under /console)

__all__ = ["bp"]
