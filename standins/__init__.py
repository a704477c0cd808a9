"""Stand-ins for what cannot be reached from here: a Rainbow sandbox, a fake Slack, and the offline demo on both."""
