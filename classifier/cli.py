"""Command line: train, evaluate, predict, benchmark-tipdm (`python -m classifier ...`).

Why a thin layer: every command is a few lines over model / evaluation / benchmark functions, so
the same code paths are exercised by the bot, the tests and operators.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

from .benchmark import DEFAULT_TIPDM_PATH, run_tipdm
from .categories import CategoryFileError, load_categories
from .corpus import CORPUS_PATH, TEST_PATH, CorpusError, read_csv, read_jsonl
from .evaluation import LINE_SETS, evaluate, evaluate_stream, read_stream
from .model import ArtifactError, digest_path, load_model, resolve_path, train

logger = logging.getLogger(__name__)

REPORTS_DIR = Path(__file__).resolve().parent.parent / "instance" / "reports"


def _cmd_train(args: argparse.Namespace) -> int:
    from tqdm import tqdm


    known = set(load_categories())
    examples = read_csv(Path(args.corpus), known)
    for extra in args.extra or []:
        rows = read_jsonl(Path(extra), known)
        print(f"+ {len(rows)} corrections from {extra}")
        examples.extend(rows)
    test = read_csv(Path(args.test), known) if args.test else []
    steps = ["normalise", "features", "intent head", "category head"] + (["evaluate"] if test else [])
    t0 = time.perf_counter()
    with tqdm(total=len(steps), desc="train", unit="step", file=sys.stderr) as bar:

        def progress(name: str) -> None:
            bar.set_postfix_str(name)
            if bar.n < bar.total and name != steps[0]:
                bar.update(1)

        model = train(
            examples,
            test=test,
            progress=progress,
            intent_C=args.intent_c,
            category_C=args.category_c,
        )
        bar.update(bar.total - bar.n)
    model.metadata["train_seconds"] = round(time.perf_counter() - t0, 2)
    out = model.save(resolve_path(args.out))
    print(f"trained on {len(examples)} messages in {model.metadata['train_seconds']}s -> {out}")
    # The digest to pin in production (CLASSIFIER_MODEL_SHA256); also written beside the artifact.
    print(f"sha256 {digest_path(out).read_text().split()[0]} -> {digest_path(out)}")
    for k, v in model.metadata.get("metrics", {}).items():
        print(f"  {k}: {v}")
    return 0


def _cmd_evaluate(args: argparse.Namespace) -> int:
    model = load_model(args.model)
    result = evaluate(model, read_csv(Path(args.test), set(load_categories())))
    report = result.report()
    for line_set in LINE_SETS:
        path = getattr(args, line_set.name)
        if path:
            replay = evaluate_stream(model, read_stream(Path(path)))
            report += "\n\n" + replay.report(title=line_set.title, label=line_set.name, halves=line_set.halves)
    print(report)
    out_dir = Path(args.reports)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "evaluation.txt").write_text(report + "\n", encoding="utf-8")
    for p in result.write_png(out_dir):
        print(f"wrote {p}")
    return 0


def _cmd_predict(args: argparse.Namespace) -> int:
    model = load_model(args.model)
    batch: list[str] = []

    def flush() -> None:
        for p in model.predict_many(batch):
            sys.stdout.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
        sys.stdout.flush()
        batch.clear()

    def feed(stream, interactive: bool) -> None:
        for line in stream:
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            batch.append(line)
            # stdin may be interactive: answer each line at once; files go in batches.
            if interactive or len(batch) >= 512:
                flush()

    if not args.files:
        feed(sys.stdin, interactive=True)
    for name in args.files:
        with open(name, encoding="utf-8") as fh:
            feed(fh, interactive=False)
    flush()
    return 0


def _cmd_benchmark_tipdm(args: argparse.Namespace) -> int:
    path = Path(args.path) if args.path else DEFAULT_TIPDM_PATH
    result = run_tipdm(path, folds=args.folds, C=args.c, model_path=args.model, seed=args.seed)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m classifier", description="GridWhistle message classifier")
    ap.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = ap.add_subparsers(dest="command", required=True)

    t = sub.add_parser("train", help="train on the corpus and write the artifact")
    t.add_argument("--corpus", default=str(CORPUS_PATH))
    t.add_argument(
        "--test",
        default=str(TEST_PATH),
        help="held-out split scored after training ('' to skip)",
    )
    t.add_argument(
        "--extra",
        action="append",
        metavar="FILE.jsonl",
        help='corrections, one {"text","intent","category"} per line (repeatable)',
    )
    t.add_argument(
        "--out",
        default=None,
        help="artifact path (default $CLASSIFIER_MODEL_PATH or instance/model/classifier.joblib)",
    )
    t.add_argument("--intent-c", type=float, default=0.5)
    t.add_argument("--category-c", type=float, default=1.0)
    t.set_defaults(func=_cmd_train)

    e = sub.add_parser("evaluate", help="per-class scores and confusion matrices on the held-out split")
    e.add_argument("--model", default=None)
    e.add_argument("--test", default=str(TEST_PATH))
    for line_set in LINE_SETS:
        e.add_argument(f"--{line_set.name}", default=str(line_set.path), help=f"{line_set.help} ('' to skip)")
    e.add_argument("--reports", default=str(REPORTS_DIR))
    e.set_defaults(func=_cmd_evaluate)

    p = sub.add_parser(
        "predict",
        help="one message per line in (stdin or files), one JSON object per line out",
    )
    p.add_argument("files", nargs="*")
    p.add_argument("--model", default=None)
    p.set_defaults(func=_cmd_predict)

    b = sub.add_parser(
        "benchmark-tipdm",
        help="5-fold CV of the pipeline on TipDM 2020 + actionable share",
    )
    b.add_argument("--path", default=None)
    b.add_argument("--folds", type=int, default=5)
    b.add_argument(
        "--c",
        type=float,
        default=None,
        help="fixed SVM C for every fold (default: chosen per fold by an inner CV on its training rows)",
    )
    b.add_argument("--seed", type=int, default=0)
    b.add_argument("--model", default=None, help="product model used for the actionable share")
    b.set_defaults(func=_cmd_benchmark_tipdm)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return args.func(args)
    except (ArtifactError, CorpusError, CategoryFileError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
