"""Classifier speed benchmark: throughput, latency, artifact size, load and training time.

Usage:  python bench/bench_classifier.py [OUT.json]

Runs on one core (thread env vars are pinned before numpy is imported) and measures a plain
char-TF-IDF + LinearSVC baseline in the same run, so figures can be compared across noisy machines
by their ratio to the baseline rather than in absolute terms.
"""

from __future__ import annotations

import os

for _var in (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
):
    os.environ[_var] = "1"

import json  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from classifier.corpus import CORPUS_PATH, TEST_PATH, read_csv  # noqa: E402
from classifier.model import load_artifact, train  # noqa: E402
from classifier.normalize import normalize  # noqa: E402


def _pin_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        except OSError:
            pass


def _latency(fn, texts: list[str]) -> dict:
    for t in texts[:50]:
        fn(t)  # warm-up
    times = []
    for t in texts:
        t0 = time.perf_counter()
        fn(t)
        times.append(time.perf_counter() - t0)
    times.sort()
    return {
        "single_msgs_per_s": round(len(times) / sum(times), 1),
        "p50_ms": round(times[len(times) // 2] * 1000, 3),
        "p99_ms": round(times[int(len(times) * 0.99)] * 1000, 3),
    }


def _batched(fn, texts: list[str], batch: int = 1000) -> float:
    t0 = time.perf_counter()
    for i in range(0, len(texts), batch):
        fn(texts[i : i + batch])
    return round(len(texts) / (time.perf_counter() - t0), 1)


def bench_product(train_rows, texts: list[str], tmp: Path) -> dict:
    t0 = time.perf_counter()
    model = train(train_rows)
    train_s = time.perf_counter() - t0
    path = model.save(tmp / "classifier.joblib")
    t0 = time.perf_counter()
    model = load_artifact(path)
    load_s = time.perf_counter() - t0
    model.predict("预热")  # jieba dictionary load is a one-off, reported separately
    out = {
        "train_s": round(train_s, 2),
        "artifact_mb": round(path.stat().st_size / 1e6, 2),
        "load_s": round(load_s, 3),
    }
    out.update(_latency(model.predict, texts))
    out["batched_msgs_per_s"] = _batched(model.predict_many, texts)
    return out


def bench_baseline(train_rows, texts: list[str], tmp: Path) -> dict:
    import joblib
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC

    t0 = time.perf_counter()
    pipe = make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(1, 2)), LinearSVC())
    pipe.fit([normalize(e.text) for e in train_rows], [e.intent for e in train_rows])
    train_s = time.perf_counter() - t0
    path = tmp / "baseline.joblib"
    joblib.dump(pipe, path)
    t0 = time.perf_counter()
    pipe = joblib.load(path)
    load_s = time.perf_counter() - t0
    out = {
        "train_s": round(train_s, 2),
        "artifact_mb": round(path.stat().st_size / 1e6, 2),
        "load_s": round(load_s, 3),
    }
    out.update(_latency(lambda t: pipe.predict([normalize(t)]), texts))
    out["batched_msgs_per_s"] = _batched(lambda ts: pipe.predict([normalize(t) for t in ts]), texts)
    return out


def main(argv: list[str]) -> int:
    _pin_one_core()
    train_rows = read_csv(CORPUS_PATH)
    texts = [e.text for e in read_csv(TEST_PATH)]
    texts = (texts * 3)[:5000]
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        result = {
            "messages": len(texts),
            "product": bench_product(train_rows, texts, tmp),
            "baseline_char_tfidf_linearsvc": bench_baseline(train_rows, texts, tmp),
        }
    p, b = result["product"], result["baseline_char_tfidf_linearsvc"]
    result["ratio_to_baseline"] = {
        "p99": round(p["p99_ms"] / b["p99_ms"], 2),
        "batched_throughput": round(p["batched_msgs_per_s"] / b["batched_msgs_per_s"], 2),
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if len(argv) > 1:
        Path(argv[1]).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
