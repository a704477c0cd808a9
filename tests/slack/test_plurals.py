"""Numbers are said as a person would: "1 request", "2 requests", never "request(s)"."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

from blocks.digest import digest_messages
from blocks.text import count, noun
from bot.services.digest import DigestData
from bot.services.sync import SyncResult
from storage.models import IncomingRequest

ROOT = Path(__file__).resolve().parents[2]
# "http(s)" is a URL scheme, "str(s)" a call; the sandbox repeats Rainbow's own error wording
NOT_WORDING = re.compile(r"http\(s\)|\w+\(s\) for s\b")


def test_count_says_the_singular_for_one_only() -> None:
    assert [count(n, "request") for n in (0, 1, 2)] == ["0 requests", "1 request", "2 requests"]
    assert count(1, "company", "companies") == "1 company" and noun(3, "company", "companies") == "companies"


def test_no_user_facing_text_says_s_in_parentheses() -> None:
    offenders = []
    for folder in ("bot", "handlers", "blocks"):
        for path in (ROOT / folder).rglob("*.py"):
            if "sandbox" in path.parts:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if re.search(r"[a-z]\(s\)", NOT_WORDING.sub("", line)):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_sync_results_are_counted_in_words() -> None:
    assert str(SyncResult(changes=["a"], calls=1)) == "1 change in 1 Rainbow call"
    assert str(SyncResult(changes=[], calls=2, problems=["x", "y"])) == "0 changes in 2 Rainbow calls; 2 problems: x; y"


def test_the_digest_counts_requests_and_invitations_in_words() -> None:
    now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    waiting = IncomingRequest(rainbow_request_id="r1", requesting_company_name="Acme", request_date=now)
    data = DigestData(since=now, until=now, local_date=date(2026, 12, 1), awaiting=[waiting])
    [(_, blocks), *_] = digest_messages(data)
    summary = blocks[1]["text"]["text"]
    assert "*1* request waiting" in summary and "*0* stale invitations" in summary
