"""The local WeChat sandbox: WeCom group chats in a browser, with no WeCom account.

A newcomer runs `python -m bot.local.sandbox` (what `make run` calls) and sees the bot work in a
phone-style group chat at http://127.0.0.1:5000/sandbox. The sandbox is also the harness for
the end-to-end tests. Design, and why:

* It lives inside the bot's own Flask app, as a blueprint registered when SANDBOX=1
  (`settings.sandbox`): one process, one port, nothing to configure.
* It drives the bot only through the production paths. A member's message is delivered to
  `POST /wecom/robot` over real HTTP, signed and encrypted exactly as WeCom does
  (bot/callback_client.py), with WeCom's retry rule (5 s timeout, 3 tries, same msgid); the
  passive reply is decrypted as WeCom would. Everything the bot pushes goes through its real
  channel code to a fake WeCom API (bot/fake_wechat.py) that the sandbox starts on a free local
  port and points `wecom_api_base_url` at, so the sandbox never reaches the internet.
* Chats and people are the bot's own org data (bot/demo.py seeds them): the sandbox reads them
  through the app's services and never writes to them.
* Transcripts, each persona's read markers and the moved clock live in the bot's database
  (models/sandbox.py, store.py), next to the tickets: a restart keeps the demo as it was, and
  `make reset-demo` starts it over.
* The page is plain HTML/CSS/JS (no build step); it polls the JSON API once a second and puts
  every piece of user text into the page with textContent.
* The bot's clock can be moved forward (`POST /sandbox/api/clock`) to make deadlines,
  reminders and escalation fire; `settings.sandbox` is what makes the clock adjustable. The
  offset is recorded in the database and put back when the sandbox starts.
"""
from __future__ import annotations

import logging

from flask import Flask

from bot.local.sandbox.hub import Sandbox, install
from bot.local.sandbox.views import bp
from bot.runtime.config import ConfigError

log = logging.getLogger(__name__)


def init_app(app: Flask, *, fake_port: int = 0) -> Sandbox:
    """Start the fake WeCom server, point the bot's channels at it, register the blueprint."""
    settings = app.config["SETTINGS"]
    if settings.env == "production":
        raise ConfigError("SANDBOX must be off in production (it redirects every push to a local fake)")
    if settings.effective_job_mode == "rq":
        log.warning("sandbox with JOB_MODE=rq: pushes made by separate RQ workers will not reach the sandbox; "
                    "use `python -m bot.local.sandbox`, which runs jobs in-process")
    sandbox = install(app, fake_port=fake_port)
    app.register_blueprint(bp)
    return sandbox


__all__ = ["Sandbox", "init_app"]
