# rainbow-reseller-bot: one process serving Slack (HTTP or Socket Mode), its scheduler, /healthz, /readyz, /metrics.
# Not built in this project's CI (no Docker engine there); keep it minimal.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DATABASE_URL=sqlite+aiosqlite:////data/reseller-bot.db \
    HOST=0.0.0.0 \
    PORT=3000

WORKDIR /app
# The exact, hash-checked versions of requirements.lock first (a layer that changes only with the lock),
# then the package itself without resolving anything again.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock
COPY pyproject.toml README.md LICENSE ./
COPY bot ./bot
COPY handlers ./handlers
COPY blocks ./blocks
COPY storage ./storage
RUN pip install --no-deps . \
    && useradd --system --uid 10001 --home-dir /data --create-home bot

USER bot
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s \
    CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\", \"3000\")}/healthz', timeout=2)"
ENTRYPOINT ["reseller-bot"]
CMD ["run"]
