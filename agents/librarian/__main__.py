from agents.librarian.worker import SPEC
from agents.runtime.bootstrap import run_worker

raise SystemExit(run_worker(SPEC))
