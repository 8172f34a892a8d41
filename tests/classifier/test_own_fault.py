"""Short first-person fault reports need only the own-fault bar to open a ticket (own_fault.py)."""

import pytest

from classifier.evaluation import bot_action
from classifier.model import DEFAULT_THRESHOLDS, Prediction
from classifier.normalize import normalize
from classifier.own_fault import is_own_fault


@pytest.mark.parametrize("text", [
    "我家下水道反水了", "家里停电了 就我们这栋", "俺家暖气冰凉", "我家天花板漏水了", "咱单元门口的灯坏了",
    "我家燈壞了",  # Traditional, read after normalisation
])
def test_short_first_person_faults_match(text):
    assert is_own_fault(normalize(text))


@pytest.mark.parametrize("text", [
    "楼道灯坏了",  # nobody's own: the model alone decides
    "我家水管修好了 感谢物业",  # news and thanks
    "我家停电是我自己跳闸了",  # coped with alone
    "万一我家停电了怎么办",  # hypothetical
    "我家停水了吗",  # a question
    "我家猫又跑了哈哈",  # no fault
    "我家楼上那户从上个月开始就一直在装修 每天早上七点就开始砸墙 周末也不停 还往楼道里堆建筑垃圾",  # long
])
def test_news_questions_hypotheticals_and_long_messages_do_not(text):
    assert not is_own_fault(normalize(text))


def _prediction(intent: str, confidence: float, own_fault: bool) -> Prediction:
    return Prediction("x", intent, confidence, "drainage" if intent == "complaint" else None, 0.95, (), (),
                      False, own_fault)


def test_an_own_fault_complaint_opens_a_ticket_below_the_intent_bar():
    t = DEFAULT_THRESHOLDS
    assert t["own_fault"] < t["intent"]
    assert bot_action(_prediction("complaint", 0.6, own_fault=True), t) == "ticket"
    assert bot_action(_prediction("complaint", 0.6, own_fault=False), t) == "unsure"
    assert bot_action(_prediction("complaint", 0.45, own_fault=True), t) == "unsure"


def test_artifacts_without_an_own_fault_bar_keep_the_intent_bar():
    old = {"intent": 0.9, "question": 0.6, "category": 0.7}
    assert bot_action(_prediction("complaint", 0.6, own_fault=True), old) == "unsure"


def test_chit_chat_that_reads_as_an_own_fault_goes_to_the_leader_never_to_a_ticket(model, monkeypatch):
    """The model's chit-chat with an own-fault shape becomes a complaint held under the own-fault bar:
    privately to the grid leader ("unsure"), never a ticket or an answer in the group."""
    import classifier.model as model_module

    text = "我家猫又跑了哈哈"
    plain = model.predict(text)
    assert plain.intent == "chitchat" and bot_action(plain, model.thresholds) == "silent"
    monkeypatch.setattr(model_module, "is_own_fault", lambda normed: True)
    flagged = model.predict(text)
    assert flagged.intent == "complaint" and flagged.own_fault and flagged.needs_review
    assert flagged.intent_confidence < model.thresholds["own_fault"]
    assert bot_action(flagged, model.thresholds) == "unsure"


def test_questions_are_left_alone(model, monkeypatch):
    import classifier.model as model_module

    monkeypatch.setattr(model_module, "is_own_fault", lambda normed: True)
    p = model.predict("请问社区打疫苗要带身份证吗")
    assert p.intent == "question" and not p.own_fault
