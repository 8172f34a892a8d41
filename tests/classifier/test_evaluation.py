"""StreamResult.report on hand-made actions: each half scored on its own, emergencies left unticketed named."""

from classifier.evaluation import StreamLine, StreamResult


def test_report_scores_each_half_and_names_emergencies_without_a_ticket():
    lines = [
        StreamLine("楼道里一股煤气味", "complaint", "emergency"),
        StreamLine("楼道灯坏了", "complaint", "complaint"),
        StreamLine("修好了谢谢", "chitchat", "fixed"),
        StreamLine("电梯里关着人", "complaint", "emergency"),
        StreamLine("路灯不亮了", "complaint", "complaint"),
        StreamLine("早上好", "chitchat", "greet"),
    ]
    actions = ["ticket", "ticket", "ticket", "unsure", "silent", "silent"]
    text = StreamResult(lines, actions).report(title="t", label="x", halves=True)
    assert "emergencies without a ticket: 电梯里关着人 (unsure)" in text
    assert "\nx rows 1-3 (tuning): n_lines=3," in text and "emergency_ticket_recall=1/1" in text
    assert "false_tickets=1," in text.split("\nx rows 4-6")[0].split("\nx rows 1-3")[1]
    held_out = text.split("\nx rows 4-6 (held out): ")[1].split("\n")[0]
    assert "false_tickets=0," in held_out and "complaint_ticket_recall=0.0," in held_out
    assert "emergency_ticket_recall=0/1" in held_out
    assert text.endswith("emergency_ticket_recall=1/2")
    plain = StreamResult(lines, actions).report(title="t", label="x")
    assert " rows " not in plain and "\nx: n_lines=6," in plain


class _Chitchat:
    """A model that hears chit-chat in everything: only the emergency rules act."""

    thresholds = {"intent": 0.9, "question": 0.6, "category": 0.7}

    def predict_many(self, texts):
        from classifier.model import Prediction

        return [Prediction(t, "chitchat", 0.99, None, None, (), (), False) for t in texts]


def test_the_replay_runs_the_emergency_rules_and_joins_an_alarm_just_raised():
    from classifier.evaluation import evaluate_stream

    lines = [
        StreamLine("8栋门口有个老爷子摔倒了 头上流血了", "complaint", "emergency"),
        StreamLine("马上打120 不要搬动他", "chitchat", "ack"),   # the same fall: joins its urgent ticket
        StreamLine("早上好", "chitchat", "greet"),
    ] + [StreamLine("吃了吗", "chitchat", "greet")] * 8 + [
        StreamLine("3号楼门口又有人摔倒了 起不来", "complaint", "emergency"),  # 10 lines later: a new alarm
    ]
    actions = evaluate_stream(_Chitchat(), lines).actions
    assert actions[:3] == ["ticket", "joined", "silent"] and actions[-1] == "ticket"
    summary = StreamResult(lines, actions).summary()
    assert summary["emergency_ticket_recall"] == "2/2" and summary["false_tickets"] == 0
