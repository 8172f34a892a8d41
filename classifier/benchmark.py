"""TipDM 2020 benchmark: real citizen messages the project did not write (never trained on here
beyond the CV folds of this benchmark itself).

Two questions: (1) does the category pipeline kind (text features + linear model) learn a real
7-class government taxonomy well — stratified 5-fold CV macro-F1 / accuracy; (2) does the
product's intent model, trained only on the generated corpus, recognise real requests as
actionable (complaint or question) rather than chit-chat.
"""

from __future__ import annotations

import csv
import logging
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold

from .features import CATEGORY_CLASS_WEIGHT, build_features, build_head
from .model import load_model
from .normalize import normalize

logger = logging.getLogger(__name__)

DEFAULT_TIPDM_PATH = (
    Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "tipdm2020" / "messages_labeled.csv"
)


def load_tipdm(path: Path) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row.get("label_conflict", "").strip().lower() == "true":
                continue
            texts.append(row["text_title_body_nows"])
            labels.append(row["label"])
    return texts, labels


C_GRID = (0.5, 1.0, 2.0, 5.0, 10.0)


def _select_C(X, y: np.ndarray, grid, inner_folds: int, class_weight, seed: int) -> tuple[float, dict]:
    """C with the best mean macro-F1 over an inner stratified CV of the TRAINING rows only.

    Features are the ones fitted on the outer training fold (the outer test fold is never seen);
    the temperature hold-out is skipped because it does not change the argmax.
    """
    inner = StratifiedKFold(n_splits=inner_folds, shuffle=True, random_state=seed + 1)
    splits = list(inner.split(np.zeros(len(y)), y))
    scores = {}
    for c in grid:
        f1s = []
        for a, b in splits:
            head = build_head(C=c, class_weight=class_weight)
            head.set_params(holdout=0)
            f1s.append(f1_score(y[b], head.fit(X[a], y[a]).predict(X[b]), average="macro"))
        scores[c] = float(np.mean(f1s))
    best = max(grid, key=lambda c: (scores[c], -c))  # ties: the smaller C
    return best, scores


def run_tipdm(
    path: Path,
    folds: int = 5,
    C: float | None = None,
    model_path: str | None = None,
    seed: int = 0,
    class_weight: str | None = CATEGORY_CLASS_WEIGHT,
    C_grid: tuple[float, ...] = C_GRID,
    inner_folds: int = 3,
) -> dict:
    """Stratified k-fold CV of the category pipeline kind (build_features + build_head).

    C=None (default) picks C per outer fold by an inner CV on that fold's training rows (nested
    CV: no hyperparameter ever sees the test fold); a number fixes C for every fold.
    """
    from tqdm import tqdm

    texts, labels = load_tipdm(path)
    normed = [normalize(t) for t in texts]
    y = np.array(labels)
    pred = np.empty_like(y)
    f1s, accs, chosen = [], [], []
    t0 = time.perf_counter()
    skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for tr, te in tqdm(list(skf.split(normed, y)), desc="tipdm CV", unit="fold"):
        features = build_features()
        X_tr = features.fit_transform([normed[i] for i in tr]).tocsr().astype(np.float32)
        X_te = features.transform([normed[i] for i in te]).tocsr().astype(np.float32)
        c = C
        if c is None:
            c, _ = _select_C(X_tr, y[tr], C_grid, inner_folds, class_weight, seed)
        chosen.append(c)
        head = build_head(C=c, class_weight=class_weight).fit(X_tr, y[tr])
        pred[te] = head.predict(X_te)
        f1s.append(f1_score(y[te], pred[te], average="macro"))
        accs.append(accuracy_score(y[te], pred[te]))
    result = {
        "rows": len(texts),
        "folds": folds,
        "C": C if C is not None else f"inner {inner_folds}-fold CV over {list(C_grid)}",
        "C_per_fold": chosen,
        "class_weight": class_weight,
        "macro_f1_mean": round(float(np.mean(f1s)), 4),
        "macro_f1_std": round(float(np.std(f1s)), 4),
        "accuracy_mean": round(float(np.mean(accs)), 4),
        "cv_seconds": round(time.perf_counter() - t0, 1),
    }
    try:
        model = load_model(model_path)
        preds = model.predict_many(texts)
        intents = [p.intent for p in preds]
        result["actionable_share"] = round(sum(i != "chitchat" for i in intents) / len(intents), 4)
        result["intent_counts"] = {k: intents.count(k) for k in ("complaint", "question", "chitchat")}
    except Exception as exc:  # noqa: BLE001 - the CV figures stand on their own without a product model
        logger.warning("actionable share skipped: %s", exc)
        result["actionable_share"] = None
    return result
