"""`reseller-bot demo`: the whole product run offline and shown as people would see it in Slack.

The bot's real HTTP endpoint, store and scheduler jobs, the embedded Rainbow sandbox and the local
Slack stand-in, all on 127.0.0.1; no environment variable is needed.
"""
