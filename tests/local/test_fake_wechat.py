"""The fake WeChat API itself: shapes, token checks, fault injection, inspection endpoints."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import requests

from bot.local.fake_wechat import DeliveredMessage, FakeWeChatServer, FakeWeChatState


@pytest.fixture
def server() -> Iterator[FakeWeChatServer]:
    state = FakeWeChatState(timeout_sleep=0.6)
    state.add_chat("grid-01", ["wang", "li"])
    with FakeWeChatServer(state) as srv:
        yield srv


def wecom_token(srv: FakeWeChatServer) -> str:
    st = srv.state
    res = requests.get(
        f"{srv.base_url}/cgi-bin/gettoken",
        params={"corpid": st.corp_id, "corpsecret": st.corp_secret},
        timeout=2,
    ).json()
    assert res["errcode"] == 0 and res["expires_in"] == 7200
    return res["access_token"]


def post(srv: FakeWeChatServer, path: str, body: dict, **params: str) -> dict:
    return requests.post(
        f"{srv.base_url}{path}", params=params, json=body, timeout=2
    ).json()


def test_gettoken_rejects_bad_credentials(server: FakeWeChatServer) -> None:
    url = f"{server.base_url}/cgi-bin/gettoken"
    assert (
        requests.get(url, params={"corpid": "x", "corpsecret": "y"}, timeout=2).json()[
            "errcode"
        ]
        == 40013
    )
    bad_secret = {"corpid": server.state.corp_id, "corpsecret": "y"}
    assert requests.get(url, params=bad_secret, timeout=2).json()["errcode"] == 40001
    oa = requests.get(
        f"{server.base_url}/cgi-bin/token",
        params={
            "grant_type": "client_credential",
            "appid": server.state.oa_app_id,
            "secret": "no",
        },
        timeout=2,
    )
    assert oa.json()["errcode"] == 40125


def test_tokens_are_checked_on_every_call(server: FakeWeChatServer) -> None:
    body = {"chatid": "grid-01", "msgtype": "text", "text": {"content": "hi"}}
    assert post(server, "/cgi-bin/appchat/send", body)["errcode"] == 41001
    assert (
        post(server, "/cgi-bin/appchat/send", body, access_token="forged")["errcode"]
        == 40014
    )
    token = wecom_token(server)
    assert (
        post(server, "/cgi-bin/appchat/send", body, access_token=token)["errcode"] == 0
    )
    server.state.expire_tokens()
    assert (
        post(server, "/cgi-bin/appchat/send", body, access_token=token)["errcode"]
        == 42001
    )
    # An Official Account token is no good for WeCom.
    assert (
        post(server, "/cgi-bin/message/custom/send", {}, access_token=token)["errcode"]
        == 40014
    )


def test_fault_injection_modes(server: FakeWeChatServer) -> None:
    token = wecom_token(server)
    body = {"chatid": "grid-01", "msgtype": "text", "text": {"content": "hi"}}
    url = f"{server.base_url}/cgi-bin/appchat/send"
    server.state.fail_next("/cgi-bin/appchat/send", times=2, mode="http500")
    server.state.fail_next("/cgi-bin/appchat/send", mode=45009)
    server.state.fail_next("/cgi-bin/appchat/send", mode="timeout")
    assert (
        requests.post(
            url, params={"access_token": token}, json=body, timeout=2
        ).status_code
        == 500
    )
    assert (
        requests.post(
            url, params={"access_token": token}, json=body, timeout=2
        ).status_code
        == 500
    )
    assert (
        post(server, "/cgi-bin/appchat/send", body, access_token=token)["errcode"]
        == 45009
    )
    with pytest.raises(requests.Timeout):
        requests.post(url, params={"access_token": token}, json=body, timeout=0.2)
    assert (
        post(server, "/cgi-bin/appchat/send", body, access_token=token)["errcode"] == 0
    )
    assert len(server.state.messages) == 1
    with pytest.raises(ValueError):
        server.state.fail_next("/x", mode="explode")


def test_robot_limits(server: FakeWeChatServer) -> None:
    path = "/cgi-bin/webhook/send"
    assert (
        post(server, path, {"msgtype": "text", "text": {"content": "x"}})["errcode"]
        == 93000
    )
    assert (
        post(
            server, path, {"msgtype": "text", "text": {"content": "长" * 683}}, key="k"
        )["errcode"]
        == 40058
    )
    codes = [
        post(server, path, {"msgtype": "text", "text": {"content": f"{i}"}}, key="k")[
            "errcode"
        ]
        for i in range(21)
    ]
    assert codes == [0] * 20 + [130101]
    assert (
        post(server, path, {"msgtype": "text", "text": {"content": "x"}}, key="other")[
            "errcode"
        ]
        == 0
    )


def test_duplicate_check_like_wecom(server: FakeWeChatServer) -> None:
    token = wecom_token(server)
    body = {
        "touser": "wang|li",
        "agentid": 1,
        "msgtype": "text",
        "text": {"content": "提醒"},
        "enable_duplicate_check": 1,
        "duplicate_check_interval": 600,
    }
    first = post(server, "/cgi-bin/message/send", body, access_token=token)
    second = post(server, "/cgi-bin/message/send", body, access_token=token)
    assert first["errcode"] == second["errcode"] == 0 and "msgid" in first
    assert (
        len(server.state.messages) == 2
    )  # once per user, the repeat accepted but not delivered
    post(
        server,
        "/cgi-bin/message/send",
        {**body, "enable_duplicate_check": 0},
        access_token=token,
    )
    assert len(server.state.messages) == 4


def test_inspection_endpoints_for_out_of_process_tests(
    server: FakeWeChatServer,
) -> None:
    base = server.base_url
    post(
        server,
        "/cgi-bin/webhook/send",
        {"msgtype": "text", "text": {"content": "甲"}},
        key="k1",
    )
    post(
        server,
        "/cgi-bin/webhook/send",
        {"msgtype": "text", "text": {"content": "乙"}},
        key="k2",
    )
    listed = requests.get(f"{base}/_fake/messages", timeout=2).json()
    assert [m["text"] for m in listed] == ["甲", "乙"]
    only = requests.get(
        f"{base}/_fake/messages", params={"target": "k2"}, timeout=2
    ).json()
    assert [(m["route"], m["target"], m["text"]) for m in only] == [
        ("robot", "k2", "乙")
    ]

    ok = requests.post(
        f"{base}/_fake/faults",
        json={"path": "/cgi-bin/webhook/send", "mode": 130101},
        timeout=2,
    )
    assert ok.json() == {"ok": True}
    assert (
        post(
            server,
            "/cgi-bin/webhook/send",
            {"msgtype": "text", "text": {"content": "x"}},
            key="k3",
        )["errcode"]
        == 130101
    )
    assert (
        requests.post(f"{base}/_fake/faults", json={"mode": "x"}, timeout=2).status_code
        == 400
    )

    token = wecom_token(server)
    requests.post(f"{base}/_fake/expire_tokens", timeout=2)
    assert (
        post(
            server,
            "/cgi-bin/appchat/send",
            {"chatid": "grid-01", "msgtype": "text", "text": {"content": "x"}},
            access_token=token,
        )["errcode"]
        == 42001
    )
    stats = requests.get(f"{base}/_fake/stats", timeout=2).json()
    assert stats["token_fetches"] == {"wecom": 1}


def test_subscribers_hear_every_delivery(server: FakeWeChatServer) -> None:
    heard: list[DeliveredMessage] = []
    arrived = threading.Event()

    def on_message(message: DeliveredMessage) -> None:
        heard.append(message)
        arrived.set()

    def broken(message: DeliveredMessage) -> None:
        raise RuntimeError("sandbox hook bug")

    server.state.subscribe(broken)
    server.state.subscribe(on_message)
    assert (
        post(
            server,
            "/cgi-bin/webhook/send",
            {"msgtype": "text", "text": {"content": "到了"}},
            key="k",
        )["errcode"]
        == 0
    )
    assert arrived.wait(2)
    assert heard[0].text == "到了" and heard[0].route == "robot"
    server.state.unsubscribe(on_message)


def test_stop_does_not_wait_for_a_sleeping_timeout_fault() -> None:
    state = FakeWeChatState(timeout_sleep=30)
    srv = FakeWeChatServer(state).start()
    state.fail_next("/cgi-bin/webhook/send", mode="timeout")
    with pytest.raises(requests.Timeout):
        requests.post(
            f"{srv.base_url}/cgi-bin/webhook/send",
            params={"key": "k"},
            json={},
            timeout=0.2,
        )
    started = time.monotonic()
    srv.stop()
    assert time.monotonic() - started < 2


def test_media_get_serves_an_apps_own_media_by_id_with_tencents_errcodes(server: FakeWeChatServer) -> None:
    st, url = server.state, f"{server.base_url}/cgi-bin/media/get"
    photo = b"\xff\xd8\xff\xe0" + b"\x00" * 60  # the bytes are served as given (no encryption)
    media_id = st.add_temp_media(photo, kind="wecom")
    token = wecom_token(server)

    got = requests.get(url, params={"access_token": token, "media_id": media_id}, timeout=2)
    assert (got.status_code, got.content, got.headers["Content-Type"]) == (200, photo, "image/jpeg")
    assert media_id in got.headers["Content-Disposition"]

    def errcode(**params: str) -> int:
        answer = requests.get(url, params=params, timeout=2)
        assert answer.status_code == 200  # Tencent answers refusals with 200 and JSON
        return answer.json()["errcode"]

    assert errcode(media_id=media_id) == 41001
    assert errcode(access_token="forged", media_id=media_id) == 40014
    assert errcode(access_token=token) == 41006
    assert errcode(access_token=token, media_id="unknown") == 40007
    oa_only = st.add_temp_media(photo, kind="oa")
    assert errcode(access_token=token, media_id=oa_only) == 40007  # another app's media
    st.expire_temp_media()
    assert errcode(access_token=token, media_id=media_id) == 40007  # past its three days
    st.expire_tokens()
    assert errcode(access_token=token, media_id=media_id) == 42001
