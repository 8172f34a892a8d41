"""The fake WeChat API for the drill: bot.local.fake_wechat plus a controllable delay.

    python -m drill.fakeapi --port N --chat chat-g1=a,b ...

bot.local.fake_wechat's faults answer fast or not at all; a drill that kills a worker "in the
middle of a delivery" needs deliveries that take a while and then *succeed* (the fake keeps
serving after the client has gone, as WeCom does). POST /_drill/delay {"seconds": 2.5}
delays every send endpoint before it runs; 0 turns it off. Everything else — faults,
recorded messages, stats — is the shared fake's own endpoints.
"""
from __future__ import annotations

import argparse
import json
import threading
import time

from werkzeug.serving import make_server

from bot.runtime.config import DEMO_CORP_ID
from bot.local.fake_wechat import FakeWeChatState, create_fake_wechat_app

SEND_PATHS = ("/cgi-bin/appchat/send", "/cgi-bin/message/send", "/cgi-bin/webhook/send",
              "/cgi-bin/message/custom/send", "/cgi-bin/message/template/send")


class DelayMiddleware:
    """Sleep before the fake handles a send; /_drill/delay sets how long."""

    def __init__(self, app):
        self.app = app
        self.seconds = 0.0
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/_drill/delay":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = json.loads(environ["wsgi.input"].read(length) or b"{}")
            with self.lock:
                self.seconds = float(body.get("seconds", 0))
            start_response("200 OK", [("Content-Type", "application/json")])
            return [b'{"ok": true}']
        if path in SEND_PATHS:
            with self.lock:
                delay = self.seconds
            if delay > 0:
                time.sleep(delay)
        return self.app(environ, start_response)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--corp-id", default=DEMO_CORP_ID)
    ap.add_argument("--corp-secret", default="demo-secret")
    ap.add_argument("--oa-app-id", default="wxgridwhistledemo")
    ap.add_argument("--oa-secret", default="demo-secret")
    # Longer than the bot's API timeout (5 s), so a "timeout" fault is a real client timeout.
    ap.add_argument("--timeout-sleep", type=float, default=6.0)
    ap.add_argument("--chat", action="append", default=[], metavar="CHATID=user1,user2")
    args = ap.parse_args(argv)
    state = FakeWeChatState(args.corp_id, args.corp_secret, args.oa_app_id, args.oa_secret,
                            timeout_sleep=args.timeout_sleep)
    for spec in args.chat:
        chat_id, _, members = spec.partition("=")
        state.add_chat(chat_id, [m for m in members.split(",") if m] or ["owner", "member"])
    server = make_server("127.0.0.1", args.port, DelayMiddleware(create_fake_wechat_app(state)), threaded=True)
    print(f"drill fake WeChat API on http://127.0.0.1:{args.port}", flush=True)
    try:
        server.serve_forever(poll_interval=0.05)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
