"""Signing-proxy benchmark: latency and throughput through the proxy vs direct calls to the same local backend.

Usage (from the repository root)::

    python bench/proxy_bench.py [--requests 2000] [--warmup 200] [--concurrency 12] [--seconds 6]

It starts a Jupyter server with the extension in local mode (token auth, temporary data directory, no demo
content), creates one experiment, and calls ``DescribeExperiment`` on it three ways:

* **boto3 direct** — ``boto3`` SageMaker client pointed at the local backend (what a kernel does);
* **HTTP direct** — the same JSON 1.1 request, SigV4-signed per request with botocore, sent with a keep-alive
  ``http.client`` connection straight to the backend;
* **HTTP via proxy** — the same request (unsigned) to ``/sagemaker-studio/aws/sagemaker/{region}/`` on the
  Jupyter server with ``Authorization: token …``, which is what the browser SDK's request handler sends.

Why an HTTP client and not boto3 for the proxy path: the proxy authenticates the *Jupyter* request
(``Authorization: token``) and replaces any SigV4 header with its own signature, so boto3's signing would be both
wasted and in conflict with the token header. The proxy's added latency is therefore measured against the
*HTTP direct* path (same client, same bytes on the wire, plus client-side signing that the proxy does
server-side); the boto3 figures are printed for reference, since that is what a notebook sees. A fourth
kind, ``GET /api/me``, is Jupyter's cheapest authenticated request: the cost every call through the server pays
before the proxy does anything of its own. The browser-like callers keep Jupyter's login cookie, as a browser does.

Sequential calls of the kinds are interleaved so that a busy machine slows them all alike. Set
``PROXY_BENCH_PROFILE=<file>`` to run the server under cProfile, ``PROXY_BENCH_KEEP=1`` to keep its directory.

Figures only; there are no timed assertions. Targets: <= 1 ms added at p50, >= 300 requests/s via the proxy.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
REGION = "us-east-1"
EXPERIMENT = "bench-experiment"


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class JupyterServer:
    """A Jupyter server subprocess with the extension in local mode."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.local_port = free_port()
        self.token = os.urandom(16).hex()
        self.data_dir = workdir / "data"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start and wait until the proxy answers."""
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
        env["JUPYTER_CONFIG_DIR"] = str(self.workdir / "config")
        env["JUPYTER_RUNTIME_DIR"] = str(self.workdir / "runtime")
        for name in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL"):
            env.pop(name, None)
        (self.workdir / "root").mkdir()
        (self.workdir / "config").mkdir()
        # Dict-valued traits are awkward on the command line; the config file enables the extension.
        (self.workdir / "config" / "jupyter_server_config.json").write_text(
            json.dumps({"ServerApp": {"jpserver_extensions": {"jupyterlab_sagemaker_studio": True}}})
        )
        profile = os.environ.get("PROXY_BENCH_PROFILE")  # a path: run the server under cProfile (diagnostics)
        cmd = [
            sys.executable,
            *(["-m", "cProfile", "-o", profile] if profile else []),
            "-m",
            "jupyter_server",
            "--no-browser",
            "--allow-root",
            f"--port={self.port}",
            "--ip=127.0.0.1",
            f"--ServerApp.root_dir={self.workdir / 'root'}",
            f"--IdentityProvider.token={self.token}",
            "--SageMakerStudio.mode=local",
            f"--SageMakerStudio.region={REGION}",
            f"--SageMakerStudio.data_dir={self.data_dir}",
            f"--SageMakerStudio.local_port={self.local_port}",
            "--SageMakerStudio.demo_content=False",
            "--ServerApp.log_level=WARN",
        ]
        self.log = open(self.workdir / "server.log", "wb")
        self.proc = subprocess.Popen(cmd, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("The Jupyter server exited; see " + str(self.workdir / "server.log"))
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/sagemaker-studio/connection", headers={"Authorization": f"token {self.token}"})
                if conn.getresponse().status == 200:
                    conn.close()
                    return
                conn.close()
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("The Jupyter server did not start within 60 s.")

    def cpu_seconds(self) -> float:
        """User + system CPU time the server process has used so far (Linux ``/proc``)."""
        assert self.proc is not None
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def credentials(self) -> tuple[str, str]:
        """The local backend's key pair (the server created it in the data directory)."""
        data = json.loads((self.data_dir / "credentials.json").read_text())
        return data["access_key"], data["secret_key"]

    def stop(self) -> None:
        """Terminate the subprocess."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


# ---------------------------------------------------------------------- the three callers


def boto3_caller(endpoint: str, key: str, secret: str) -> Callable[[], Callable[[], None]]:
    """Factory of per-thread callables doing one boto3 DescribeExperiment."""
    import boto3
    from botocore.config import Config

    client = boto3.client(
        "sagemaker",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        config=Config(max_pool_connections=32, retries={"max_attempts": 1}),
    )

    def make() -> Callable[[], None]:
        def call() -> None:
            client.describe_experiment(ExperimentName=EXPERIMENT)

        return call

    return make


BODY = json.dumps({"ExperimentName": EXPERIMENT}).encode()
JSON_HEADERS = {"X-Amz-Target": "SageMaker.DescribeExperiment", "Content-Type": "application/x-amz-json-1.1"}


def signed_http_caller(port: int, key: str, secret: str) -> Callable[[], Callable[[], None]]:
    """Factory of per-thread callables: SigV4-sign and send the JSON request straight to the backend."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    signer = SigV4Auth(Credentials(key, secret), "sagemaker", REGION)
    host = f"127.0.0.1:{port}"

    def make() -> Callable[[], None]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

        def call() -> None:
            request = AWSRequest("POST", f"http://{host}/", headers={**JSON_HEADERS, "Host": host}, data=BODY)
            signer.add_auth(request)
            conn.request("POST", "/", body=BODY, headers=dict(request.headers.items()))
            _read_ok(conn)

        return call

    return make


