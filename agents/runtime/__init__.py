"""The worker runtime shared by every built-in worker: agent loop, models, tools, A2A executor, server."""
