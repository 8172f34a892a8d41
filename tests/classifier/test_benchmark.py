"""TipDM benchmark mechanics on a tiny synthetic CSV (the real data lives outside the repo)."""

from __future__ import annotations

import csv

import numpy as np

from classifier.benchmark import _select_C, run_tipdm
from classifier.features import build_features

ROWS = {
    "交通运输": [
        "公交车晚点严重",
        "地铁站拥挤不堪",
        "出租车拒载乘客",
        "道路红绿灯坏了",
        "公交线路调整不便",
        "高速收费站堵车",
    ],
    "教育文体": [
        "学校乱收补课费",
        "幼儿园学位紧张",
        "体育馆不对外开放",
        "老师体罚学生",
        "学校食堂卫生差",
        "图书馆开放时间短",
    ],
    "环境保护": [
        "工厂排放废气刺鼻",
        "河道污水横流",
        "夜间施工噪音扰民",
        "垃圾焚烧冒黑烟",
        "养殖场污染水源",
        "工地扬尘严重",
    ],
}


def _write(path, conflict_row: bool = True):
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["text_title_body_nows", "label", "label_conflict"])
        w.writeheader()
        for label, texts in ROWS.items():
            for t in texts + [t + "，请尽快处理" for t in texts]:  # enough rows for the temperature hold-out
                w.writerow({"text_title_body_nows": t, "label": label, "label_conflict": "False"})
        if conflict_row:
            w.writerow(
                {"text_title_body_nows": "学校门口公交站", "label": "交通运输|教育文体", "label_conflict": "True"}
            )


def test_nested_cv_picks_C_from_the_grid_and_drops_conflicts(tmp_path):
    path = tmp_path / "tipdm.csv"
    _write(path)
    out = run_tipdm(path, folds=2, C=None, C_grid=(0.5, 2.0), inner_folds=2, model_path=str(tmp_path / "none"))
    assert out["rows"] == 36
    assert len(out["C_per_fold"]) == 2 and set(out["C_per_fold"]) <= {0.5, 2.0}
    assert 0.0 <= out["macro_f1_mean"] <= 1.0
    fixed = run_tipdm(path, folds=2, C=1.0, model_path=str(tmp_path / "none"))
    assert fixed["C_per_fold"] == [1.0, 1.0]


def test_select_C_sees_only_the_rows_it_is_given():
    texts = [t for ts in ROWS.values() for t in ts]
    y = np.array([label for label, ts in ROWS.items() for _ in ts])
    X = build_features().fit_transform(texts).tocsr()
    best, scores = _select_C(X, y, (0.5, 1.0), inner_folds=2, class_weight="balanced", seed=0)
    assert best in scores and set(scores) == {0.5, 1.0}
