from orchestrator_agent.cli import run_orchestrator

raise SystemExit(run_orchestrator())
