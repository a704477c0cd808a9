"""The walkthrough, one function per step: each shows what people see in Slack and then checks, in the
sandbox and in what Slack received, that it really happened, raising `StepFailed` when it did not."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from standins.demo.printer import Printer
from standins.demo.world import ALICE, APPROVALS, CAROL, GENERAL, DemoWorld
from standins.slack import BotAnswer, StoredEphemeral, StoredMessage, render_message
from storage.statuses import JobStatus

ACME, ACME_ADMIN, LOOKALIKE = "Acme Telecom", "it@acme-telecom.example.com", "ACME Telecom Services"
ETOILE, ETOILE_OPTION = "Étoile Télécom", "Étoile Télécom (FRA)"
WAIT_SECONDS = 5.0


class StepFailed(Exception):
    """A step did not do what it shows; the message says what is missing, for the one-line report."""


@dataclass
class Story:
    """What later steps need from earlier ones: the Rainbow ids of the companies made or invited."""

    acme_id: str = ""
    etoile_id: str = ""


StepFunction = Callable[[DemoWorld, Story, Printer], Awaitable[None]]


@dataclass(frozen=True)
class Step:
    title: str
    run: StepFunction


# what the steps share


def expect(condition: object, reason: str) -> None:
    if not condition:
        raise StepFailed(reason)


async def until(world: DemoWorld, condition: Callable[[], object], what: str) -> None:
    """Wait for the bot's background work (view updates, message edits) to reach Slack."""
    try:
        await world.slack.wait_until(condition, within=WAIT_SECONDS, what=what)
    except AssertionError:
        raise StepFailed(f"Slack never showed {what} (waited {WAIT_SECONDS:.0f} s)") from None


def acked(answer: BotAnswer, what: str) -> None:
    """Slack gets an answer to every request it sends; anything but 200 means the bot refused it."""
    expect(answer.status == 200, f"the bot answered {what} with HTTP {answer.status}: {answer.text[:200]}")


def seen(world: DemoWorld, message: StoredMessage | StoredEphemeral) -> str:
    return render_message(message, world.slack.names)


async def opened_modal(world: DemoWorld, user: str) -> str:
    """The id of the modal the command opened for `user`."""
    await until(world, lambda: world.slack.open_views(user), f"a modal for {world.slack.names.users[user]}")
    return world.slack.top_view(user).id


async def modal_becomes(world: DemoWorld, view_id: str, callback_id: str) -> str:
    """The modal, rendered, once the bot has moved it to `callback_id`."""
    await until(world, lambda: world.slack.view(view_id).view.get("callback_id") == callback_id, callback_id)
    return world.slack.render_view(view_id)


def status_message(world: DemoWorld, company: str) -> StoredMessage:
    """The bot's status message for `company` in #general, whose thread carries its news."""
    found = [m for m in world.slack.messages(GENERAL) if m.text.startswith(company)]
    expect(found, f"#general has no status message for {company}")
    return found[-1]


def thread_replies(world: DemoWorld, company: str) -> list[str]:
    return [seen(world, m) for m in world.slack.thread(GENERAL, status_message(world, company).ts)[1:]]


def rainbow_company(world: DemoWorld, name: str) -> dict[str, object]:
    found = [c for c in world.sandbox.state_dump()["companies"] if c["name"] == name]
    expect(len(found) == 1, f"Rainbow has {len(found)} companies named {name}, expected 1")
    company: dict[str, object] = found[0]
    return company


async def tick(world: DemoWorld, show: Printer, job: str) -> None:
    """The scheduler's next `job` tick, with what it recorded in the store."""
    run = await world.tick(job)
    if run is None:
        raise StepFailed(f"the scheduler did not run {job}: its period was already claimed")
    expect(run.status == JobStatus.DONE, f"the {job} tick failed: {run.result}")
    every = world.running.scheduler.jobs[job].every_seconds
    show.scheduler(f"The scheduler's {job} tick runs (every {every} s) and records: {run.result}")


# the steps


