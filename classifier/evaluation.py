"""Scoring a model on labelled messages and drawing confusion matrices.

Why "actionable F1": the costly mistakes in a grid chat are a request dismissed as chit-chat (a
resident is ignored) or chit-chat turned into a ticket (leaders spammed); complaint-vs-question
mix-ups are cheap because both get a human answer. So we report F1 of {complaint, question}
against chitchat alongside the per-class figures.

Why a chat stream as well: the labelled sets hold chit-chat at 26-40 %, a real grid chat at 70-85 %,
so a false-positive rate that looks small there is nearly one bogus ticket per real one in a group.
`stream_figures` replays a chat in order and counts what the bot would do with each line.
"""

from __future__ import annotations

import csv
import logging
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    classification_report,
    confusion_matrix,
    f1_score,
)

from .categories import load_categories
from .corpus import INTENTS, Example
from .emergency import detect as detect_emergency

logger = logging.getLogger(__name__)

ACTIONABLE = ("complaint", "question")
STREAM_PATH = Path(__file__).resolve().parent / "data" / "eval" / "chat_stream.csv"
# Short lines as residents type them (no punctuation, voice input, dialect, Traditional), half short
# first-person complaints ("我家下水道反水了"), half chit-chat and questions that look like them:
# the complaints a grid leader most often got privately as "unsure" instead of a ticket.
SHORT_PATH = STREAM_PATH.with_name("short_complaints.csv")
# Short reports of a shared facility's fault with no first person ("楼道灯又坏了", "电梯又停了") and lines
# that look like them but report nothing (repaired, thanks, hearsay, notices, questions, jokes).
FACILITY_PATH = STREAM_PATH.with_name("short_facility.csv")
# Single lines in many residents' voices (dialects, voice input, Traditional, formal letters): complaints
# over every category with emergencies among them, questions, and chit-chat that mostly looks like them.
VOICES_PATH = STREAM_PATH.with_name("voices.csv")
# A second hand's single lines in voices the first set lacks (鲁豫 俺/恁/中不中, 西北 额/嫑, 湘赣 么子/冇得,
# 京片子, young people's slang, a rider's fragments, formal letters), same mix and halves as voices.csv.
VOICES2_PATH = STREAM_PATH.with_name("voices2.csv")


@dataclass(frozen=True)
class LineSet:
    """A set of chat lines `evaluate` replays: option --<name>, reported as `<name>: …`."""

    name: str
    path: Path
    title: str
    help: str
    halves: bool = False  # first half tuned on, second held out: each half is scored on its own too


LINE_SETS = (
    LineSet("stream", STREAM_PATH, "chat stream", "chat-stream set for the chit-chat false-ticket rate"),
    LineSet("short", SHORT_PATH, "short complaints",
            "short-lines set: short complaints ticketed vs look-alike chit-chat", halves=True),
    LineSet("facility", FACILITY_PATH, "short shared-facility faults",
            "short shared-facility faults ticketed vs look-alikes", halves=True),
    LineSet("voices", VOICES_PATH, "residents' voices",
            "single lines in many voices: complaints and emergencies ticketed vs look-alikes", halves=True),
    LineSet("voices2", VOICES2_PATH, "residents' voices, second hand",
            "single lines in other voices (a second hand): complaints and emergencies vs look-alikes", halves=True),
)


def bot_action(prediction, thresholds: dict) -> str:
    """What the chat loop does with a prediction (mirrors handlers.loop.Classified, which the
    classifier may not import): a sure complaint opens a ticket, a sure question gets an answer in
    the chat, an unsure one of either goes privately to the grid leader, chit-chat gets silence."""
    if prediction.intent == "chitchat":
        return "silent"
    if prediction.intent_confidence < prediction.action_bar(thresholds):
        return "unsure"
    return "ticket" if prediction.intent == "complaint" else "reply"


@dataclass(frozen=True)
class StreamLine:
    text: str
    intent: str
    kind: str  # chit-chat subtype, "complaint", "question" or "emergency"


