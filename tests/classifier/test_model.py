import pytest

from classifier import Prediction, load_model
from classifier.model import ArtifactError, clear_cache, digest_path, load_artifact

SAMPLES = [
    "好的收到👍",
    "早上好",
    "@网格长 扬州路12号楼下水道堵了，污水漫到路上了",
    "请问社区打疫苗要带身份证吗",
    "3号楼2单元电梯困人了！！",
    "楼道里有人飞线充电",
    "",
    "😀",
    "a" * 2000,
]


def test_confidences_in_unit_interval_and_ranking_sorted(model):
    for p in model.predict_many(SAMPLES):
        assert isinstance(p, Prediction)
        assert 0.0 <= p.intent_confidence <= 1.0
        assert len(p.top) == 3
        scores = [s for _, s in p.top]
        assert scores == sorted(scores, reverse=True)
        assert all(0.0 <= s <= 1.0 for s in scores)
        if p.intent == "complaint":
            assert p.category == p.top[0][0] and 0.0 <= p.category_confidence <= 1.0
        else:
            assert p.category is None and p.category_confidence is None


def test_prediction_is_frozen(model):
    p = model.predict("早上好")
    with pytest.raises(AttributeError):
        p.intent = "complaint"


@pytest.mark.parametrize("text", ["好的收到👍", "早上好", "谢谢网格长", "哈哈哈", "[强][强]", "晚安"])
def test_obvious_chitchat(model, text):
    assert model.predict(text).intent == "chitchat"


@pytest.mark.parametrize(
    "text, category",
    [
        ("扬州路12号楼下水道堵了，污水漫到路上了", "drainage"),
        ("7号楼电梯又坏了，老人下不了楼", "elevator"),
        ("楼上半夜还在装修，吵得睡不着", "noise"),
        ("小区路灯坏了一个月，晚上黑漆漆的", "lighting"),
        ("家里暖气片冰凉，屋里才十四度", "heating"),
        ("楼道里有人飞线充电，消防通道也堵了", "fire_safety"),
        ("有人遛狗不拴绳，把孩子吓哭了", "animals"),
        ("垃圾桶三天没人清运，臭死了", "sanitation"),
    ],
)
def test_obvious_complaints(model, text, category):
    p = model.predict(text)
    assert p.intent == "complaint" and p.category == category


def test_traditional_input_predicts_like_simplified(model):
    a = model.predict("電梯壞了，老人被困在裡面")
    b = model.predict("电梯坏了，老人被困在里面")
    assert (a.intent, a.category, a.top) == (b.intent, b.category, b.top)


def test_places_are_attached(model):
    assert "3号楼2单元" in model.predict("3号楼2单元电梯困人了").places


def test_predict_many_matches_predict(model):
    many = model.predict_many(SAMPLES[:5])
    assert many == [model.predict(t) for t in SAMPLES[:5]]


def test_reloaded_model_predicts_the_same(model, model_path):
    clear_cache()
    again = load_model(str(model_path))
    assert again is load_model(str(model_path))  # cached per path
    assert again.predict_many(SAMPLES) == model.predict_many(SAMPLES)
    assert again.metadata["labels"]["intent"] and again.metadata["data_hash"]


def test_metadata_describes_the_artifact(model):
    md = model.metadata
    for key in (
        "model_version",
        "created",
        "versions",
        "data_hash",
        "thresholds",
        "labels",
    ):
        assert key in md
    assert len(md["labels"]["category"]) == 21


def test_foreign_file_is_refused(tmp_path):
    import joblib

    evil = tmp_path / "evil.joblib"
    joblib.dump({"features": 1}, evil)
    with pytest.raises(ArtifactError, match="not a GridWhistle"):
        load_artifact(evil)


def test_tampered_payload_is_refused(tmp_path, model_path):
    data = bytearray(model_path.read_bytes())
    data[-10] ^= 0xFF
    bad = tmp_path / "bad.joblib"
    bad.write_bytes(bytes(data))
    digest_path(bad).write_bytes(digest_path(model_path).read_bytes())
    with pytest.raises(ArtifactError, match="does not match"):
        load_artifact(bad)


def test_missing_file_says_how_to_fix(tmp_path):
    with pytest.raises(ArtifactError, match="python -m classifier train"):
        load_artifact(tmp_path / "nope.joblib")


def test_held_out_quality(model, test_split):
    from classifier.evaluation import evaluate

    s = evaluate(model, test_split).summary()
    assert s["actionable_f1"] >= 0.95
    assert s["category_macro_f1"] >= 0.75


def test_independent_set_figures_hold(model):
    """The goals on text written by other hands (issue #15): actionable F1 >= 0.98, category macro-F1 >= 0.92."""
    from classifier.corpus import INDEPENDENT_PATH, read_csv
    from classifier.evaluation import evaluate

    s = evaluate(model, read_csv(INDEPENDENT_PATH)).summary()
    assert s["actionable_f1"] >= 0.98 and s["category_macro_f1"] >= 0.92, s


