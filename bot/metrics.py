"""Prometheus metrics, one registry per running app (tests run several in one process)."""

import time

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

ACK_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.slack_requests = Counter(
            "reseller_bot_slack_requests",
            "Slack requests handled, by kind (command, block_actions, view_submission, …) and name",
            ["kind", "name"],
            registry=self.registry,
        )
        self.ack_seconds = Histogram(
            "reseller_bot_slack_ack_seconds",
            "Time from a Slack request's arrival to the acknowledgement sent back (Slack allows 3 s)",
            buckets=ACK_BUCKETS,
            registry=self.registry,
        )
        self.rainbow_calls = Counter(
            "reseller_bot_rainbow_calls",
            "Rainbow REST calls by operation and outcome",
            ["operation", "outcome"],
            registry=self.registry,
        )
        self.rainbow_seconds = Histogram(
            "reseller_bot_rainbow_call_seconds", "Rainbow REST call duration", ["operation"], registry=self.registry
        )
        self.last_poll = Gauge(
            "reseller_bot_last_poll_timestamp_seconds",
            "When customer requests were last polled successfully (poll lag = now - this)",
            registry=self.registry,
        )
        self.pending_requests = Gauge(
            "reseller_bot_pending_requests", "Customer requests waiting for a decision", registry=self.registry
        )
        self.decisions = Counter(
            "reseller_bot_decisions", "Approvers' answers that reached Rainbow", ["decision"], registry=self.registry
        )
        self.listener_failures = Counter(
            "reseller_bot_listener_failures",
            "Slack requests that failed and were answered with words, by outcome"
            " (refused, domain, slack_refused, slack_unreachable, unexpected)",
            ["outcome"],
            registry=self.registry,
        )
        self.ticks = Counter(
            "reseller_bot_ticks",
            "Scheduled ticks this replica ran, by job and outcome",
            ["job", "outcome"],
            registry=self.registry,
        )

    def observe_rainbow(self, operation: str, outcome: str, seconds: float) -> None:
        self.rainbow_calls.labels(operation, outcome).inc()
        self.rainbow_seconds.labels(operation).observe(seconds)

    def polled(self, pending: int) -> None:
        self.last_poll.set(time.time())
        self.pending_requests.set(pending)

    def render(self) -> bytes:
        return generate_latest(self.registry)
