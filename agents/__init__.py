"""Switchboard's built-in worker agents: one package per worker, all run by `agents.runtime`."""