async def create_company(world: DemoWorld, story: Story, show: Printer) -> None:
    world.sandbox.create_customer_company(LOOKALIKE, country="FRA", ours=True)
    show.customer(f"(Set-up) Rainbow already has {LOOKALIKE}, one of our customers.")
    show.does(f"alice types /rainbow create {ACME} in #general")
    acked(await world.alice.run_command(f"/rainbow create {ACME}", channel="general"), "the command")
    view_id = await opened_modal(world, ALICE)
    show.shows("Slack opens a modal for alice:", world.slack.render_view(view_id))

    show.does("alice picks France as the country and presses Next")
    acked(await world.alice.fill_and_submit(view_id, {"country": "France"}), "the details")
    shown = await modal_becomes(world, view_id, "create_duplicates")
    show.shows("The bot checks Rainbow first and warns her:", shown)
    expect(LOOKALIKE in shown, f"the duplicate warning does not mention {LOOKALIKE}")

    show.does(f"It is a different customer: alice presses Create {ACME}")
    acked(await world.alice.click(f"Create {ACME}", in_view=view_id), "the click")
    show.shows("The modal asks who will administer it:", await modal_becomes(world, view_id, "create_admin"))

    show.does(f"alice types {ACME_ADMIN} as the administrator's e-mail and presses Create company")
    acked(await world.alice.fill_and_submit(view_id, {"admin_email": ACME_ADMIN}), "the administrator step")
    shown = await modal_becomes(world, view_id, "create_result")
    show.shows("The modal shows the result:", shown)
    expect("Initializing" in shown, "the result modal does not show the status Initializing")
    await until(world, lambda: any(m.text.startswith(ACME) for m in world.slack.messages(GENERAL)), "a status message")
    status = seen(world, status_message(world, ACME))
    show.shows("#general, for everyone:", status)
    expect("Status: Initializing" in status, "the status message in #general does not say Initializing")

    company = rainbow_company(world, ACME)
    expect(company.get("bpId") == world.sandbox.bp_company_id, f"{ACME} is not our customer in Rainbow")
    expect(company["status"] == "initializing", f"{ACME} is {company['status']} in Rainbow, not initializing")
    story.acme_id = str(company["id"])
    invitations = [(i["invitedUserEmail"], i["status"]) for i in world.sandbox.join_invitations(story.acme_id)]
    expect(invitations == [(ACME_ADMIN, "pending")], f"Rainbow's join invitations are {invitations}")
    show.checked(f"Rainbow has {ACME} (our customer, initializing) and a pending invitation for {ACME_ADMIN}.")


async def administrator_joins(world: DemoWorld, story: Story, show: Printer) -> None:
    invitation = world.sandbox.join_invitations(story.acme_id)[0]
    world.sandbox.accept_join_invitation(invitation["id"])
    show.customer(f"In Rainbow, {ACME_ADMIN} accepts the e-mailed invitation and joins as administrator.")
    await tick(world, show, "status.sync")

    company = world.sandbox.company(story.acme_id)
    expect(company["status"] == "active", f"{ACME} is still {company['status']} in Rainbow")
    replies = thread_replies(world, ACME)
    show.shows(f"#general, in the thread of {ACME}'s status message:", "\n".join(replies))
    expect(any(f"{ACME} is now Activated" in r for r in replies), "no thread reply says it is now Activated")
    dm = world.slack.render_channel(world.slack.dm_channel(ALICE))
    show.shows("alice's direct messages from reseller-bot:", dm)
    expect(f"{ACME} is now Activated" in dm, "alice got no direct message about the activation")
    status = seen(world, status_message(world, ACME))
    show.shows("#general, the status message (edited in place):", status)
    expect("Status: Activated" in status, "the status message does not say Activated")
    show.checked(f"{ACME} is active in Rainbow; the thread, alice's DM and the status message all say so.")


async def invite_company(world: DemoWorld, story: Story, show: Printer) -> None:
    show.does("alice types /rainbow invite eto in #general")
    acked(await world.alice.run_command("/rainbow invite eto", channel="general"), "the command")
    view_id = await opened_modal(world, ALICE)
    await until(world, lambda: ETOILE_OPTION in world.slack.render_view(view_id), f"{ETOILE} preselected")
    show.shows(f"The bot searches Rainbow for “eto” and preselects {ETOILE}:", world.slack.render_view(view_id))
    offered = [o["text"]["text"] for o in await world.alice.type_in_external_select(view_id, "company", "eto")]
    show.shows("Typing “eto” in Company offers:", "\n".join(offered))
    expect(offered == [ETOILE_OPTION], f"typing 'eto' offers {offered}, expected only {ETOILE_OPTION}")

    show.does("alice presses Next")
    acked(await world.alice.fill_and_submit(view_id, {}), "Next")
    show.shows("The modal asks her to confirm:", await modal_becomes(world, view_id, "invite_confirm"))
    show.does("alice presses Send invitation")
    acked(await world.alice.fill_and_submit(view_id, {}), "Send invitation")
    shown = await modal_becomes(world, view_id, "invite_result")
    show.shows("The modal shows the result:", shown)
    expect("Invitation sent" in shown, "the result modal does not say the invitation was sent")
    await until(world, lambda: any(m.text.startswith(ETOILE) for m in world.slack.messages(GENERAL)), "its status")
    show.shows("#general, for everyone:", seen(world, status_message(world, ETOILE)))

    company = rainbow_company(world, ETOILE)
    story.etoile_id = str(company["id"])
    links = world.sandbox.link_invitations(story.etoile_id)
    expect([i["status"] for i in links] == ["pending"], f"Rainbow's reseller invitations are {links}")
    world.sandbox.answer_link_invitation(links[0]["id"], accept=True)
    show.customer(f"In Rainbow, {ETOILE}'s administrator accepts our invitation.")
    await tick(world, show, "status.sync")

    expect(world.sandbox.company(story.etoile_id).get("bpId") == world.sandbox.bp_company_id, "we are not its reseller")
    replies = thread_replies(world, ETOILE)
    show.shows(f"#general, in the thread of {ETOILE}'s status message:", "\n".join(replies))
    expect(any("we are now its reseller" in r for r in replies), "no thread reply announces the acceptance")
    show.checked(f"In Rainbow, {ETOILE} accepted the invitation and we are its reseller; the thread says so.")


