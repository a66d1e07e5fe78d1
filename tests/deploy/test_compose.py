"""compose.yaml is the deployment's single source of truth, so it is tested as written, without a container engine:
Debian's `docker-compose config` validates it (default and `cluster` profiles, the README's override and
cluster commands), structural checks pin what the README promises, and the booter (`tests/support/compose.py`)
runs the default profile as local processes and sends a goal through it. The Dockerfile can only be checked
statically here (no engine): slim base, non-root user, healthcheck, COPY sources, no dev extras."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml  # type: ignore[import-untyped]

from agents.registry import WORKERS
from orchestrator_agent.render import manifest_of
from orchestrator_agent.settings import load_settings
from tests.support.a2a import a2a_client, send, state, status_text, user_message
from tests.support.compose import ComposeError, booted, default_services, interpolate, read_env_file
from tests.support.debian import apt_install

ROOT = Path(__file__).resolve().parents[2]
COMPOSE, DOCKERFILE, ENV_EXAMPLE = ROOT / "compose.yaml", ROOT / "Dockerfile", ROOT / ".env.example"
CARD = "/.well-known/agent-card.json"
SERVICES = {name.replace("_", "-"): f"agents.{name}" for name in WORKERS}
REF = re.compile(r"\$\{(\w+)(?::?[-?][^}]*)?\}")
GOAL = (
    "Compute the mean, median and standard deviation of 12, 15, 22, 31 and 40. Search the library for how agent "
    "cards describe skills. Then write a short report that combines these results."
)


def readme_deployment() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("\n## Deployment\n", 1)[1].split("\n## ", 1)[0]


def readme_line(marker: str) -> str:
    """The one README command line (in Deployment) containing `marker`."""
    lines = [line for line in readme_deployment().splitlines() if marker in line and not line.startswith("`")]
    assert len(lines) == 1, f"expected one README Deployment line with {marker!r}, found {lines}"
    return lines[0]


def shell(command: str, cwd: Path) -> None:
    """Run a README command as a user would (`python3` is this interpreter's venv, which has one)."""
    env = {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", "HOME": str(cwd)}
    subprocess.run(["bash", "-c", command], cwd=cwd, env=env, check=True, timeout=30)


@pytest.fixture
def dotenv(tmp_path: Path) -> Path:
    """`.env` made by the README's own command from `.env.example`."""
    shutil.copy(ENV_EXAMPLE, tmp_path / ".env.example")
    shell(readme_line("> .env)"), tmp_path)
    return tmp_path / ".env"


@pytest.fixture(scope="module")
def docker_compose() -> str:
    """Debian's docker-compose (1.29: validates without an engine), installed with apt-get when missing."""
    if shutil.which("docker-compose") is None:
        problem = apt_install("docker-compose", timeout=120)
        if shutil.which("docker-compose") is None:
            pytest.skip(f"docker-compose is not installed and apt-get could not install it: {problem}")
    return str(shutil.which("docker-compose"))


def compose_config(
    docker_compose: str, env_file: Path, *args: str, files: tuple[Path, ...] = (COMPOSE,)
) -> subprocess.CompletedProcess[str]:
    """`docker-compose [-f ...] --env-file ENV ARGS` in a clean environment (nothing of ours leaks in)."""
    cmd = [docker_compose, *(a for f in files for a in ("-f", str(f))), "--env-file", str(env_file), *args]
    clean = {"PATH": os.environ["PATH"], "HOME": str(env_file.parent)}
    return subprocess.run(cmd, cwd=env_file.parent, env=clean, capture_output=True, text=True, timeout=60)


# --- validation by docker-compose -------------------------------------------------------------------------------


@pytest.mark.timeout(300)  # the first run on a clean machine installs docker-compose
def test_docker_compose_accepts_the_file_in_both_profiles_and_refuses_a_missing_token(
    docker_compose: str, dotenv: Path
) -> None:
    for args in (["config", "-q"], ["--profile", "cluster", "config", "-q"]):
        done = compose_config(docker_compose, dotenv, *args)
        assert done.returncode == 0, done.stderr
    for missing in ("SWITCHBOARD_WRITER_TOKEN", "SWITCHBOARD_CALLER_TOKEN", "SWITCHBOARD_POSTGRES_PASSWORD"):
        bad = dotenv.with_name(f".env.{missing}")
        bad.write_text("".join(f"{line}\n" for line in dotenv.read_text().splitlines() if missing not in line))
        with pytest.raises(ComposeError, match=f"required variable {missing} is missing"):
            default_services(COMPOSE, read_env_file(bad))  # the booter refuses it too, with the same message
    done = compose_config(docker_compose, bad, "config", "-q")  # one check is enough: ~2 s per docker-compose run
    assert done.returncode != 0 and "SWITCHBOARD_POSTGRES_PASSWORD is missing" in done.stderr, done.stderr


@pytest.mark.timeout(300)
def test_the_readme_cluster_command_points_both_orchestrators_at_postgres(docker_compose: str, dotenv: Path) -> None:
    shell(readme_line(">> .env"), dotenv.parent)
    settings = read_env_file(dotenv)
    assert settings["COMPOSE_PROFILES"] == "cluster"
    done = compose_config(docker_compose, dotenv, "--profile", "cluster", "config")
    assert done.returncode == 0, done.stderr
    services = yaml.safe_load(done.stdout)["services"]
    password = settings["SWITCHBOARD_POSTGRES_PASSWORD"]
    assert services["postgres"]["environment"]["POSTGRES_PASSWORD"] == password
    url = f"postgresql+asyncpg://switchboard:{password}@postgres:5432/switchboard"
    for name in ("orchestrator", "orchestrator-2", "migrate"):
        assert services[name]["environment"]["SWITCHBOARD_DATABASE_URL"] == url, name
    for name in ("orchestrator", "orchestrator-2"):  # what the profile alone runs: the settings must accept it
        parsed = load_settings({k: str(v) for k, v in services[name]["environment"].items()})
        assert parsed.cluster and parsed.server.database_url == url, name
    assert services["orchestrator-2"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


@pytest.mark.timeout(300)
def test_the_readme_replica_override_adds_a_worker_the_orchestrator_lists(docker_compose: str, dotenv: Path) -> None:
    snippet = readme_deployment().split("```yaml\n", 1)[1].split("```", 1)[0]
    shutil.copy(COMPOSE, dotenv.parent / "compose.yaml")
    (dotenv.parent / "compose.override.yaml").write_text(snippet)
    token = read_env_file(dotenv)["SWITCHBOARD_CALCULATOR_TOKEN"]
    with dotenv.open("a") as f:
        f.write("SWITCHBOARD_EXTRA_AGENTS=http://calculator-2:8000\n")
        f.write(f"SWITCHBOARD_EXTRA_AGENT_TOKENS=http://calculator-2:8000={token}\n")
    files = (dotenv.parent / "compose.yaml", dotenv.parent / "compose.override.yaml")
    done = compose_config(docker_compose, dotenv, "config", files=files)
    assert done.returncode == 0, done.stderr
    services = yaml.safe_load(done.stdout)["services"]
    replica, orchestrator = services["calculator-2"]["environment"], services["orchestrator"]["environment"]
    assert replica["SWITCHBOARD_PUBLIC_URL"] == "http://calculator-2:8000"
    assert replica["SWITCHBOARD_AUTH_TOKENS"] == f"orchestrator:{token}"
    assert "http://calculator-2:8000" in orchestrator["SWITCHBOARD_AGENTS"].split(",")
    assert f"http://calculator-2:8000={token}" in orchestrator["SWITCHBOARD_AGENT_TOKENS"].split(",")


# --- structure --------------------------------------------------------------------------------------------------


def test_every_agent_has_a_service_with_a_card_healthcheck_its_own_url_token_and_state_dir(dotenv: Path) -> None:
    raw = yaml.safe_load(COMPOSE.read_text())
    services = raw["services"]
    env_of = {n: interpolate(s.get("environment", {}), read_env_file(dotenv)) for n, s in services.items()}
    agents = {**SERVICES, "orchestrator": "orchestrator_agent", "orchestrator-2": "orchestrator_agent"}
    data_dirs = set()
    for name, module in agents.items():
        svc, env = services[name], env_of[name]
        assert re.fullmatch(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?", name), f"{name} is not a valid DNS label"
        assert svc["command"] == ["python", "-m", module] and importlib.util.find_spec(module), name
        assert any(CARD in str(part) for part in svc["healthcheck"]["test"]), name
        assert svc["image"] == "switchboard:latest" and svc["build"] == ".", name
        mount = {v.split(":")[0]: v.split(":")[1] for v in svc["volumes"]}
        assert set(mount) <= set(raw["volumes"]), f"{name}: not a named volume"
        assert env["SWITCHBOARD_DATA_DIR"].startswith(mount["switchboard-data"] + "/"), name
        data_dirs.add(env["SWITCHBOARD_DATA_DIR"])
        if name in SERVICES:
            assert env["SWITCHBOARD_PUBLIC_URL"] == f"http://{name}:{env['SWITCHBOARD_PORT']}"
            assert "ports" not in svc, f"{name}: workers are reachable on the compose network only"
    assert len(data_dirs) == len(agents), "every service needs its own state directory"
    orchestrator = env_of["orchestrator"]
    worker_urls = [f"http://{n}:{env_of[n]['SWITCHBOARD_PORT']}" for n in SERVICES]
    assert [u for u in orchestrator["SWITCHBOARD_AGENTS"].split(",") if u] == worker_urls
    agent_tokens = dict(e.rsplit("=", 1) for e in orchestrator["SWITCHBOARD_AGENT_TOKENS"].split(",") if e)
    for name, url in zip(SERVICES, worker_urls, strict=True):
        assert env_of[name]["SWITCHBOARD_AUTH_TOKENS"] == f"orchestrator:{agent_tokens[url]}", name
        assert services["orchestrator"]["depends_on"][name] == {"condition": "service_healthy"}
    assert len(set(agent_tokens.values()) | {orchestrator["SWITCHBOARD_AUTH_TOKENS"]}) == len(SERVICES) + 1
    assert (
        services["postgres"]["image"] == "postgres:16-alpine"
        and "pg_isready" in services["postgres"]["healthcheck"]["test"]
    )
    assert all(services[n]["profiles"] == ["cluster"] for n in ("postgres", "migrate", "orchestrator-2"))


def test_no_secret_is_written_in_the_file_and_env_example_lists_every_required_variable() -> None:
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    for name, svc in services.items():
        for key, value in (svc.get("environment") or {}).items():
            value = str(value)
            if key in ("SWITCHBOARD_AUTH_TOKENS", "SWITCHBOARD_AGENT_TOKENS"):
                sep = ":" if key == "SWITCHBOARD_AUTH_TOKENS" else "="
                secrets = [e.partition(sep)[2] if sep == ":" else e.rpartition(sep)[2] for e in value.split(",")]
            elif re.search(r"TOKEN|PASSWORD|KEY|DATABASE_URL", key):
                secrets = [value]
            else:
                continue
            for secret in secrets:
                assert REF.fullmatch(secret), f"services.{name}.environment.{key}: {secret!r} is not a ${{VAR}}"
    required = set(re.findall(r"\$\{(\w+):?\?", COMPOSE.read_text()))
    listed = set(re.findall(r"^(\w+)=$", ENV_EXAMPLE.read_text(), re.MULTILINE))
    assert required and required == listed, f"required by compose.yaml: {required}; in .env.example: {listed}"
    assert ".env" in (ROOT / ".gitignore").read_text().splitlines()


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def test_the_dockerfile_is_slim_non_root_healthchecked_and_copies_only_what_exists() -> None:
    steps = dockerfile_instructions()
    assert all("python:" in arg and "-slim" in arg for op, arg in steps if op == "FROM")
    final = steps[max(i for i, (op, _) in enumerate(steps) if op == "FROM") :]
    users = [arg for op, arg in final if op == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    health = [arg for op, arg in final if op == "HEALTHCHECK"]
    assert len(health) == 1 and CARD in health[0] and "urllib" in health[0]
    compose_probe = yaml.safe_load(COMPOSE.read_text())["services"]["calculator"]["healthcheck"]["test"][-1]
    assert compose_probe in health[0], "the image and compose.yaml must probe the card the same way"
    ignored = [p for p in (ROOT / ".dockerignore").read_text().splitlines() if p and not p.startswith("#")]
    for op, arg in steps:
        if op == "COPY" and not arg.startswith("--from"):
            for source in arg.split()[:-1]:
                assert (ROOT / source).exists(), f"COPY source {source} does not exist"
                assert not any(Path(source).match(p) for p in ignored), f"{source} is excluded by .dockerignore"
    installs = [arg for op, arg in steps if op == "RUN" and "pip install" in arg]
    assert len(installs) == 1 and re.search(r"pip install[^&;]* \.(\s|$)", installs[0]), installs
    assert "[" not in installs[0], "the image installs no extras (dev tools stay out)"
    env = " ".join(arg for op, arg in final if op == "ENV")
    cards = re.search(r"SWITCHBOARD_CARDS_DIR=(\S+)", env)
    assert cards and any(op == "COPY" and arg.split()[-1] == cards[1] for op, arg in final)
    assert [arg for op, arg in final if op == "CMD"] == ['["python", "-m", "orchestrator_agent"]']


# --- the network, booted from the file --------------------------------------------------------------------------


@pytest.mark.timeout(150)  # six cold Python processes: ~15 s on an idle 2-core machine, much more when it is busy
async def test_the_default_profile_boots_from_the_file_and_runs_a_goal_across_workers(
    dotenv: Path, tmp_path: Path
) -> None:
    tokens = read_env_file(dotenv)
    with booted(COMPOSE, tokens, tmp_path / "boot", timeout=90) as network:
        orchestrator = network.url("orchestrator")
        async with httpx.AsyncClient(headers={"A2A-Version": "1.0"}, timeout=10) as http:
            assert (await http.get(orchestrator + CARD)).status_code == 200  # the card is public
            body = {"jsonrpc": "2.0", "id": 1, "method": "ListTasks", "params": {}}
            for url, token in [
                (orchestrator, ""),  # no token
                (orchestrator, tokens["SWITCHBOARD_CALCULATOR_TOKEN"]),  # a worker's token is not a caller's
                (network.url("calculator"), tokens["SWITCHBOARD_CALLER_TOKEN"]),  # nor the other way round
                (network.url("writer"), tokens["SWITCHBOARD_CALCULATOR_TOKEN"]),  # nor another worker's
            ]:
                headers = {"Authorization": f"Bearer {token}"} if token else {}
                assert (await http.post(url + "/a2a/jsonrpc", json=body, headers=headers)).status_code == 401
        caller = {"Authorization": f"Bearer {tokens['SWITCHBOARD_CALLER_TOKEN']}"}
        async with a2a_client(orchestrator, headers=caller, timeout=60) as client:
            task, _ = await send(client, user_message(GOAL))
        assert state(task) == "completed", status_text(task)
        manifest = manifest_of(task)
        assert manifest is not None
        workers = {s["worker"] for s in manifest["subtasks"] if s["state"] == "completed"}
        assert {"calculator", "librarian", "writer"} <= workers, manifest["subtasks"]


# --- the booter's own contract: compose's interpolation, and clear refusals ---------------------------------------


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("a${SET}b", "axb"),
        ("$SET/$$SET", "x/$SET"),
        ("${UNSET}", ""),
        ("${EMPTY:-d}|${EMPTY-d}|${UNSET-d}|${SET:-d}", "d||d|x"),
        ("${SET:?boom}|${EMPTY?boom}", "x|"),
    ],
)
def test_interpolation_follows_compose(template: str, expected: str) -> None:
    assert interpolate({"k": [template]}, {"SET": "x", "EMPTY": ""}) == {"k": [expected]}


@pytest.mark.parametrize(
    ("template", "error"),
    [
        ("${EMPTY:?set EMPTY please}", "services.k: required variable EMPTY is missing a value: set EMPTY please"),
        ("${UNSET?}", "required variable UNSET is missing a value: UNSET"),
        ("cost: 5$", "invalid interpolation"),
        ("${not closed", "invalid interpolation"),
    ],
)
def test_interpolation_refuses_what_compose_refuses(template: str, error: str) -> None:
    with pytest.raises(ComposeError, match=re.escape(error)):
        interpolate({"k": template}, {"EMPTY": ""}, "services")


BASE = {"command": ["python", "-m", "agents.calculator"], "environment": {"SWITCHBOARD_PORT": "8000"}}


@pytest.mark.parametrize(
    ("services", "error"),
    [
        (
            {"a": {**BASE, "depends_on": ["db"]}, "db": {**BASE, "profiles": ["x"]}},
            "'db' is not a service of the default",
        ),
        ({"a": {**BASE, "depends_on": ["b"]}, "b": {**BASE, "depends_on": ["a"]}}, "dependency cycle: a -> b -> a"),
        ({"a": {"environment": {}}}, "services.a.command: a non-empty list is required"),
        ({"a": {**BASE, "volumes": ["./here:/data"]}}, "only named volumes are supported"),
        ({"a": {**BASE, "healthcheck": {"test": ["CMD-FOO", "x"]}}}, "unsupported form"),
    ],
)
def test_the_booter_refuses_what_it_cannot_run_faithfully(tmp_path: Path, services: dict[str, Any], error: str) -> None:
    (tmp_path / "compose.yaml").write_text(yaml.safe_dump({"services": services}))
    with pytest.raises(ComposeError, match=re.escape(error)):
        default_services(tmp_path / "compose.yaml", {})


def test_the_booter_refuses_a_url_to_a_port_the_service_does_not_listen_on(tmp_path: Path) -> None:
    env = {"SWITCHBOARD_PORT": "8000", "SWITCHBOARD_AGENTS": "http://b:9000"}
    services = {"a": {**BASE, "environment": env}, "b": BASE}
    (tmp_path / "compose.yaml").write_text(yaml.safe_dump({"services": services}))
    with pytest.raises(ComposeError, match=re.escape("http://b:9000 but b does not listen on 9000")):
        with booted(tmp_path / "compose.yaml", {}, tmp_path / "boot"):
            pass
