"""Build callbacks exactly as WeChat/WeCom send them: signed, encrypted, with query params.

The sandbox uses this to deliver chat messages to the bot; tests and benchmarks use it
to drive the real webhooks. Encryption is wechatpy's own.
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import time
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from wechatpy.crypto import PrpCrypto as OAPrpCrypto
from wechatpy.crypto import WeChatCrypto as OACrypto
from wechatpy.crypto import _get_signature
from wechatpy.enterprise.crypto import PrpCrypto, WeChatCrypto
from wechatpy.utils import WeChatSigner

from bot.runtime.config import Settings


@dataclass(frozen=True)
class Callback:
    params: dict[str, str]
    body: str
    content_type: str


def _nonce() -> str:
    return uuid.uuid4().hex[:10]


def robot_callback(token: str, aes_key: str, message: dict, *, timestamp: int | None = None) -> Callback:
    """A WeCom group-robot callback: JSON {"encrypt"} with msg_signature; receive id ""."""
    ts, nonce = str(timestamp or int(time.time())), _nonce()
    key = WeChatCrypto(token, aes_key, "").key
    encrypt = PrpCrypto(key).encrypt(json.dumps(message, ensure_ascii=False), "").decode()
    params = {"msg_signature": _get_signature(token, ts, nonce, encrypt), "timestamp": ts, "nonce": nonce}
    return Callback(params, json.dumps({"encrypt": encrypt}), "application/json")


def _robot_base(msg_id: str, chat_id: str | None, user_id: str, msg_type: str, response_url: str = "") -> dict:
    """The fields every robot callback carries (WeCom's own field order); chat_id None: a one-to-one chat."""
    message = {"msgid": msg_id, "aibotid": "gridwhistle"}
    if chat_id is not None:
        message["chatid"] = chat_id
    message.update({"chattype": "group" if chat_id is not None else "single", "from": {"userid": user_id},
                    "response_url": response_url, "msgtype": msg_type})
    return message


def robot_text(msg_id: str, chat_id: str, user_id: str, text: str, quote_text: str | None = None,
               quote_id: str | None = None, response_url: str = "") -> dict:
    message = _robot_base(msg_id, chat_id, user_id, "text", response_url)
    message["text"] = {"content": text}
    if quote_text is not None:
        message["quote"] = {"msgtype": "text", "text": {"content": quote_text}, "msgid": quote_id or ""}
    return message


def robot_image(msg_id: str, chat_id: str | None, user_id: str, url: str, response_url: str = "") -> dict:
    """A photo on its own (WeCom sends these from one-to-one chats; in groups photos come as mixed)."""
    message = _robot_base(msg_id, chat_id, user_id, "image", response_url)
    message["image"] = {"url": url}
    return message


def robot_mixed(msg_id: str, chat_id: str | None, user_id: str, text: str, urls: list[str],
                response_url: str = "") -> dict:
    """Text and photos in one message (图文混排): the text item first, as WeCom's client sends it."""
    message = _robot_base(msg_id, chat_id, user_id, "mixed", response_url)
    items = [{"msgtype": "text", "text": {"content": text}}] if text else []
    items += [{"msgtype": "image", "image": {"url": url}} for url in urls]
    message["mixed"] = {"msg_item": items}
    return message


def robot_voice(msg_id: str, chat_id: str | None, user_id: str, transcript: str, response_url: str = "") -> dict:
    message = _robot_base(msg_id, chat_id, user_id, "voice", response_url)
    message["voice"] = {"content": transcript}
    return message


def robot_card_event(msg_id: str, chat_id: str | None, user_id: str, task_id: str, event_key: str,
                     selected: dict[str, str] | None = None, response_url: str = "") -> dict:
    """A template-card button press; `selected` maps a select's question_key to the chosen option id."""
    message = _robot_base(msg_id, chat_id, user_id, "event", response_url)
    press: dict = {"card_type": "button_interaction", "event_key": event_key, "task_id": task_id}
    if selected:
        press["selected_items"] = {"selected_item": [
            {"question_key": q, "option_ids": {"option_id": [o]}} for q, o in selected.items()]}
    message["event"] = {"eventtype": "template_card_event", "template_card_event": press}
    return message


def robot_stream_refresh(msg_id: str, chat_id: str | None, user_id: str, stream_id: str) -> dict:
    """WeCom asking again for a stream the bot answered (it does so until the stream is finished)."""
    message = _robot_base(msg_id, chat_id, user_id, "stream")
    message["stream"] = {"id": stream_id}
    return message


def wecom_text_xml(corp_id: str, user_id: str, text: str, msg_id: str, agent_id: int = 1000002,
                   msg_type: str = "text") -> str:
    return (
        f"<xml><ToUserName><![CDATA[{corp_id}]]></ToUserName><FromUserName><![CDATA[{user_id}]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[{msg_type}]]></MsgType>"
        f"<Content>{escape(text)}</Content><MsgId>{msg_id}</MsgId><AgentID>{agent_id}</AgentID></xml>"
    )


def image_xml(to_user: str, from_user: str, media_id: str, msg_id: str, pic_url: str = "",
              agent_id: int | None = None) -> str:
    """A photo sent one-to-one, as the Official Account (agent_id None) or the WeCom app sends it."""
    agent = f"<AgentID>{agent_id}</AgentID>" if agent_id is not None else ""
    return (
        f"<xml><ToUserName><![CDATA[{to_user}]]></ToUserName><FromUserName><![CDATA[{from_user}]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[image]]></MsgType>"
        f"<PicUrl><![CDATA[{escape(pic_url)}]]></PicUrl><MediaId><![CDATA[{media_id}]]></MediaId>"
        f"<MsgId>{msg_id}</MsgId>{agent}</xml>"
    )


def wecom_card_event_xml(corp_id: str, user_id: str, task_id: str, event_key: str, agent_id: int = 1000002,
                         created: int | None = None) -> str:
    """A press on a template card the WeCom app sent (XML event, as WeCom sends it)."""
    return (
        f"<xml><ToUserName><![CDATA[{corp_id}]]></ToUserName><FromUserName><![CDATA[{user_id}]]></FromUserName>"
        f"<CreateTime>{created or int(time.time())}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        f"<Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[{escape(event_key)}]]></EventKey>"
        f"<TaskId><![CDATA[{escape(task_id)}]]></TaskId><CardType><![CDATA[button_interaction]]></CardType>"
        f"<ResponseCode><![CDATA[rc{uuid.uuid4().hex[:12]}]]></ResponseCode><AgentID>{agent_id}</AgentID></xml>"
    )


