"""The command-center console (指挥台): tickets, the three rates, hot spots and rankings.

Register with `app.register_blueprint(bot.console.bp)`; its CLI command
`flask --app bot create-staff-account USER PASSWORD` comes with the blueprint.
"""
from bot.console.views import bp

__all__ = ["bp"]