def proxy_caller(port: int, token: str) -> Callable[[], Callable[[], None]]:
    """Factory of per-thread callables: the unsigned request through the Jupyter proxy, token-authenticated."""
    path = f"/sagemaker-studio/aws/sagemaker/{REGION}/"
    headers = {**JSON_HEADERS, "Authorization": f"token {token}"}

    def make() -> Callable[[], None]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        # Like a browser, keep the login cookie Jupyter sets on the first token-authenticated response (without
        # it Jupyter creates an anonymous user and signs a new cookie on every request).
        session = dict(headers)

        def call() -> None:
            conn.request("POST", path, body=BODY, headers=session)
            resp = conn.getresponse()
            body = resp.read()
            if resp.status != 200:
                raise RuntimeError(f"HTTP {resp.status}: {body[:200]!r}")
            if "Cookie" not in session:
                set_cookies = resp.headers.get_all("Set-Cookie") or []
                cookies = [c.split(";", 1)[0] for c in set_cookies if c.startswith("username-")]
                if cookies:
                    session["Cookie"] = cookies[0]

        return call

    return make


def jupyter_floor_caller(port: int, token: str) -> Callable[[], Callable[[], None]]:
    """Factory of per-thread callables: ``GET /api/me``, Jupyter's cheapest authenticated API request.

    Not part of the comparison; it shows what any authenticated Jupyter request costs on this machine, which
    the proxy pays once per call before doing anything of its own.
    """
    headers = {"Authorization": f"token {token}"}

    def make() -> Callable[[], None]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        session = dict(headers)

        def call() -> None:
            conn.request("GET", "/api/me", headers=session)
            resp = conn.getresponse()
            body = resp.read()
            if resp.status != 200:
                raise RuntimeError(f"HTTP {resp.status}: {body[:200]!r}")
            if "Cookie" not in session:
                set_cookies = resp.headers.get_all("Set-Cookie") or []
                cookies = [c.split(";", 1)[0] for c in set_cookies if c.startswith("username-")]
                if cookies:
                    session["Cookie"] = cookies[0]

        return call

    return make


def _read_ok(conn: http.client.HTTPConnection) -> None:
    resp = conn.getresponse()
    body = resp.read()
    if resp.status != 200:
        raise RuntimeError(f"HTTP {resp.status}: {body[:200]!r}")


# ---------------------------------------------------------------------- measurement


def percentile(sorted_ms: list[float], q: float) -> float:
    """The q-quantile (0..1) of sorted samples, nearest rank."""
    if not sorted_ms:
        return float("nan")
    index = min(len(sorted_ms) - 1, max(0, int(round(q * len(sorted_ms) + 0.5)) - 1))
    return sorted_ms[index]


def sequential(makers: dict[str, Callable[[], Callable[[], None]]], n: int, warmup: int) -> dict[str, dict[str, float]]:
    """N calls of each kind, one at a time and interleaved (a, b, c, a, b, c …).

    Interleaving gives every kind the same share of whatever else the machine is doing, so the difference
    between their medians is the proxy's cost even on a busy machine.
    """
    calls = {name: make() for name, make in makers.items()}
    for _ in range(warmup):
        for call in calls.values():
            call()
    samples: dict[str, list[float]] = {name: [] for name in calls}
    elapsed = {name: 0.0 for name in calls}
    for _ in range(n):
        for name, call in calls.items():
            t0 = time.perf_counter()
            call()
            dt = time.perf_counter() - t0
            samples[name].append(dt * 1000)
            elapsed[name] += dt
    out = {}
    for name, xs in samples.items():
        xs.sort()
        out[name] = {
            "p50": percentile(xs, 0.5),
            "p99": percentile(xs, 0.99),
            "rps": n / elapsed[name],
            "n": n,
        }
    return out


