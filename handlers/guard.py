"""Authorization at every entry point; a refusal is a sentence for the person and an audit row."""

from bot.runtime import Runtime

NOT_A_RESELLER = "Only members of the reseller team can do this. Ask an administrator of this bot to add you."


async def is_reseller(runtime: Runtime, user: str, action: str) -> bool:
    if await runtime.authz.is_reseller(user):
        return True
    await runtime.audit.denied(user, action)
    return False
