"""The kernel bar's machine figures over real HTTP: totals, use, a kernel's memory, and clear refusals."""

from __future__ import annotations

import json
import os

import psutil
import pytest
from tornado.httpclient import HTTPClientError


@pytest.fixture
def jp_server_config(tmp_path):
    """A server with the extension in local mode, empty data directory, no demo content."""
    return {
        "ServerApp": {"jpserver_extensions": {"jupyterlab_sagemaker_studio": True}},
        "SageMakerStudio": {"mode": "local", "data_dir": str(tmp_path / "data"), "demo_content": False},
    }


async def test_machine_totals_and_use(jp_fetch):
    body = json.loads((await jp_fetch("sagemaker-studio", "system")).body)
    assert body["cpuCount"] == len(os.sched_getaffinity(0))
    assert body["memoryBytes"] == psutil.virtual_memory().total
    assert 0 < body["memoryUsedBytes"] <= body["memoryBytes"]
    assert 0 <= body["cpuPercent"] <= 100
    assert isinstance(body["gpus"], list)
    assert body["kernel"] is None


async def test_a_kernels_memory(jp_fetch):
    resp = await jp_fetch("api", "kernels", method="POST", body=json.dumps({"name": "python3"}))
    kernel_id = json.loads(resp.body)["id"]
    try:
        body = json.loads((await jp_fetch("sagemaker-studio", "system", params={"kernel": kernel_id})).body)
        # The kernel's own process, started by this server (this test's process).
        kernel = psutil.Process(body["kernel"]["pid"])
        assert kernel.ppid() == os.getpid()
        assert body["kernel"]["memoryBytes"] > 2**20
    finally:
        await jp_fetch("api", "kernels", kernel_id, method="DELETE")


async def test_an_unknown_kernel_is_a_404_with_a_sentence(jp_fetch):
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch("sagemaker-studio", "system", params={"kernel": "no-such-kernel"})
    assert err.value.code == 404
    assert "No kernel with id 'no-such-kernel'" in err.value.response.body.decode()