async def answer_request(world: DemoWorld, show: Printer, company: str, words: str, accept: bool) -> None:
    """A customer asks us to be its reseller; the poll posts it for approval; carol answers with a button."""
    email = f"it@{company.split()[0].lower()}.example.com"
    request = world.sandbox.file_link_request(company_name=company, admin_email=email, custom_message=words)
    show.customer(f"In Rainbow, {company} ({email}) asks us to become its reseller.")
    await tick(world, show, "requests.poll")
    posted = [m for m in world.slack.messages(APPROVALS) if company in m.text]
    expect(len(posted) == 1, f"{len(posted)} approval messages for {company} in #approvals, expected 1")
    ts = posted[0].ts
    shown = seen(world, posted[0])
    show.shows("#approvals (private; carol approves):", shown)
    expect("[ Accept ]" in shown and "[ Decline ]" in shown, "the approval message has no Accept/Decline buttons")

    button, verdict = ("Accept", "Accepted") if accept else ("Decline", "Declined")
    show.does(f"carol clicks {button} and confirms")
    acked(await world.carol.click(button, in_message=(APPROVALS, ts)), "the click")
    done = f"{verdict} by @carol"
    await until(world, lambda: done in seen(world, world.slack.message(APPROVALS, ts)), f"“{done}”")
    await until(world, lambda: any(company in e.text for e in world.slack.ephemerals(CAROL, APPROVALS)), "her answer")
    answer = next(e for e in world.slack.ephemerals(CAROL, APPROVALS) if company in e.text)
    show.shows(
        "#approvals, the message now (and what only carol sees):",
        f"{seen(world, world.slack.message(APPROVALS, ts))}\n{seen(world, answer)}",
    )

    status = next(r["status"] for r in world.sandbox.state_dump()["linkRequests"] if r["id"] == request["id"])
    expect(status == verdict.lower(), f"the request is {status} in Rainbow, not {verdict.lower()}")
    ours = world.sandbox.company(request["requestingCompanyId"]).get("bpId") == world.sandbox.bp_company_id
    expect(ours == accept, f"{company} {'is not' if accept else 'is'} our customer in Rainbow")
    show.checked(f"The request is {status} in Rainbow; {company} {'is now' if accept else 'is not'} our customer.")


async def request_accepted(world: DemoWorld, story: Story, show: Printer) -> None:
    await answer_request(world, show, "Nordlicht Logistik GmbH", "Hello! Please manage our Rainbow for us.", True)


async def request_declined(world: DemoWorld, story: Story, show: Printer) -> None:
    await answer_request(world, show, "Brightwave Media Ltd", "We'd like you as our reseller.", False)


async def daily_digest(world: DemoWorld, story: Story, show: Printer) -> None:
    digest, settings = world.running.runtime.digest, world.running.runtime.settings
    show.scheduler(
        f"The digest is due daily at {settings.digest_time:%H:%M} {settings.timezone};"
        " the demo posts today's now, as `reseller-bot digest --post` does."
    )
    refs = await digest.post()
    expect(refs, "the digest posted nothing")
    channel = world.slack.names.channels.get(digest.channel, digest.channel)
    shown = "\n\n".join(seen(world, world.slack.message(digest.channel, ts)) for ts in refs)
    show.shows(f"#{channel}:", shown)
    for words in (
        ACME,
        ETOILE,
        "Nordlicht Logistik GmbH: accepted by @carol",
        "Brightwave Media Ltd: declined by @carol",
    ):
        expect(words in shown, f"the digest does not mention {words}")
    show.checked("The digest lists the company created and activated, the invitation and both decisions.")


STEPS = (
    Step("Alice creates a customer company", create_company),
    Step("Its administrator joins; the company is activated", administrator_joins),
    Step("Alice invites an existing company", invite_company),
    Step("A customer asks us to be its reseller; Carol accepts", request_accepted),
    Step("Another asks; Carol declines", request_declined),
    Step("Daily digest", daily_digest),
)
