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