def wecom_callback(token: str, aes_key: str, corp_id: str, xml: str) -> Callback:
    """A WeCom app callback: encrypted XML with msg_signature."""
    ts, nonce = str(int(time.time())), _nonce()
    encrypted = WeChatCrypto(token, aes_key, corp_id).encrypt_message(xml, nonce, ts)
    import xml.etree.ElementTree as ET

    root = ET.fromstring(encrypted)
    encrypt = root.findtext("Encrypt")
    body = f"<xml><ToUserName><![CDATA[{corp_id}]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
    return Callback({"msg_signature": root.findtext("MsgSignature"), "timestamp": ts, "nonce": nonce},
                    body, "application/xml")


def official_callback(token: str, aes_key: str | None, app_id: str, xml: str) -> Callback:
    """An Official Account callback: plain mode when aes_key is None, else safe mode."""
    ts, nonce = str(int(time.time())), _nonce()
    signer = WeChatSigner()
    signer.add_data(token, ts, nonce)
    params = {"signature": signer.signature, "timestamp": ts, "nonce": nonce}
    if aes_key is None:
        return Callback(params, xml, "application/xml")
    key = OACrypto(token, aes_key, app_id).key
    encrypt = OAPrpCrypto(key).encrypt(xml, app_id).decode()
    params.update(encrypt_type="aes", msg_signature=_get_signature(token, ts, nonce, encrypt))
    body = f"<xml><ToUserName><![CDATA[gh_demo]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
    return Callback(params, body, "application/xml")


def decrypt_robot_reply(token: str, aes_key: str, reply: dict) -> dict:
    """What WeCom would see in the bot's encrypted JSON reply (checks its signature too)."""
    sig = _get_signature(token, str(reply["timestamp"]), reply["nonce"], reply["encrypt"])
    if sig != reply["msgsignature"]:
        raise ValueError("reply signature does not verify")
    key = WeChatCrypto(token, aes_key, "").key
    return json.loads(PrpCrypto(key).decrypt(reply["encrypt"], ""))


