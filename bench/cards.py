"""Agent cards for the discovery benchmark: one process serving a distinct card on each of many loopback ports,
and a dead host (a port that never completes a TCP handshake).

    .venv/bin/python -m bench.cards --ports 41000,41001,...   # serves until killed

Each card is a valid A2A card (name `card-<i>`, two skills out of a shared vocabulary, a JSON-RPC interface on
its own port), answered by a minimal HTTP/1.1 server (asyncio streams, keep-alive), so the benchmark measures
the orchestrator's discovery rather than a web framework.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket

WORDS = ("sum", "convert", "summarise", "translate", "search", "chart", "forecast", "classify", "extract", "plan")


def card(i: int, port: int) -> dict[str, object]:
    """Card number `i`, served on `port`: skills `<word>_<i % 7>` for two of WORDS."""
    skills = [
        {
            "id": f"{w}_{i % 7}",
            "name": f"{w.title()} {i % 7}",
            "description": f"Does {w} work of flavour {i % 7} for agent {i}: {w}s inputs and reports results.",
            "tags": [w, f"flavour{i % 7}"],
        }
        for w in (WORDS[i % len(WORDS)], WORDS[(i * 3 + 1) % len(WORDS)])
    ]
    return {
        "name": f"card-{i}",
        "description": f"Benchmark agent {i}.",
        "version": "1.0.0",
        "capabilities": {"streaming": True},
        "defaultInputModes": ["text/plain"],
        "defaultOutputModes": ["text/plain"],
        "skills": skills,
        "supportedInterfaces": [
            {"url": f"http://127.0.0.1:{port}/", "protocolBinding": "JSONRPC", "protocolVersion": "1.0"}
        ],
    }


async def serve(ports: list[int]) -> None:
    """Serve card i on ports[i] until cancelled."""
    servers = []
    for i, port in enumerate(ports):
        body = json.dumps(card(i, port)).encode()
        head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n" % len(body)

        async def answer(
            reader: asyncio.StreamReader, writer: asyncio.StreamWriter, reply: bytes = head + body
        ) -> None:
            try:
                while await reader.readuntil(b"\r\n\r\n"):  # every request on the connection gets the card
                    writer.write(reply)
                    await writer.drain()
            except (asyncio.IncompleteReadError, ConnectionError):
                pass
            finally:
                writer.close()

        servers.append(await asyncio.start_server(answer, "127.0.0.1", port))
    await asyncio.Event().wait()


def dead_host() -> tuple[socket.socket, list[socket.socket], int]:
    """A loopback port whose accept queue is full and never drained: new connections get no SYN-ACK, so a client
    waits for its connect timeout, as with a host that is down. Returns the listener, the parked clients (keep
    both open while the port should stay dead) and the port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    parked = []
    for _ in range(4):  # fill the (backlog + 1) accept queue; later SYNs are dropped
        client = socket.socket()
        client.setblocking(False)
        try:
            client.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        parked.append(client)
    return listener, parked, port


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ports", required=True, help="comma-separated loopback ports, one card each")
    args = parser.parse_args()
    ports = [int(p) for p in args.ports.split(",") if p]
    if not ports or any(not 0 < p < 65536 for p in ports):
        parser.error("--ports needs at least one port in 1-65535")
    asyncio.run(serve(ports))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