def read_stream(path: Path = STREAM_PATH) -> list[StreamLine]:
    """The chat-stream set: columns n,sender,kind,text,intent,category (see data/README.md)."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [StreamLine(r["text"], r["intent"].strip(), r["kind"].strip()) for r in csv.DictReader(fh)]
    bad = [r for r in rows if r.intent not in INTENTS or not r.text.strip()]
    if bad:
        raise ValueError(f"{path}: {len(bad)} rows without text or with an unknown intent, e.g. {bad[0]}")
    return rows


@dataclass
class StreamResult:
    lines: list[StreamLine]
    actions: list[str]

    def summary(self) -> dict:
        chat = [a for line, a in zip(self.lines, self.actions) if line.intent == "chitchat"]
        act = [(line, a) for line, a in zip(self.lines, self.actions) if line.intent != "chitchat"]
        complaints = [a for line, a in act if line.intent == "complaint"]
        emergencies = [a for line, a in act if line.kind == "emergency"]
        n = max(len(chat), 1)
        return {
            "n_lines": len(self.lines),
            "chitchat_share": round(len(chat) / max(len(self.lines), 1), 3),
            "false_tickets": chat.count("ticket"),
            "false_replies": chat.count("reply"),
            # The headline: lines of chit-chat the bot would answer in the group (a ticket or an
            # answer to a "question"), per 100 chit-chat lines.
            "bogus_per_100_chitchat": round(100 * (chat.count("ticket") + chat.count("reply")) / n, 2),
            "unsure_to_leader_per_100_chitchat": round(100 * chat.count("unsure") / n, 2),
            "actionable_recall": round(sum(a != "silent" for _, a in act) / max(len(act), 1), 4),
            "complaint_ticket_recall": round(complaints.count("ticket") / max(len(complaints), 1), 4),
            "emergency_ticket_recall": f"{sum(a in URGENT_ACTIONS for a in emergencies)}/{len(emergencies)}",
        }

    def report(self, title: str = "chat stream", label: str = "stream", halves: bool = False) -> str:
        bogus = Counter(line.kind for line, a in zip(self.lines, self.actions)
                        if line.intent == "chitchat" and a in ("ticket", "reply"))
        missed = [line.text for line, a in zip(self.lines, self.actions) if line.intent != "chitchat" and a == "silent"]
        urgent = [f"{line.text[:40]} ({a})" for line, a in zip(self.lines, self.actions)
                  if line.kind == "emergency" and a not in URGENT_ACTIONS]
        out = [f"== {title} (what the bot would do, line by line) ==",
               "bogus by kind: " + (", ".join(f"{k}={v}" for k, v in bogus.most_common()) or "none")]
        if missed:
            out.append("actionable lines left silent: " + " | ".join(t[:40] for t in missed[:10]))
        if urgent:
            out.append("emergencies without a ticket: " + " | ".join(urgent))
        if halves:
            mid = len(self.lines) // 2
            for lo, hi, use in ((0, mid, "tuning"), (mid, len(self.lines), "held out")):
                part = StreamResult(self.lines[lo:hi], self.actions[lo:hi]).summary()
                out.append(f"{label} rows {lo + 1}-{hi} ({use}): " + ", ".join(f"{k}={v}" for k, v in part.items()))
        out.append(f"{label}: " + ", ".join(f"{k}={v}" for k, v in self.summary().items()))
        return "\n".join(out)


# An alarm this few lines after an alarm of the same kind is the same emergency: the chat loop joins
# the urgent ticket already open in the grid ("马上打120 不要搬动他" under "老爷子摔倒了").
SAME_ALARM_LINES = 8
URGENT_ACTIONS = ("ticket", "joined")


def evaluate_stream(model, lines: list[StreamLine]) -> StreamResult:
    """What the chat loop would do with each line, in order: the emergency rules first (an alarm is
    an urgent ticket whatever the model says, as in handlers.loop.Classified) — or joins the alarm
    of the same kind just raised — then the model's verdict."""
    preds = model.predict_many([line.text for line in lines])
    actions, last_alarm = [], {}
    for i, (line, p) in enumerate(zip(lines, preds)):
        alarm = detect_emergency(line.text)
        if alarm is None:
            actions.append(bot_action(p, model.thresholds))
            continue
        recent = i - last_alarm.get(alarm.kind, -SAME_ALARM_LINES - 1) <= SAME_ALARM_LINES
        actions.append("joined" if recent else "ticket")
        last_alarm[alarm.kind] = i
    return StreamResult(lines, actions)