def decrypt_wecom_reply(token: str, aes_key: str, corp_id: str, reply_xml: str) -> str:
    """The plaintext XML of an encrypted WeCom app reply (wechatpy checks its signature)."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(reply_xml)
    return WeChatCrypto(token, aes_key, corp_id).decrypt_message(
        reply_xml, root.findtext("MsgSignature"), root.findtext("TimeStamp"), root.findtext("Nonce"))


ROBOT_PATH = "/wecom/robot"


def default_bot_url() -> str:
    """Where `make run` serves the bot: SANDBOX_HOST/SANDBOX_PORT as the sandbox reads them, else 127.0.0.1:5000."""
    return f"http://{os.environ.get('SANDBOX_HOST', '127.0.0.1')}:{os.environ.get('SANDBOX_PORT', '5000')}"


def robot_endpoint(url: str) -> str:
    """The robot webhook for --url, given as the bot's base URL or as the webhook's own URL.

    Raises ValueError, with what to write instead, for anything else (another path, a query,
    not http/https): the curl would otherwise hit a 404 and the decrypt step choke on HTML.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"--url must be the bot's address, like http://127.0.0.1:5000 (got {url!r})")
    if parts.query or parts.fragment:
        raise ValueError(f"--url takes no query string (the signature is added here): {url!r}")
    path = parts.path.rstrip("/")
    if path.endswith(ROBOT_PATH):
        path = path[: -len(ROBOT_PATH)]
    elif path:
        # A path prefix (a proxy serving the bot under /gridwhistle) is allowed; anything that
        # looks like another of the bot's own pages is a mistake worth naming.
        if path.split("/")[-1] in ("wecom", "sandbox", "console", "official", "robot"):
            raise ValueError(f"--url is the bot's base URL or its {ROBOT_PATH} webhook, not {parts.path!r}")
    return f"{parts.scheme}://{parts.netloc}{path}{ROBOT_PATH}"


def main(argv: list[str] | None = None) -> None:
    """Print a curl command that posts one signed, encrypted group message to the bot.

        python -m bot.local.callback_client --chat chat-g1 --user zhangdaye "3号楼下水道堵了"
        python -m bot.local.callback_client --url http://127.0.0.1:8000 "…"          (another port)
        python -m bot.local.callback_client --url http://127.0.0.1:8000/wecom/robot "…" (same thing)
    """
    ap = argparse.ArgumentParser(description=main.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("text")
    ap.add_argument("--chat", default="chat-g1")
    ap.add_argument("--user", default="zhangdaye")
    ap.add_argument("--url", default=default_bot_url(),
                    help="the bot's base URL or its /wecom/robot URL (default: SANDBOX_HOST/SANDBOX_PORT, "
                         "else http://127.0.0.1:5000)")
    ap.add_argument("--quote", help="text of the message being quoted (e.g. the bot's ticket message)")
    args = ap.parse_args(argv)
    try:
        endpoint = robot_endpoint(args.url)
    except ValueError as exc:
        ap.error(str(exc))  # exit status 2 with the usage line, never a traceback
    s = Settings.from_env()
    cb = robot_callback(s.robot_token, s.robot_aes_key,
                        robot_text(uuid.uuid4().hex[:16], args.chat, args.user, args.text, quote_text=args.quote))
    query = "&".join(f"{k}={v}" for k, v in cb.params.items())
    # -w appends the HTTP status on a line of its own ("000": nothing answered), so the decrypt
    # step can tell silence (200, empty body) from a wrong address or a bot that is not running.
    print(f"curl -sS -X POST {shlex.quote(endpoint + '?' + query)} "
          f"-H 'Content-Type: application/json' -d {shlex.quote(cb.body)} -w '\\n%{{http_code}}' "
          # This interpreter (the venv's), not whatever `python` the shell finds first.
          f"| {shlex.quote(sys.executable)} -m bot.local.callback_client_decrypt --url {shlex.quote(endpoint)}")


if __name__ == "__main__":
    main()
