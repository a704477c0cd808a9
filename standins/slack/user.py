"""`SlackUser`: one person using Slack, so tests read like what they do (run, click, fill, submit)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from standins.slack.answers import BotAnswer
from standins.slack.conversations import StoredEphemeral, StoredMessage
from standins.slack.errors import SlackError
from standins.slack.forms import (
    EXTERNAL_SELECTS,
    Button,
    Field,
    InteractionError,
    Option,
    StateValues,
    ValueResolver,
    action_for,
    empty_entry,
    fields_of,
    find_button,
    find_field,
    has_value,
    match_option,
)
from standins.slack.views import StoredView

if TYPE_CHECKING:
    from standins.slack.transport import Transport

MessageRef = tuple[str, str]


class SlackUser:
    """Acts as `user_id`; each method sends what Slack would send and applies what Slack would do with the ack."""

    def __init__(self, sender: Transport, user_id: str) -> None:
        self.sender = sender
        self.fake = sender.fake
        self.id = user_id
        self._resolver = ValueResolver(self.fake.workspace)
        self._offered: dict[tuple[str, str, str], list[Option]] = {}
        self.last_command_trigger: str | None = None

    # slash commands

    async def run_command(self, command_line: str, channel: str) -> BotAnswer:
        """Type `/rainbow create Acme` in `channel` (id or name); an ack with text shows up as Slack shows it."""
        command, _, text = command_line.strip().partition(" ")
        channel_id = self._channel_id(channel)
        response_url = self.fake.issue_response_url(channel_id, self.id)
        self.last_command_trigger = self.fake.issue_trigger(self.id)
        fields = self.sender.payloads.command(
            self.id, channel_id, command, text.strip(), response_url, self.last_command_trigger
        )
        answer = await self.sender.post_form(fields)
        reply = (answer.json or {"text": answer.text}) if answer.status == 200 else None
        if reply and (reply.get("text") or reply.get("blocks")):
            self._show_command_reply(channel_id, reply)
        return answer

    def _show_command_reply(self, channel_id: str, reply: dict[str, Any]) -> None:
        conversations = self.fake.state.conversations
        if reply.get("response_type") == "in_channel":
            conversations.post(
                channel_id,
                method="command_ack",
                text=reply.get("text"),
                blocks=reply.get("blocks"),
                as_interaction_reply=True,
            )
        else:
            conversations.post_ephemeral(
                channel_id, self.id, text=reply.get("text"), blocks=reply.get("blocks"), source="command_ack"
            )

    # buttons and selects

    async def click(
        self,
        button: str,
        *,
        in_message: MessageRef | None = None,
        in_channel: str | None = None,
        in_view: str | None = None,
        in_home: bool = False,
        value: str | None = None,
    ) -> BotAnswer:
        """Click a button (by action_id or visible text) and confirm its dialog, if it has one.

        Where: a message `(channel, ts)`, the newest message in `in_channel` showing that button
        (the user's ephemerals included), a view, the App Home, or by default the user's top modal.
        """
        if in_message or in_channel:
            message, found = self._message_with_button(button, value, in_message, in_channel)
            return await self._message_action(message, found.action(self._action_ts()))
        stored = self._view_for(in_view, in_home)
        found = find_button(stored.view["blocks"], button, value)
        return await self._view_action(stored, found.action(self._action_ts()))

    async def select(
        self, field: str, choice: Any, *, in_view: str | None = None, in_message: MessageRef | None = None
    ) -> BotAnswer:
        """Change a select, picker or dispatching input outside a submission: Slack sends block_actions."""
        if in_message is not None:
            message = self._find_message(*in_message)
            target = find_field(fields_of(message.blocks), field)
            entry = await self._entry(None, target, choice)
            return await self._message_action(message, action_for(target, entry, self._action_ts()))
        stored = self._view_for(in_view, in_home=False)
        target = find_field(fields_of(stored.view["blocks"]), field)
        entry = await self._entry(stored, target, choice)
        stored.values.setdefault(target.block_id, {})[target.action_id] = entry
        return await self._view_action(stored, action_for(target, entry, self._action_ts()))

    async def type_in_external_select(self, view_id: str, field: str, query: str) -> list[Option]:
        """Type in an external_select: the options the bot offers (option groups flattened)."""
        stored = self.fake.view(view_id)
        target = find_field(fields_of(stored.view["blocks"]), field)
        if target.kind not in EXTERNAL_SELECTS:
            raise InteractionError(f"{target.key} is a {target.kind}, not an external select")
        payload = self.sender.payloads.block_suggestion(
            self.id, self._with_state(stored), target.block_id, target.action_id, query
        )
        answer = await self.sender.post_payload(payload)
        body = answer.json or {}
        options = list(body.get("options") or [])
        options += [o for group in body.get("option_groups") or [] for o in group.get("options", [])]
        self._offered[(stored.id, target.block_id, target.action_id)] = options
        return options

    # modals

    async def fill(self, view_id: str, values: dict[str, Any]) -> None:
        """Type into and choose in a modal without submitting (keys: block_id/action_id, action_id or label)."""
        stored = self.fake.view(view_id)
        fields = fields_of(stored.view["blocks"])
        for key, choice in values.items():
            target = find_field(fields, key)
            stored.values.setdefault(target.block_id, {})[target.action_id] = await self._entry(stored, target, choice)

    async def fill_and_submit(self, view_id: str, values: dict[str, Any] | None = None) -> BotAnswer:
        """Fill the modal, press its submit button, and apply the bot's `response_action` as Slack does."""
        stored = self.fake.view(view_id)
        stack = self.fake.open_views(self.id)
        if not stack or stack[-1].id != view_id:
            raise InteractionError(f"view {view_id} is not the modal {self.id} sees on top")
        await self.fill(view_id, values or {})
        state = self._state_of(stored)
        missing = [
            f.label or f.key
            for f in fields_of(stored.view["blocks"])
            if not f.optional and not has_value(state[f.block_id][f.action_id])
        ]
        if missing:
            raise InteractionError(f"Slack will not submit with required fields empty: {missing}")
        stored.view["state"]["values"] = state
        stored.errors = {}
        payload = self.sender.payloads.view_submission(self.id, stored.view, self.fake.issue_trigger(self.id))
        views = self.fake.state.views
        views.begin_submission(view_id)
        try:
            answer = await self.sender.post_payload(payload)
            if answer.status == 200:
                await views.hold_ack()
                self._apply_submission_ack(stored, answer.json)
        finally:
            views.end_submission(view_id)
        return answer

    def _apply_submission_ack(self, stored: StoredView, ack: dict[str, Any] | None) -> None:
        try:
            self.fake.state.views.apply_submission_ack(stored, ack)
        except SlackError as error:
            raise InteractionError(f"Slack refused the view_submission ack: {error}") from error

    async def close_view(self, view_id: str) -> BotAnswer | None:
        """Press Cancel/×; the bot hears of it (view_closed) only if the view asked with notify_on_close."""
        stored = self.fake.view(view_id)
        views = self.fake.state.views
        cleared = bool(stored.view.get("clear_on_close"))
        if cleared:
            views.clear(self.id)
        else:
            views.close(stored)
        if not stored.view.get("notify_on_close"):
            return None
        stored.view["state"]["values"] = self._state_of(stored)
        return await self.sender.post_payload(self.sender.payloads.view_closed(self.id, stored.view, cleared))

    def current_view(self) -> StoredView:
        """The modal this person sees on top."""
        return self.fake.top_view(self.id)

    # App Home

    async def open_home(self) -> BotAnswer:
        """Open the app's Home tab: an `app_home_opened` event, carrying the published view if any."""
        event: dict[str, Any] = {
            "type": "app_home_opened",
            "user": self.id,
            "channel": self.fake.dm_channel(self.id),
            "tab": "home",
            "event_ts": self._action_ts(),
        }
        home = self.fake.home(self.id)
        if home is not None:
            event["view"] = dict(home.view)
        return await self.sender.post_event(self.sender.payloads.event(event, int(self.fake.clock.now())))

    # internals

    def _action_ts(self) -> str:
        return f"{self.fake.clock.now():.6f}"

    def _channel_id(self, channel: str) -> str:
        found = self.fake.workspace.channel(channel)
        return found.id if found else channel

    def _find_message(self, channel: str, ts: str) -> StoredMessage | StoredEphemeral:
        for ephemeral in self.fake.ephemerals(self.id, channel):
            if ephemeral.ts == ts:
                return ephemeral
        return self.fake.message(channel, ts)

    def _message_with_button(
        self, button: str, value: str | None, in_message: MessageRef | None, in_channel: str | None
    ) -> tuple[StoredMessage | StoredEphemeral, Button]:
        if in_message is not None:
            message = self._find_message(*in_message)
            return message, find_button(message.blocks, button, value)
        channel = self._channel_id(in_channel or "")
        candidates: list[StoredMessage | StoredEphemeral] = [
            *self.fake.messages(channel),
            *self.fake.ephemerals(self.id, channel),
        ]
        for message in sorted(candidates, key=lambda m: m.ts, reverse=True):
            try:
                return message, find_button(message.blocks, button, value)
            except InteractionError:
                continue
        raise InteractionError(f"no message in {channel} shows a button {button!r} to {self.id}")

    async def _message_action(self, message: StoredMessage | StoredEphemeral, action: dict[str, Any]) -> BotAnswer:
        is_ephemeral = isinstance(message, StoredEphemeral)
        workspace = self.fake.workspace
        payload = self.sender.payloads.message_action(
            user_id=self.id,
            channel_id=message.channel,
            message=None
            if isinstance(message, StoredEphemeral)
            else message.as_slack(workspace.team_id, workspace.app_id),
            message_ts=message.ts,
            is_ephemeral=is_ephemeral,
            action=action,
            state_values=self._state_of_blocks(message.blocks, {}),
            response_url=self.fake.issue_response_url(message.channel, self.id, message.ts, is_ephemeral),
            trigger_id=self.fake.issue_trigger(self.id),
        )
        return await self.sender.post_payload(payload)

    async def _view_action(self, stored: StoredView, action: dict[str, Any]) -> BotAnswer:
        payload = self.sender.payloads.view_action(
            self.id, self._with_state(stored), action, self.fake.issue_trigger(self.id)
        )
        return await self.sender.post_payload(payload)

    def _view_for(self, view_id: str | None, in_home: bool) -> StoredView:
        if in_home:
            home = self.fake.home(self.id)
            if home is None:
                raise InteractionError(f"no App Home published for {self.id}")
            return home
        return self.fake.view(view_id) if view_id else self.current_view()

    async def _entry(self, stored: StoredView | None, target: Field, choice: Any) -> dict[str, Any]:
        """The state entry for `choice`; for an external select, types it and picks from the bot's options."""
        if target.kind not in EXTERNAL_SELECTS or isinstance(choice, dict) or stored is None:
            return self._resolver.entry(target, choice)
        wanted = list(choice) if isinstance(choice, list | tuple) else [choice]
        picked: list[Option] = []
        for item in wanted:
            offered = self._offered.get((stored.id, target.block_id, target.action_id), [])
            option = match_option(offered, item)
            if option is None:
                offered = await self.type_in_external_select(stored.id, target.key, str(item))
                option = match_option(offered, item) or (offered[0] if len(offered) == 1 else None)
            if option is None:
                shown = [o.get("text", {}).get("text") for o in offered]
                raise InteractionError(f"typing {item!r} in {target.key} offers {shown}; none matches")
            picked.append(option)
        return self._resolver.entry(target, picked if target.kind.startswith("multi_") else picked[0], picked)

    def _state_of(self, stored: StoredView) -> StateValues:
        return self._state_of_blocks(stored.view["blocks"], stored.values)

    @staticmethod
    def _state_of_blocks(blocks: list[dict[str, Any]], entered: StateValues) -> StateValues:
        """Slack's `state.values`: every value-holding element, entered or initial (null when empty)."""
        state: StateValues = {}
        for target in fields_of(blocks):
            entry = entered.get(target.block_id, {}).get(target.action_id) or empty_entry(target)
            state.setdefault(target.block_id, {})[target.action_id] = entry
        return state

    def _with_state(self, stored: StoredView) -> dict[str, Any]:
        view = dict(stored.view)
        view["state"] = {"values": self._state_of(stored)}
        return view
