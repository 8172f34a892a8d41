"""CPU cost per message of the language layer (emergency rules + problem splitting) against the classifier.

Usage:  python -m bench.bench_language [--repeat 3] [--json OUT.json]

What the Classified handler now does for every message that reaches it, measured piece by piece
on one core, in CPU time (time.process_time_ns per message, median and p99 over the set):
- `classifier`: model.predict(text) — the baseline, what the handler did before;
- `emergency`: classifier.emergency.detect(text);
- `split`: classifier.problems.split_clauses(text) (every message pays this);
- `handler_language`: what the handler runs on top of the classifier: detect + split, and for a
  message of several clauses (or an emergency with a comma) find_problems (which classifies each piece);
- `handler_total`: handler_language + the whole-message prediction.
The ratio handler_language / classifier (medians) is the figure; a 2,000-character message of ten
clauses is measured on its own. Messages: the hand-written independent set (1,400 lines, written
for evaluation), the emergency set and multi-problem messages written for this bench.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import sys
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from classifier.emergency import EVAL_PATH, detect  # noqa: E402
from classifier.model import load_model  # noqa: E402
from classifier.problems import find_problems, may_hold_several, split_clauses  # noqa: E402

SEVERAL = [
    "楼下烧烤店天天半夜吵得睡不着，还有东门那个井盖被人掀了，太危险了",
    "一是楼下烧烤店半夜太吵 二是3号楼电梯里困人了 三是路灯坏了",
    "网格长你好\n1. 楼道灯不亮\n2. 垃圾三天没人清运了\n3、有人在楼道里飞线充电",
    "我家楼上漏水到我家了。另外小区门口乱停车堵路。麻烦了谢谢",
    "暖气不热；电梯老是停运；物业不管",
]
LONG = "；".join(f"{k}号楼那边的楼道里堆满了纸箱和旧家具，晚上黑乎乎的也没有灯，老人上下楼很不方便" * 3
                 for k in range(1, 11))[:2000]


def _texts() -> list[str]:
    out: list[str] = []
    for path in (ROOT / "classifier" / "data" / "independent.csv", EVAL_PATH):
        with path.open(encoding="utf-8", newline="") as fh:
            out.extend(row["text"] for row in csv.DictReader(fh))
    return out + SEVERAL * 20


def _cpu(fn, texts: list[str], repeat: int) -> dict:
    for t in texts[:50]:
        fn(t)  # warm-up (regex compile, OpenCC load, model features)
    per_msg: list[int] = []
    for _ in range(repeat):
        for t in texts:
            t0 = time.process_time_ns()
            fn(t)
            per_msg.append(time.process_time_ns() - t0)
    per_msg.sort()
    return {"median_us": round(statistics.median(per_msg) / 1000, 1),
            "p99_us": round(per_msg[int(len(per_msg) * 0.99)] / 1000, 1),
            "mean_us": round(sum(per_msg) / len(per_msg) / 1000, 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", default="")
    args = ap.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        except OSError:
            pass
    model = load_model()
    thresholds = model.thresholds

    def language(text: str) -> None:
        emergency = detect(text)
        if may_hold_several(text, emergency is not None):  # as handlers.reports.several_problems
            find_problems(text, model.predict_many, thresholds)

    def total(text: str) -> None:
        language(text)
        model.predict(text)

    texts = _texts()
    result = {
        "messages": len(texts), "repeat": args.repeat,
        "classifier": _cpu(model.predict, texts, args.repeat),
        "emergency": _cpu(detect, texts, args.repeat),
        "split": _cpu(split_clauses, texts, args.repeat),
        "handler_language": _cpu(language, texts, args.repeat),
        "handler_total": _cpu(total, texts, args.repeat),
        "long_2000_chars_10_clauses": {
            "classifier": _cpu(model.predict, [LONG] * 60, 1),
            "handler_language": _cpu(language, [LONG] * 60, 1),
        },
    }
    base = result["classifier"]["median_us"]
    result["ratio_language_to_classifier_median"] = round(result["handler_language"]["median_us"] / base, 3)
    result["ratio_total_to_classifier_median"] = round(result["handler_total"]["median_us"] / base, 3)
    print(json.dumps(result, indent=1, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
