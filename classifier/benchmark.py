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

from .features import build_pipeline
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


def run_tipdm(
    path: Path,
    folds: int = 5,
    C: float = 5.0,
    model_path: str | None = None,
    seed: int = 0,
) -> dict:
    from tqdm import tqdm

    texts, labels = load_tipdm(path)
    normed = [normalize(t) for t in texts]
    y = np.array(labels)
    pred = np.empty_like(y)
    f1s, accs = [], []
    t0 = time.perf_counter()
    skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for tr, te in tqdm(list(skf.split(normed, y)), desc="tipdm CV", unit="fold"):
        pipe = build_pipeline(C=C).fit([normed[i] for i in tr], y[tr])
        pred[te] = pipe.predict([normed[i] for i in te])
        f1s.append(f1_score(y[te], pred[te], average="macro"))
        accs.append(accuracy_score(y[te], pred[te]))
    result = {
        "rows": len(texts),
        "folds": folds,
        "C": C,
        "macro_f1_mean": round(float(np.mean(f1s)), 4),
        "macro_f1_std": round(float(np.std(f1s)), 4),
        "accuracy_mean": round(float(np.mean(accs)), 4),
        "cv_seconds": round(time.perf_counter() - t0, 1),
    }
    try:
        from .model import load_model

        model = load_model(model_path)
        preds = model.predict_many(texts)
        intents = [p.intent for p in preds]
        result["actionable_share"] = round(sum(i != "chitchat" for i in intents) / len(intents), 4)
        result["intent_counts"] = {k: intents.count(k) for k in ("complaint", "question", "chitchat")}
    except Exception as exc:  # noqa: BLE001 - the CV figures stand on their own without a product model
        logger.warning("actionable share skipped: %s", exc)
        result["actionable_share"] = None
    return result