def test_chat_stream_has_at_most_one_bogus_answer_per_100_chitchat_lines(model):
    from classifier.evaluation import evaluate_stream, read_stream

    s = evaluate_stream(model, read_stream()).summary()
    assert s["bogus_per_100_chitchat"] <= 1.0, s
    assert s["actionable_recall"] >= 0.98 and s["complaint_ticket_recall"] >= 0.95, s
    done, total = map(int, s["emergency_ticket_recall"].split("/"))
    assert done == total, s


def test_short_first_person_complaints_open_tickets(model):
    """data/eval/short_complaints.csv: 52 of 60 short complaints open a ticket (45 before the own-fault
    rule), at most 2 of the 72 actionable lines are left silent (4 before), and at most 2 of its 48
    look-alike chit-chat lines get a ticket or an answer (2 before as well)."""
    from classifier.evaluation import SHORT_PATH, evaluate_stream, read_stream

    s = evaluate_stream(model, read_stream(SHORT_PATH)).summary()
    assert s["complaint_ticket_recall"] >= 0.85 and s["actionable_recall"] >= 0.97, s
    assert s["false_tickets"] + s["false_replies"] <= 2, s


def test_short_shared_facility_faults_open_tickets(model):
    """data/eval/short_facility.csv: 38 of 40 short shared-facility faults with no first person open a
    ticket (32 before the short-fault rule covered shared facilities), at most one of the 48 actionable
    lines is left silent (1 before the rule; since the dialect fold's retraining, the question
    "电梯今天检修吗" is heard as chit-chat instead of going to the leader), and at most 3 of its 32
    look-alike chit-chat lines get a ticket or an answer (4 before)."""
    from classifier.evaluation import FACILITY_PATH, evaluate_stream, read_stream

    s = evaluate_stream(model, read_stream(FACILITY_PATH)).summary()
    assert s["complaint_ticket_recall"] >= 0.9 and s["actionable_recall"] >= 0.97, s
    assert s["false_tickets"] + s["false_replies"] <= 3, s


def test_voices_set_figures_do_not_fall(model):
    """data/eval/voices.csv: first scored untuned (90 of 100 complaints ticketed, 11 of 12 emergencies by
    the model alone, 132 of 140 actionable lines not left silent, 9 of 100 chit-chat lines ticketed);
    with regional words folded to Mandarin (classifier/dialect.py) and the emergency rules replayed as
    the chat loop runs them, and news of elsewhere or jokes about home heard as talk (classifier/not_ours.py):
    93, 12 of 12, 134, 6. Floors against regressions, not goals."""
    from classifier.evaluation import VOICES_PATH, evaluate_stream, read_stream

    s = evaluate_stream(model, read_stream(VOICES_PATH)).summary()
    assert s["complaint_ticket_recall"] >= 0.92 and s["actionable_recall"] >= 0.95, s
    assert s["false_tickets"] + s["false_replies"] <= 6, s
    assert s["emergency_ticket_recall"] == "12/12", s


def test_voices2_set_figures_do_not_fall(model):
    """data/eval/voices2.csv (a second hand: 鲁豫, 西北, 湘赣, 京片子, young slang, rider fragments, formal
    letters), first scored untuned: 77 of 80 complaints ticketed (tuning half 37/40, held-out half 40/40),
    10 of 10 emergencies, 114 of 116 actionable lines not left silent, 11 of 84 chit-chat lines ticketed
    and 1 answered as a question; with 恁 / 额家 / 咧 / 莫有 folded, news of elsewhere no alarm and jokes
    about 我屋里那只狗 heard as talk: 6 ticketed and 1 answered. Floors against regressions, not goals."""
    from classifier.evaluation import VOICES2_PATH, evaluate_stream, read_stream

    s = evaluate_stream(model, read_stream(VOICES2_PATH)).summary()
    assert s["complaint_ticket_recall"] >= 0.96 and s["actionable_recall"] >= 0.98, s
    assert s["false_tickets"] + s["false_replies"] <= 7, s
    assert s["emergency_ticket_recall"] == "10/10", s


@pytest.mark.parametrize("text", [
    "3栋2单元楼道里一股煤气味 好浓",
    "樓下電動車棚著火了 好大的煙",
    "电梯卡在7楼了里面关着两个人",
    "我爸在楼梯上摔倒了头在流血",
    "燃气管漏气了滋滋响",
])
def test_emergencies_open_a_ticket(model, text):
    from classifier.evaluation import bot_action

    assert bot_action(model.predict(text), model.thresholds) == "ticket"


def test_a_short_injury_report_is_never_left_silent(model):
    from classifier.evaluation import bot_action

    assert bot_action(model.predict("有人摔倒了 流了好多血"), model.thresholds) in ("ticket", "unsure")


@pytest.mark.parametrize("text, action", [
    ("【通知】明天上午停水检修 请大家提前储水", "silent"),
    ("谢谢师傅 灯修好了 亮堂多了", "silent"),
    ("#接龙 周六团购土豆 5斤一袋\n1. 王姐 2袋\n2. 小李 1袋", "silent"),
    ("请问社区打疫苗要带身份证吗", "reply"),
])
def test_bot_action_follows_the_thresholds(model, text, action):
    from classifier.evaluation import bot_action

    assert bot_action(model.predict(text), model.thresholds) == action
