from agents.runtime.bootstrap import run_worker
from agents.text_analyst.worker import SPEC

raise SystemExit(run_worker(SPEC))
