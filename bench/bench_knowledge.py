"""Knowledge-base retrieval on real messages with the government's official replies (TipDM 2020).

    python -m bench.bench_knowledge [--data PATH] [--split 0.8] [--json OUT.json]

Method (time split, no look-ahead):
- Sort messages_with_replies.csv by message time. The earliest 80% become knowledge entries the way
  the bot stores a leader's answer: question = title + body, answer = the official reply. The index
  is handlers.knowledge.Retriever (jieba words + character bigrams, TF-IDF, cosine), the same code
  and the same entry text layout the bot uses.
- Each later message (title + body only) is a resident's question. Its own official reply is never
  indexed or used for retrieval; it only defines what the right answer would have been.

"Right topic", three ways, because no single proxy is honest on its own:
1. Reply-oracle hit@k: the gold set is the 5 indexed entries whose official replies are most
   similar (TF-IDF cosine over replies) to the query's own held-out reply, i.e. the earlier
   answers a clerk would most likely reuse. hit@k = the retrieved top-k contains one of them.
   Chance level is reported next to it.
2. Reply similarity: cosine between the top-1 retrieved entry's reply and the query's true reply,
   against a random entry (floor) and the best possible entry (ceiling).
3. Same first-level category: a TF-IDF + LinearSVC trained on messages_labeled.csv (a different
   set of messages; 7 classes, ≈0.90 macro-F1) labels both the query and the retrieved entry;
   the share where the labels agree, against chance (sum of squared label shares).
Then the answer/forward trade-off: for score thresholds, the share of questions answered and the
reply-oracle hit@1 among those answered.
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
import time
from datetime import datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from handlers.knowledge import Retriever, entry_text

DATA = Path("/work/shared/data/tipdm2020")
GOLD_K = 5
THRESHOLDS = (0.1, 0.2, 0.3, 0.35, 0.4, 0.5)


def parse_time(value: str) -> datetime:
    for fmt in ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M"):
        try:
            return datetime.strptime(value.strip(), fmt)
        except ValueError:
            continue
    raise ValueError(f"unparsed time {value!r}")


def clean(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def load(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if not r["reply"].strip():
                continue
            rows.append({"when": parse_time(r["time"]), "question": clean(f"{r['title']}。{r['body']}"),
                         "reply": clean(r["reply"])})
    rows.sort(key=lambda r: r["when"])
    return rows


def category_model(path: Path):
    """A coarse topic labeller trained on a different set of messages (never the replies file)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC

    texts, labels = [], []
    with path.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r.get("label_conflict") == "True":
                continue
            texts.append(r["text_title_body_nows"])
            labels.append(r["label"])
    model = make_pipeline(TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True, min_df=2),
                          LinearSVC(C=0.5))
    model.fit(texts, labels)
    return model


def run(data: Path, split: float, seed: int = 0) -> dict:
    t0 = time.perf_counter()
    rows = load(data / "messages_with_replies.csv")
    cut = int(len(rows) * split)
    index_rows, query_rows = rows[:cut], rows[cut:]
    retriever = Retriever([entry_text(r["question"], "", r["reply"]) for r in index_rows])
    t_index = time.perf_counter() - t0

    replies = Retriever([r["reply"] for r in index_rows])  # the gold side: replies only
    labeller = category_model(data / "messages_labeled.csv")
    index_labels = labeller.predict([r["question"] for r in index_rows])
    query_labels = labeller.predict([r["question"] for r in query_rows])

    rng = random.Random(seed)
    hits = {1: 0, 3: 0, 5: 0}
    sim_top1, sim_random, sim_best, same_label = [], [], [], 0
    per_threshold = {t: [0, 0] for t in THRESHOLDS}  # answered, answered and right
    t_query = 0.0
    for q, q_label in zip(query_rows, query_labels):
        t1 = time.perf_counter()
        scores = retriever.scores(q["question"])
        t_query += time.perf_counter() - t1
        ranked = np.argsort(-scores)
        reply_sims = replies.scores(q["reply"])
        gold = set(np.argsort(-reply_sims)[:GOLD_K].tolist())
        for k in hits:
            hits[k] += bool(gold & set(ranked[:k].tolist()))
        top = int(ranked[0])
        sim_top1.append(reply_sims[top])
        sim_random.append(reply_sims[rng.randrange(len(index_rows))])
        sim_best.append(reply_sims.max())
        same_label += index_labels[top] == q_label
        for t in THRESHOLDS:
            if scores[top] >= t:
                per_threshold[t][0] += 1
                per_threshold[t][1] += top in gold
    n = len(query_rows)
    shares = {lab: float(np.mean(index_labels == lab)) for lab in set(index_labels)}
    chance_label = sum(shares.get(lab, 0.0) * float(np.mean(query_labels == lab)) for lab in set(query_labels))
    return {
        "indexed": len(index_rows), "queries": n,
        "index_period": f"{index_rows[0]['when']:%Y-%m-%d} .. {index_rows[-1]['when']:%Y-%m-%d}",
        "query_period": f"{query_rows[0]['when']:%Y-%m-%d} .. {query_rows[-1]['when']:%Y-%m-%d}",
        "reply_oracle_hit_at": {k: round(v / n, 3) for k, v in hits.items()},
        "reply_oracle_chance_at": {k: round(1 - np.prod([(len(index_rows) - GOLD_K - i) / (len(index_rows) - i)
                                                          for i in range(k)]), 3) for k in hits},
        "reply_similarity": {"top1": round(float(np.mean(sim_top1)), 3), "random": round(float(np.mean(sim_random)), 3),
                             "best_possible": round(float(np.mean(sim_best)), 3)},
        "same_category_top1": round(same_label / n, 3), "same_category_chance": round(chance_label, 3),
        "threshold": {str(t): {"answered": round(a / n, 3), "hit1_when_answered": round(r / a, 3) if a else None}
                      for t, (a, r) in per_threshold.items()},
        "index_build_seconds": round(t_index, 1), "query_ms_mean": round(1000 * t_query / n, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--split", type=float, default=0.8)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    result = run(args.data, args.split)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
