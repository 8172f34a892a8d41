"""The real Finance SDK (libWeWorkFinanceSdk_C.so through pywecomarchive), as far as this machine allows.

Every call runs in a child process inside a fresh network namespace (`unshare -rn`: no interface but
a downed loopback), so nothing here can reach Tencent, whatever the library tries; and a native crash
would fail the test instead of killing pytest. What it shows:
- the wrapper loads the bundled library, and Init with a wrong corp id returns 0 (Init only stores
  the id; the SDK checks it on the first GetChatData, which needs the network);
- GetChatData without a network returns SDK error 10001, surfaced as ArchiveUnavailable with the
  SDK's code and words; the puller leaves its cursor and tries again;
- DecryptData: a body too short for the library (it would abort the process) never reaches it, and
  a body that does not open comes back as SDK error 10008, a RecordUnreadable that gets parked.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PROBE = textwrap.dedent("""
    import json, sys
    from bot.intake.archive.errors import ArchiveUnavailable, RecordUnreadable
    from bot.intake.archive.sdk import SdkArchiveSource
    out = {}
    source = SdkArchiveSource("ww-wrong-corp-id", "wrong-archive-secret", timeout=3)
    try:
        source._handle()
        out["init"] = "ok"
    except ArchiveUnavailable as exc:
        out["init"] = [exc.code, str(exc)]
    try:
        source.get_chat_data(0, 10)
        out["pull"] = "records"
    except ArchiveUnavailable as exc:
        out["pull"] = [exc.code, str(exc)]
    for name, body in (("short", "c2hvcnQ="), ("garbage", "aGVsbG9oZWxsb2hlbGxvaGVsbG8gd29ybGQh")):
        try:
            source.decrypt_data("0123456789abcdef0123456789abcdef", body)
            out[name] = "opened"
        except RecordUnreadable as exc:
            out[name] = [exc.reason, exc.code, str(exc)]
    source.close()
    print(json.dumps(out, ensure_ascii=False))
""")


def run_offline(script: str) -> subprocess.CompletedProcess:
    return subprocess.run(["unshare", "-rn", sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)


@pytest.fixture(scope="module")
def probe() -> dict:
    if shutil.which("unshare") is None or run_offline("pass").returncode != 0:
        pytest.skip("unshare -rn is not allowed here: the SDK is never called with a network it could reach")
    done = run_offline(PROBE)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_wrapper_loads_the_library_and_init_does_not_check_the_corp_id(probe):
    assert probe["init"] == "ok"


def test_a_pull_without_network_is_the_sdks_error_10001_surfaced_clearly(probe):
    code, words = probe["pull"]
    assert code == 10001
    assert words == "GetChatData returned SDK error 10001 (网络请求错误)"


def test_a_body_too_short_for_the_library_never_reaches_it(probe):
    reason, code, words = probe["short"]
    assert (reason, code) == ("body", None) and "too short" in words


def test_a_body_that_does_not_open_is_the_sdks_error_10008(probe):
    reason, code, words = probe["garbage"]
    assert (reason, code) == ("body", 10008) and "10008" in words
