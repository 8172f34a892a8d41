"""Everything that talks to the outside world, in rooms named for what they hold.

- ``bot/app.py``, ``wsgi.py``, ``worker.py``, ``sweep.py``, ``cli.py``: the entry points and the wiring
  (the app factory builds every process; the sweep is what the worker does every few seconds).
- ``bot/runtime/``: what every process wires: settings, database, Redis, clock, job runners, services.
- ``bot/web/``: the door: WeChat/WeCom callbacks, health and metrics endpoints.
- ``bot/intake/``: what happens to a message once it is in: admission, the durable inbox, exactly once.
- ``bot/delivery/``: words out: the outbox and the channel senders.
- ``bot/console/``: the staff console (指挥台) and its commands.
- ``bot/local/``: stand-ins for a laptop (fake WeCom API, sandbox, demo district, callback client);
  production never imports them.

Raw XML and JSON never leave bot/: everything past it sees typed dataclasses.
"""
