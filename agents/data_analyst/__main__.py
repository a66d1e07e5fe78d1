from agents.data_analyst.worker import SPEC
from agents.runtime.bootstrap import run_worker

raise SystemExit(run_worker(SPEC))
