from collections import Counter

from classifier.categories import load_categories
from classifier.corpus import CORPUS_PATH, TEST_PATH, read_csv


def test_corpus_size_and_balance():
    rows = read_csv(CORPUS_PATH, set(load_categories()))
    assert len(rows) >= 6000
    intents = Counter(r.intent for r in rows)
    assert intents["chitchat"] / len(rows) >= 0.35
    cats = Counter(r.category for r in rows if r.intent == "complaint")
    assert set(cats) == set(load_categories())
    assert min(cats.values()) >= 200


def test_held_out_split_shares_no_message_with_training():
    train = {r.text for r in read_csv(CORPUS_PATH)}
    test = [r.text for r in read_csv(TEST_PATH)]
    overlap = [t for t in test if t in train and len(t) > 6]
    assert len(overlap) <= len(test) * 0.01, overlap[:10]
