"""Operability: liveness, readiness and Prometheus metrics that count what happened."""
from __future__ import annotations

from tests.chat import ChatDriver


def test_healthz_and_readyz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json()["checks"] == {"database": "ok", "redis": "ok", "model": "ok"}


def test_metrics_count_messages_and_tickets(client, demo):
    chat = ChatDriver(client)
    chat.say("chat-g1", "zhangdaye", "3号楼下水道堵了，污水都冒出来了")
    chat.say("chat-g1", "liuayi", "今天的晚霞真好看 拍了好多照片")  # chit-chat the classifier reads
    chat.say("chat-g1", "chenxin", "大家早上好")  # a bare greeting: silenced by rule, no classification
    body = client.get("/metrics").data.decode()
    assert 'gridwhistle_messages_in_total{intent="complaint"} 1.0' in body
    assert 'gridwhistle_messages_in_total{intent="chitchat"} 2.0' in body
    assert "gridwhistle_tickets_opened_total 1.0" in body
    assert 'gridwhistle_tickets{state="new"} 1.0' in body
    assert "gridwhistle_classification_seconds_count 2.0" in body
    assert "gridwhistle_outbox{" in body
