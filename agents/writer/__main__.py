from agents.runtime.bootstrap import run_worker
from agents.writer.worker import SPEC

raise SystemExit(run_worker(SPEC))
