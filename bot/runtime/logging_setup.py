"""Structured JSON logs on stderr. Log calls carry ids and kinds, never message bodies."""
from __future__ import annotations

import json
import logging
import sys
import time
import traceback


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if record.exc_info and record.exc_info[0]:
            # The type and where it happened, never the message: exception texts (SQL parameters,
            # payload fragments) can carry residents' personal data.
            entry["exc"] = record.exc_info[0].__name__
            entry["where"] = [f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}"
                              for f in traceback.extract_tb(record.exc_info[2])[-6:]]
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("werkzeug", "urllib3", "jieba", "rq.worker"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
