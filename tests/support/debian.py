"""Installing what a test needs from Debian, on a machine that may not have it yet (CI starts clean)."""

from __future__ import annotations

import os
import shutil
import subprocess


def apt_install(*packages: str, timeout: float = 300.0) -> str:
    """Install Debian `packages` with apt-get, refreshing the package index if the first try fails; '' once
    installed, else why not (no apt-get, not root, or the command's error)."""
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        return f"{' '.join(packages)}: cannot be installed here (needs apt-get as root)"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", *packages]
    problem = ""
    for attempt in ([install], [["apt-get", "update", "-q"], install]):
        for command in attempt:
            try:
                done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout, check=False)
                problem = f"{' '.join(command)} failed: {done.stderr.strip()[-400:]}" if done.returncode else ""
            except (OSError, subprocess.TimeoutExpired) as exc:
                problem = f"{' '.join(command)}: {exc}"
            if problem:
                break
        if not problem:
            return ""
    return problem
