"""The command-center console (指挥台): tickets, the three rates, hot spots and rankings, and the
pages that manage notices, dead letters, the org and one's own password.

Register with `app.register_blueprint(bot.console.bp)`: the page areas are blueprints of their
own, nested here under the console's (URLs stay /console/…, endpoints are console.<area>.<page>).
Its CLI command `flask --app bot create-staff-account USER` (prints a one-time password) comes with
the blueprint. The console's refusals (400–405) are Chinese pages (errors.py).
"""
from bot.console import dead_letters, errors, grid_map, notices, org_admin, password, photos
from bot.console.views import bp

for _area in (notices.bp, dead_letters.bp, org_admin.bp, password.bp, photos.bp, grid_map.bp):
    bp.register_blueprint(_area)
errors.register(bp)

__all__ = ["bp"]
