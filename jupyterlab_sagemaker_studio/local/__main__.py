"""Run the local backend on its own: ``python -m jupyterlab_sagemaker_studio.local --data-dir DIR [--port N]``.

Prints one JSON line (endpoint_url, access_key, secret_key, region) once it listens, so tests, benchmarks and
scripts can point boto3 at it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal

from .server import LocalBackend


async def serve(args: argparse.Namespace) -> None:
    """Start the backend, announce it, and run until SIGTERM or SIGINT."""
    backend = LocalBackend(args.data_dir, region=args.region, account_id=args.account_id)
    backend.start(args.port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    # Announce only once a SIGTERM right after the announcement would shut down cleanly.
    print(
        json.dumps(
            {
                "endpoint_url": backend.endpoint_url,
                "access_key": backend.credentials.access_key,
                "secret_key": backend.credentials.secret_key,
                "region": backend.region,
            }
        ),
        flush=True,
    )
    try:
        await stop.wait()
    finally:
        backend.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m jupyterlab_sagemaker_studio.local")
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--account-id", default="123456789012")
    asyncio.run(serve(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
