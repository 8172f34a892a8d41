import csv
import subprocess
import sys
from collections import Counter

from classifier.categories import load_categories
from classifier.corpus import CORPUS_PATH, DATA_DIR, INDEPENDENT_PATH, TEST_PATH, read_csv
from classifier.normalize import normalize


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


def _key(text: str) -> str:
    return "".join(ch for ch in normalize(text) if ch.isalnum())


def _leaked(lines, *other_sets) -> list[str]:
    """Lines (longer than 6 characters) also found in training, the generated splits, a pool or the
    other evaluation sets given: an evaluation line must be new to the model."""
    seen = {_key(r.text) for path in (CORPUS_PATH, TEST_PATH, INDEPENDENT_PATH) for r in read_csv(path)}
    seen |= {_key(line.text) for other in other_sets for line in other}
    for pool in (DATA_DIR / "extra").glob("*.csv"):
        with pool.open(encoding="utf-8", newline="") as fh:
            seen |= {_key(r["text"]) for r in csv.DictReader(fh)}
    return [line.text for line in lines if len(_key(line.text)) > 6 and _key(line.text) in seen]


def test_independent_set_is_balanced_and_never_trained_on():
    known = set(load_categories())
    rows = read_csv(INDEPENDENT_PATH, known)
    intents = Counter(r.intent for r in rows)
    assert intents["complaint"] >= 800 and intents["question"] >= 150 and intents["chitchat"] >= 300
    cats = Counter(r.category for r in rows if r.intent == "complaint")
    assert set(cats) == known and min(cats.values()) >= 30
    # No independent message (compared without punctuation, spaces, case or script) is in training,
    # in the generated held-out split, or in any hand-written pool the generator draws from.
    seen = {_key(r.text) for path in (CORPUS_PATH, TEST_PATH) for r in read_csv(path)}
    for path in (DATA_DIR / "extra").glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as fh:
            seen |= {_key(r["text"]) for r in csv.DictReader(fh)}
    leaked = [r.text for r in rows if len(_key(r.text)) > 6 and _key(r.text) in seen]
    assert not leaked, leaked[:10]


def test_generator_reproduces_the_committed_corpus(tmp_path):
    """corpus.csv and test.csv are the generator's output, byte for byte (pools edited → regenerate)."""
    subprocess.run([sys.executable, str(DATA_DIR / "make_corpus.py"), "--out", str(tmp_path)], check=True,
                   capture_output=True)
    for name in ("corpus.csv", "test.csv"):
        assert (tmp_path / name).read_bytes() == (DATA_DIR / name).read_bytes(), name


def test_chat_stream_is_mostly_chitchat_and_never_trained_on():
    """The chat-stream set (data/eval/chat_stream.csv) was written by another hand than the pools:
    no line longer than 6 characters (without punctuation, spaces or script) is in any training pool,
    the generated splits or independent.csv; short acknowledgements (收到, 👍) repeat in real chats."""
    from classifier.evaluation import read_stream

    lines = read_stream()
    assert len(lines) >= 600
    intents = Counter(line.intent for line in lines)
    assert intents["chitchat"] / len(lines) >= 0.7 and intents["complaint"] >= 80 and intents["question"] >= 15
    assert sum(line.kind == "emergency" for line in lines) >= 6
    leaked = _leaked(lines)
    assert not leaked, leaked[:10]


def test_short_complaints_set_is_half_complaints_and_never_trained_on():
    """data/eval/short_complaints.csv (written before looking at the model's mistakes): rows 1-60 were
    used to tune this round, 61-120 held out; each half is 30 complaints and 30 look-alikes. No line
    longer than 6 characters is in training, the generated splits, a pool or another evaluation set."""
    from classifier.evaluation import SHORT_PATH, read_stream

    lines = read_stream(SHORT_PATH)
    assert len(lines) == 120
    for half in (lines[:60], lines[60:]):
        assert sum(line.intent == "complaint" for line in half) == 30
    leaked = _leaked(lines, read_stream())
    assert not leaked, leaked[:10]


def test_short_facility_set_is_half_reports_and_never_trained_on():
    """data/eval/short_facility.csv (written before the rule was extended to shared facilities): rows
    1-40 tune, 41-80 are held out; each half is 20 fault reports about a shared facility with no first
    person and 20 look-alikes. No line longer than 6 characters is in training, the generated splits, a
    pool or another evaluation set."""
    from classifier.evaluation import SHORT_PATH, read_stream

    path = DATA_DIR / "eval" / "short_facility.csv"
    lines = read_stream(path)
    assert len(lines) == 80
    for half in (lines[:40], lines[40:]):
        assert sum(line.intent == "complaint" for line in half) == 20
    leaked = _leaked(lines, read_stream() + read_stream(SHORT_PATH))
    assert not leaked, leaked[:10]
    assert len({_key(line.text) for line in lines}) == 80


def test_voices_set_has_the_same_mix_in_both_halves_and_is_never_trained_on():
    """data/eval/voices.csv (written in pairs before any run, one line of each pair per half): rows
    1-120 tune, 121-240 are held out; each half is 50 complaints (6 of them emergencies), 20 questions
    and 50 chit-chat, and the complaints cover every category. No line longer than 6 characters is
    in training, the generated splits, a pool or another evaluation set."""
    from classifier.evaluation import FACILITY_PATH, SHORT_PATH, VOICES_PATH, read_stream

    lines = read_stream(VOICES_PATH)
    assert len(lines) == 240
    for half in (lines[:120], lines[120:]):
        assert Counter(line.intent for line in half) == {"complaint": 50, "question": 20, "chitchat": 50}
        assert sum(line.kind == "emergency" and line.intent == "complaint" for line in half) == 6
    with VOICES_PATH.open(encoding="utf-8", newline="") as fh:
        categories = {r["category"] for r in csv.DictReader(fh) if r["intent"] == "complaint"}
    assert categories == set(load_categories())
    leaked = _leaked(lines, read_stream() + read_stream(SHORT_PATH) + read_stream(FACILITY_PATH))
    assert not leaked, leaked[:10]
    longer = [_key(line.text) for line in lines if len(_key(line.text)) > 6]
    assert len(set(longer)) == len(longer)


def test_voices2_set_has_the_same_mix_in_both_halves_and_is_never_trained_on():
    """data/eval/voices2.csv (a second hand, written in pairs before any run, one line of each pair per
    half): rows 1-100 tune, 101-200 are held out; each half is 40 complaints (5 of them emergencies)
    over all 21 categories, 18 questions and 42 chit-chat. No line longer than 6 characters is in
    training, the generated splits, a pool or another evaluation set."""
    from classifier.evaluation import FACILITY_PATH, SHORT_PATH, VOICES2_PATH, VOICES_PATH, read_stream

    lines = read_stream(VOICES2_PATH)
    assert len(lines) == 200
    with VOICES2_PATH.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for lo, hi in ((0, 100), (100, 200)):
        half = lines[lo:hi]
        assert Counter(line.intent for line in half) == {"complaint": 40, "question": 18, "chitchat": 42}
        assert sum(line.kind == "emergency" and line.intent == "complaint" for line in half) == 5
        categories = {r["category"] for r in rows[lo:hi] if r["intent"] == "complaint"}
        assert categories == set(load_categories())
    others = read_stream() + read_stream(SHORT_PATH) + read_stream(FACILITY_PATH) + read_stream(VOICES_PATH)
    leaked = _leaked(lines, others)
    assert not leaked, leaked[:10]
    longer = [_key(line.text) for line in lines if len(_key(line.text)) > 6]
    assert len(set(longer)) == len(longer)
