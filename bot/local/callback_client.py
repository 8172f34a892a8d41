"""Build callbacks exactly as WeChat/WeCom send them: signed, encrypted, with query params.

The sandbox uses this to deliver chat messages to the bot; tests and benchmarks use it
to drive the real webhooks. Encryption is wechatpy's own.
"""
from __future__ import annotations

import argparse
import json
import shlex
import sys
import time
import uuid
from dataclasses import dataclass
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


def robot_text(msg_id: str, chat_id: str, user_id: str, text: str, quote_text: str | None = None,
               quote_id: str | None = None) -> dict:
    message = {
        "msgid": msg_id, "aibotid": "gridwhistle", "chatid": chat_id, "chattype": "group",
        "from": {"userid": user_id}, "response_url": "", "msgtype": "text", "text": {"content": text},
    }
    if quote_text is not None:
        message["quote"] = {"msgtype": "text", "text": {"content": quote_text}, "msgid": quote_id or ""}
    return message


def wecom_text_xml(corp_id: str, user_id: str, text: str, msg_id: str, agent_id: int = 1000002,
                   msg_type: str = "text") -> str:
    return (
        f"<xml><ToUserName><![CDATA[{corp_id}]]></ToUserName><FromUserName><![CDATA[{user_id}]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[{msg_type}]]></MsgType>"
        f"<Content>{escape(text)}</Content><MsgId>{msg_id}</MsgId><AgentID>{agent_id}</AgentID></xml>"
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


def main(argv: list[str] | None = None) -> None:
    """Print a curl command that posts one signed, encrypted group message to the bot.

        python -m bot.local.callback_client --chat chat-g1 --user zhangdaye "3号楼下水道堵了"
    """
    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("text")
    ap.add_argument("--chat", default="chat-g1")
    ap.add_argument("--user", default="zhangdaye")
    ap.add_argument("--url", default="http://127.0.0.1:5000")
    ap.add_argument("--quote", help="text of the message being quoted (e.g. the bot's ticket message)")
    args = ap.parse_args(argv)
    s = Settings.from_env()
    cb = robot_callback(s.robot_token, s.robot_aes_key,
                        robot_text(uuid.uuid4().hex[:16], args.chat, args.user, args.text, quote_text=args.quote))
    query = "&".join(f"{k}={v}" for k, v in cb.params.items())
    print(f"curl -s -X POST {shlex.quote(args.url + '/wecom/robot?' + query)} "
          f"-H 'Content-Type: application/json' -d {shlex.quote(cb.body)} "
          # This interpreter (the venv's), not whatever `python` the shell finds first.
          f"| {shlex.quote(sys.executable)} -m bot.local.callback_client_decrypt")


if __name__ == "__main__":
    main()
