# One image for every Switchboard agent; the command picks the agent:
#   docker run switchboard python -m agents.calculator      (any worker: agents.<name>)
#   docker run switchboard python -m orchestrator_agent     (the default)
# Configured only by environment (README "Configuration"); compose.yaml runs one service per agent from it.

FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
WORKDIR /src
COPY pyproject.toml README.md ./
COPY agents ./agents
COPY orchestrator_agent ./orchestrator_agent
# the project and its runtime dependencies only (no dev extras), into a venv the runtime stage copies
RUN /opt/venv/bin/pip install --no-cache-dir .

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 switchboard && mkdir /data && chown switchboard /data
COPY --from=build /opt/venv /opt/venv
COPY agent_cards /app/agent_cards
WORKDIR /app
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    SWITCHBOARD_HOST=0.0.0.0 \
    SWITCHBOARD_PORT=8000 \
    SWITCHBOARD_CARDS_DIR=/app/agent_cards \
    SWITCHBOARD_DATA_DIR=/data
USER switchboard
EXPOSE 8000
# slim has no curl: ask for the agent card with the standard library, on the port the agent listens on
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/.well-known/agent-card.json' % os.environ.get('SWITCHBOARD_PORT', '8000'), timeout=2)"]
CMD ["python", "-m", "orchestrator_agent"]
