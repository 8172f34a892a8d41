"""The command-center console (指挥台): tickets, the three rates, hot spots and rankings, and the
pages that manage notices, dead letters and the org.

Register with `app.register_blueprint(bot.console.bp)`: the page areas are blueprints of their
own, nested here under the console's (URLs stay /console/…, endpoints are console.<area>.<page>).
Its CLI command `flask --app bot create-staff-account USER PASSWORD` comes with the blueprint.
"""
from bot.console import dead_letters, notices, org_admin
from bot.console.views import bp

for _area in (notices.bp, dead_letters.bp, org_admin.bp):
    bp.register_blueprint(_area)

__all__ = ["bp"]
