"""Fuzz the callbacks: malformed, truncated, oversized and hostile bodies never give a 500.

FUZZ_EXAMPLES (default 150 per test) sets how many cases hypothesis tries; `make drill`
runs it with more. Signed-but-garbage payloads go past the signature check on purpose.
"""
from __future__ import annotations

import json
import os

from hypothesis import HealthCheck, given, settings, strategies as st

from bot.local.callback_client import robot_callback, wecom_callback
from bot.runtime.config import DEMO_AES_KEY, DEMO_CORP_ID, DEMO_TOKEN

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
PARAMS = {"msg_signature": "0" * 40, "timestamp": "1700000000", "nonce": "n"}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
xml_like = st.builds(
    lambda tag, body, tail: f"<{tag}>{body}</{tag}>{tail}",
    st.sampled_from(["xml", "Encrypt", "x", "xml a='1'", "!DOCTYPE", "?xml"]),
    st.text(max_size=200), st.text(max_size=20),
)


def no_server_error(resp) -> None:
    assert resp.status_code < 500, resp.data[:200]


@FUZZ
@given(body=st.binary(max_size=2048) | xml_like.map(str.encode))
def test_wecom_callback_random_bodies(client, body):
    no_server_error(client.post("/wecom/callback", query_string=PARAMS, data=body, content_type="text/xml"))


@FUZZ
@given(body=st.binary(max_size=2048) | json_values.map(lambda v: json.dumps(v).encode()))
def test_robot_callback_random_bodies(client, body):
    no_server_error(client.post("/wecom/robot", query_string=PARAMS, data=body, content_type="application/json"))


@FUZZ
@given(params=st.dictionaries(st.sampled_from(["msg_signature", "timestamp", "nonce", "echostr", "signature",
                                               "encrypt_type"]), st.text(max_size=60), max_size=6))
def test_random_query_strings(client, params):
    for path in ("/wecom/callback", "/wecom/robot", "/wechat/callback"):
        no_server_error(client.get(path, query_string=params))
        no_server_error(client.post(path, query_string=params, data=b"<xml></xml>", content_type="text/xml"))


@FUZZ
@given(payload=json_values)
def test_signed_robot_payloads_of_any_shape(client, demo, payload):
    cb = robot_callback(DEMO_TOKEN, DEMO_AES_KEY, payload if isinstance(payload, dict) else {"x": payload})
    no_server_error(client.post("/wecom/robot", query_string=cb.params, data=cb.body, content_type=cb.content_type))


@FUZZ
@given(xml=xml_like | st.text(max_size=300))
def test_signed_wecom_plaintexts_of_any_shape(client, demo, xml):
    cb = wecom_callback(DEMO_TOKEN, DEMO_AES_KEY, DEMO_CORP_ID, xml)
    no_server_error(client.post("/wecom/callback", query_string=cb.params, data=cb.body, content_type=cb.content_type))


COMMANDS = ["受理", "办结", "上报", "派", "报到", "驳回", "改", "满意", "不满意", "+1", "进度", "帮助", "#"]


@FUZZ
@given(text=st.text(min_size=1, max_size=400) | st.builds(lambda c, n, t: f"{c} #{n} {t}", st.sampled_from(COMMANDS),
                                                          st.integers(-5, 10**12), st.text(max_size=40)),
       quote=st.none() | st.text(max_size=100),
       sender=st.sampled_from(["zhangdaye", "liuayi", "wangfang", "huangshuji", "qianshuiwu", "stranger", "admin"]),
       chat=st.sampled_from(["chat-g1", "chat-c1", "chat-water", "chat-unknown"]))
def test_any_text_from_any_sender(client, demo, text, quote, sender, chat):
    from bot.local.callback_client import robot_text

    msg = robot_text(f"fz{abs(hash((text, quote, sender, chat)))}", chat, sender, text, quote_text=quote)
    cb = robot_callback(DEMO_TOKEN, DEMO_AES_KEY, msg)
    no_server_error(client.post("/wecom/robot", query_string=cb.params, data=cb.body, content_type=cb.content_type))