def concurrent(
    make: Callable[[], Callable[[], None]], threads: int, seconds: float, cpu: Callable[[], float]
) -> dict[str, float]:
    """``threads`` callers in flight for ``seconds``: latency percentiles, requests per second, and the server
    process's CPU time per request (``cpu`` reads its CPU seconds; over seconds of work /proc's ticks suffice)."""
    callers = [make() for _ in range(threads)]
    for call in callers:  # open the keep-alive connections before timing
        call()
    results: list[list[float]] = [[] for _ in range(threads)]
    errors: list[BaseException] = []
    start_gate = threading.Barrier(threads + 1)
    stop_at = [0.0]

    def run(i: int) -> None:
        start_gate.wait()
        out = results[i]
        call = callers[i]
        try:
            while True:
                t0 = time.perf_counter()
                if t0 >= stop_at[0]:
                    return
                call()
                out.append((time.perf_counter() - t0) * 1000)
        except BaseException as err:  # noqa: BLE001 - reported after the run
            errors.append(err)

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    stop_at[0] = time.perf_counter() + seconds
    cpu0 = cpu()
    start = time.perf_counter()
    start_gate.wait()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - start
    cpu_used = cpu() - cpu0
    if errors:
        raise RuntimeError(f"{len(errors)} caller(s) failed, first: {errors[0]!r}")
    samples = sorted(x for r in results for x in r)
    return {
        "p50": percentile(samples, 0.5),
        "p99": percentile(samples, 0.99),
        "rps": len(samples) / elapsed,
        "n": len(samples),
        "cpu_ms": cpu_used * 1000 / max(1, len(samples)),
    }


def fmt(name: str, r: dict[str, float]) -> str:
    return f"  {name:<18} p50 {r['p50']:7.3f} ms   p99 {r['p99']:7.3f} ms   {r['rps']:8.1f} req/s   (n={int(r['n'])})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=6.0, help="duration of each concurrent run (<= 20)")
    args = parser.parse_args()
    seconds = min(args.seconds, 20.0)

    workdir = Path(tempfile.mkdtemp(prefix="proxy-bench-"))
    server = JupyterServer(workdir)
    try:
        server.start()
        key, secret = server.credentials()
        endpoint = f"http://127.0.0.1:{server.local_port}"
        import boto3

        boto3.client(
            "sagemaker", endpoint_url=endpoint, region_name=REGION, aws_access_key_id=key, aws_secret_access_key=secret
        ).create_experiment(ExperimentName=EXPERIMENT)

        callers = {
            "boto3 direct": boto3_caller(endpoint, key, secret),
            "HTTP direct": signed_http_caller(server.local_port, key, secret),
            "HTTP via proxy": proxy_caller(server.port, server.token),
        }
        print(f"DescribeExperiment against the local backend; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
        print(f"Sequential, interleaved: {args.requests} requests of each kind after {args.warmup} warm-up rounds")
        callers["Jupyter /api/me"] = jupyter_floor_caller(server.port, server.token)
        seq = sequential(callers, args.requests, args.warmup)
        for name, r in seq.items():
            print(fmt(name, r))
        print(f"Concurrent: {args.concurrency} in flight for {seconds:g} s each")
        con = {name: concurrent(make, args.concurrency, seconds, server.cpu_seconds) for name, make in callers.items()}
        for name, r in con.items():
            print(fmt(name, r) + f"   server CPU {r['cpu_ms']:.3f} ms/req")

        proxy_seq, direct_seq, boto_seq = seq["HTTP via proxy"], seq["HTTP direct"], seq["boto3 direct"]
        print("Summary")
        print(
            f"  added latency at p50 (proxy vs HTTP direct): {proxy_seq['p50'] - direct_seq['p50']:+.3f} ms "
            f"(ratio {proxy_seq['p50'] / direct_seq['p50']:.2f}x)   target <= 1 ms"
        )
        print(
            "  server CPU added by the proxy (concurrent runs): "
            f"{con['HTTP via proxy']['cpu_ms'] - con['HTTP direct']['cpu_ms']:+.3f} ms per request"
        )
        floor = seq["Jupyter /api/me"]["p50"]
        print(
            f"  for scale: an authenticated Jupyter request doing nothing (/api/me) takes {floor:.3f} ms at p50;"
            f" proxy p50 minus that: {proxy_seq['p50'] - floor:.3f} ms (direct call: {direct_seq['p50']:.3f} ms)"
        )
        print(
            f"  proxy vs boto3 direct at p50: {proxy_seq['p50'] - boto_seq['p50']:+.3f} ms "
            f"(ratio {proxy_seq['p50'] / boto_seq['p50']:.2f}x)"
        )
        print(
            f"  throughput via proxy: {con['HTTP via proxy']['rps']:.0f} req/s concurrent, "
            f"{proxy_seq['rps']:.0f} req/s sequential   target >= 300 req/s"
        )
        print(
            f"  throughput ratio proxy / HTTP direct (concurrent): "
            f"{con['HTTP via proxy']['rps'] / con['HTTP direct']['rps']:.2f}"
        )
    finally:
        server.stop()
        if not os.environ.get("PROXY_BENCH_KEEP"):
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
