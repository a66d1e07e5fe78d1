FROM python:3.11-slim
RUN useradd --create-home --uid 10001 switchboard
WORKDIR /app
COPY pyproject.toml README.md ./
COPY agents ./agents
COPY orchestrator_agent ./orchestrator_agent
COPY agent_cards ./agent_cards
RUN pip install --no-cache-dir . && mkdir -p /data && chown switchboard /data
ENV SWITCHBOARD_CARDS_DIR=/app/agent_cards SWITCHBOARD_DATA_DIR=/data
USER switchboard
EXPOSE 8000
CMD ["python", "-m", "orchestrator_agent"]
