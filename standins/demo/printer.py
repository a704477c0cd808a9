"""How the demo talks: step headings, who does what, and Slack's screens indented under them.

One marker per kind of line, so a reader can skim: ▶ a person acts in Slack, ◆ the customer acts in
Rainbow (played by the sandbox), ⏱ the bot's scheduler runs, ✓ the demo checked it really happened.
"""

from typing import TextIO

WIDTH = 78
INDENT = "      "


class Printer:
    """Writes to `out` and flushes each line, so `--step` and pipes show it as it happens."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def line(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def banner(self, seed_companies: int) -> None:
        self.line("Rainbow reseller bot: offline demo".center(WIDTH))
        self.line("═" * WIDTH)
        self.line("Everything runs on this machine (127.0.0.1); no token or password is needed, nothing")
        self.line("leaves it, and the real product does the work:")
        self.line("  • the bot itself: its real Slack HTTP endpoint, its store (a temporary SQLite file,")
        self.line("    deleted at the end) and its scheduler jobs;")
        self.line(f"  • Rainbow: the embedded sandbox, with {seed_companies} companies to find; the demo plays the")
        self.line("    customers' side there (accepting invitations, asking us to be their reseller);")
        self.line("  • Slack: a local stand-in for a workspace where alice and bob sell and carol approves;")
        self.line("    it signs every command and click as Slack does and shows what each person would see.")

    def heading(self, number: int, title: str) -> None:
        label = f"━━ Step {number} — {title} "
        self.line()
        self.line(label.ljust(WIDTH, "━"))

    def does(self, text: str) -> None:
        """A person acting in Slack."""
        self.line(f"  ▶ {text}")

    def customer(self, text: str) -> None:
        """Something done on the customer's side of Rainbow (a sandbox control)."""
        self.line(f"  ◆ {text}")

    def scheduler(self, text: str) -> None:
        self.line(f"  ⏱ {text}")

    def shows(self, caption: str, rendering: str) -> None:
        """What Slack shows, indented under a caption saying where and to whom."""
        self.line(f"    {caption}")
        for row in rendering.splitlines():
            self.line(f"{INDENT}{row}".rstrip())

    def checked(self, text: str) -> None:
        self.line(f"  ✓ {text}")

    def failed(self, number: int, title: str, reason: str) -> None:
        self.line()
        self.line(f"✗ Step {number} ({title}) failed: {reason}")

    def summary(self, steps: int, seconds: float) -> None:
        self.line()
        self.line("═" * WIDTH)
        self.line(
            f"{steps} steps, all as shown ({seconds:.1f} s). Everything is stopped and the temporary store deleted."
        )
