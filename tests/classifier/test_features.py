import numpy as np

from classifier.features import CompiledFeatures, KeywordHits, TemperatureSVC
from classifier.normalize import normalize


def test_compiled_transform_equals_sklearn(model):
    texts = [
        normalize(t)
        for t in [
            "下水道堵了",
            "早上好 EMJ",
            "",
            "3号楼2单元電梯壞了",
            "zzz 未见过的词",
        ]
    ]
    fast = CompiledFeatures(model.features).transform(texts).toarray()
    slow = model.features.transform(texts).toarray()
    assert np.allclose(fast, slow, atol=1e-5)


def test_keyword_hits_point_to_their_category():
    kw = KeywordHits({"lighting": ("路灯", "不亮"), "elevator": ("电梯",)}).fit([])
    row = kw.transform(["路灯不亮"]).toarray()[0]
    assert row[kw.codes_.index("lighting")] > 0 and row[kw.codes_.index("elevator")] == 0


def test_temperature_svc_gives_probabilities():
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = ["电梯坏了", "电梯困人", "路灯不亮", "路灯坏了", "电梯停运", "路灯太暗"] * 5
    y = ["e", "e", "l", "l", "e", "l"] * 5
    X = TfidfVectorizer(analyzer="char").fit_transform(texts)
    clf = TemperatureSVC().fit(X, y, groups=np.arange(len(y)) % 6)
    p = clf.predict_proba(X)
    assert clf.temperature_ > 0
    assert np.allclose(p.sum(axis=1), 1) and ((p >= 0) & (p <= 1)).all()
    assert list(clf.predict(X[:2])) == ["e", "e"]
