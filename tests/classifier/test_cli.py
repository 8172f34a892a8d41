import io
import json
import subprocess
import sys
from pathlib import Path

from classifier.cli import main

REPO = Path(__file__).resolve().parents[2]


def run(*args, stdin=""):
    return subprocess.run(
        [sys.executable, "-m", "classifier", *args],
        input=stdin,
        cwd=REPO,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_predict_emits_json_lines(model_path):
    r = run(
        "predict",
        "--model",
        str(model_path),
        stdin="好的收到👍\n\n3号楼2单元电梯困人了\n",
    )
    assert r.returncode == 0, r.stderr
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(lines) == 2
    for obj in lines:
        assert {
            "text",
            "intent",
            "intent_confidence",
            "category",
            "category_confidence",
            "top",
            "places",
        } <= obj.keys()
    assert lines[0]["intent"] == "chitchat" and lines[1]["category"] == "elevator"
    assert "困人" in r.stdout  # ensure_ascii=False


def test_predict_reads_files(model_path, tmp_path, capsys):
    f = tmp_path / "msgs.txt"
    f.write_text("早上好\n路灯坏了\n", encoding="utf-8")
    assert main(["predict", "--model", str(model_path), str(f)]) == 0
    out = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [o["text"] for o in out] == ["早上好", "路灯坏了"]


def test_refuses_foreign_model(tmp_path, capsys, monkeypatch):
    bad = tmp_path / "x.joblib"
    bad.write_bytes(b"not a model")
    monkeypatch.setattr(sys, "stdin", io.StringIO("早上好\n"))
    assert main(["predict", "--model", str(bad)]) == 2
    assert "not a GridWhistle" in capsys.readouterr().err


def test_train_with_extra_corrections_and_evaluate(tmp_path, capsys):
    from classifier.corpus import CORPUS_PATH

    small = tmp_path / "small.csv"
    lines = CORPUS_PATH.read_text(encoding="utf-8").splitlines()[:1500]
    small.write_text("\n".join(lines) + "\n", encoding="utf-8")
    extra = tmp_path / "fix.jsonl"
    extra.write_text(
        json.dumps(
            {"text": "井盖被偷了", "intent": "complaint", "category": "road_traffic"},
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "m.joblib"
    assert (
        main(
            [
                "train",
                "--corpus",
                str(small),
                "--test",
                "",
                "--extra",
                str(extra),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert "+ 1 corrections" in capsys.readouterr().out and out.exists()
    reports = tmp_path / "reports"
    assert main(["evaluate", "--model", str(out), "--reports", str(reports)]) == 0
    out_text = capsys.readouterr().out
    assert "actionable_f1" in out_text and "bogus_per_100_chitchat=" in out_text
    assert "== short complaints" in out_text and "\nshort: n_lines=120," in out_text
    assert "== short shared-facility faults" in out_text and "\nfacility: n_lines=80," in out_text
    assert "== residents' voices" in out_text and "\nvoices: n_lines=240," in out_text
    assert "\nvoices rows 1-120 (tuning): n_lines=120," in out_text
    assert "\nvoices rows 121-240 (held out): n_lines=120," in out_text
    assert "== residents' voices, second hand" in out_text and "\nvoices2: n_lines=200," in out_text
    assert "\nvoices2 rows 1-100 (tuning): n_lines=100," in out_text
    assert "\nvoices2 rows 101-200 (held out): n_lines=100," in out_text
    assert "bogus_per_100_chitchat=" in (reports / "evaluation.txt").read_text(encoding="utf-8")
    assert (reports / "confusion_category.png").stat().st_size > 1000
    assert main(["evaluate", "--model", str(out), "--stream", "", "--short", "", "--facility", "", "--voices", "",
                 "--voices2", "", "--reports", str(reports)]) == 0
    assert "bogus_per_100" not in capsys.readouterr().out


def test_bad_correction_is_reported_not_crashed(tmp_path, capsys):
    extra = tmp_path / "fix.jsonl"
    extra.write_text('{"text": "x", "intent": "complaint", "category": "nope"}\n', encoding="utf-8")
    assert main(["train", "--extra", str(extra), "--out", str(tmp_path / "m.joblib")]) == 2
    assert "unknown category" in capsys.readouterr().err