@dataclass
class EvalResult:
    intent_true: list[str]
    intent_pred: list[str]
    cat_true: list[str]  # complaints only (gold), with the category head's answer
    cat_pred: list[str]
    cat_labels: list[str]

    def summary(self) -> dict:
        act_t = [t in ACTIONABLE for t in self.intent_true]
        act_p = [p in ACTIONABLE for p in self.intent_pred]
        return {
            "n_test": len(self.intent_true),
            "intent_accuracy": round(accuracy_score(self.intent_true, self.intent_pred), 4),
            "intent_macro_f1": round(f1_score(self.intent_true, self.intent_pred, average="macro"), 4),
            "actionable_f1": round(f1_score(act_t, act_p), 4),
            "category_accuracy": round(accuracy_score(self.cat_true, self.cat_pred), 4),
            "category_macro_f1": round(
                f1_score(
                    self.cat_true,
                    self.cat_pred,
                    average="macro",
                    labels=self.cat_labels,
                    zero_division=0,
                ),
                4,
            ),
        }

    def report(self) -> str:
        lines = [
            "== intent ==",
            classification_report(
                self.intent_true,
                self.intent_pred,
                labels=list(INTENTS),
                digits=3,
                zero_division=0,
            ),
            "confusion (rows=true, cols=pred): " + " ".join(INTENTS),
            _matrix_text(
                confusion_matrix(self.intent_true, self.intent_pred, labels=list(INTENTS)),
                list(INTENTS),
            ),
            "",
            "== category (gold complaints, category head) ==",
            classification_report(
                self.cat_true,
                self.cat_pred,
                labels=self.cat_labels,
                digits=3,
                zero_division=0,
            ),
            "confusion (rows=true, cols=pred)",
            _matrix_text(
                confusion_matrix(self.cat_true, self.cat_pred, labels=self.cat_labels),
                self.cat_labels,
            ),
            "",
            "summary: " + ", ".join(f"{k}={v}" for k, v in self.summary().items()),
        ]
        return "\n".join(lines)

    def write_png(self, out_dir: Path) -> list[Path]:
        """Confusion matrices as PNGs (Agg backend; codes on axes, Chinese names if a CJK font exists)."""
        import matplotlib

        matplotlib.use("Agg")
        out_dir.mkdir(parents=True, exist_ok=True)
        paths = []
        for name, t, p, labels in (
            ("intent", self.intent_true, self.intent_pred, list(INTENTS)),
            ("category", self.cat_true, self.cat_pred, self.cat_labels),
        ):
            cm = confusion_matrix(t, p, labels=labels)
            path = out_dir / f"confusion_{name}.png"
            _plot(cm, _axis_labels(labels), f"{name} confusion (held-out)", path)
            paths.append(path)
        return paths


def evaluate(model, examples: list[Example]) -> EvalResult:
    preds = model.predict_many([e.text for e in examples])
    cat_true, cat_pred = [], []
    for e, p in zip(examples, preds):
        if e.intent == "complaint":
            cat_true.append(e.category)
            cat_pred.append(p.top[0][0])
    labels = list(model.category_head.labels)
    return EvalResult(
        [e.intent for e in examples],
        [p.intent for p in preds],
        cat_true,
        cat_pred,
        labels,
    )


def _matrix_text(cm: np.ndarray, labels: list[str]) -> str:
    w = max(len(s) for s in labels) + 1
    head = " " * w + "".join(f"{s[:5]:>6}" for s in labels)
    rows = [f"{lab:<{w}}" + "".join(f"{v:>6d}" for v in row) for lab, row in zip(labels, cm)]
    return "\n".join([head, *rows])


def _cjk_font() -> str | None:
    from matplotlib import font_manager

    for f in font_manager.fontManager.ttflist:
        if any(
            k in f.name
            for k in (
                "CJK",
                "WenQuanYi",
                "SimHei",
                "Hei",
                "Song",
                "Droid Sans Fallback",
            )
        ):
            return f.name
    return None


def _axis_labels(codes: list[str]) -> list[str]:
    font = _cjk_font()
    if not font:
        return codes
    import matplotlib

    matplotlib.rcParams["font.sans-serif"] = [font] + matplotlib.rcParams["font.sans-serif"]
    cats = load_categories()
    return [f"{c} {cats[c].name_zh}" if c in cats else c for c in codes]


def _plot(cm: np.ndarray, labels: list[str], title: str, path: Path) -> None:
    import matplotlib.pyplot as plt

    n = len(labels)
    fig, ax = plt.subplots(figsize=(max(4, n * 0.55), max(3.5, n * 0.5)))
    ax.imshow(cm, cmap="Blues")
    ax.set_xticks(range(n), labels, rotation=90, fontsize=8)
    ax.set_yticks(range(n), labels, fontsize=8)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    vmax = cm.max() or 1
    for i in range(n):
        for j in range(n):
            if cm[i, j]:
                ax.text(
                    j,
                    i,
                    str(cm[i, j]),
                    ha="center",
                    va="center",
                    fontsize=6,
                    color="white" if cm[i, j] > vmax / 2 else "black",
                )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
