"""Kernels started by the server in local mode reach the local backend with boto3, unchanged code."""

from __future__ import annotations

import asyncio
import json

import boto3
import pytest


@pytest.fixture
def jp_server_config(tmp_path):
    """A server with the extension in local mode, empty data directory, no demo content."""
    return {
        "ServerApp": {"jpserver_extensions": {"jupyterlab_sagemaker_studio": True}},
        "SageMakerStudio": {"mode": "local", "data_dir": str(tmp_path / "data"), "demo_content": False},
    }


async def test_kernel_boto3_writes_to_local_backend(jp_serverapp, jp_fetch, tmp_path):
    resp = await jp_fetch("api", "kernels", method="POST", body=json.dumps({"name": "python3"}))
    kernel_id = json.loads(resp.body)["id"]
    kernel = jp_serverapp.kernel_manager.get_kernel(kernel_id)
    client = kernel.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=60)
        out = tmp_path / "out.json"
        code = (
            "import boto3, json, os\n"
            "sm = boto3.client('sagemaker')\n"
            "sm.create_experiment(ExperimentName='from-a-kernel', Description='written by notebook code')\n"
            "ident = boto3.client('sts').get_caller_identity()\n"
            f"open({str(out)!r}, 'w').write(json.dumps({{'account': ident['Account'], "
            "'region': sm.meta.region_name, 'env_has_secret': 'AWS_SECRET_ACCESS_KEY' in os.environ}))\n"
        )
        reply = await client.execute_interactive(code, timeout=60)
        assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        client.stop_channels()
        await jp_serverapp.kernel_manager.shutdown_kernel(kernel_id)

    result = json.loads(out.read_text())
    assert result == {"account": "123456789012", "region": "us-east-1", "env_has_secret": True}

    # The panel's path sees what the kernel wrote: ask the backend directly with its own key.
    local = jp_serverapp.web_app.settings["sagemaker_studio_connection"].local
    sm = boto3.client(
        "sagemaker",
        endpoint_url=local.endpoint_url,
        region_name=local.region,
        aws_access_key_id=local.credentials.access_key,
        aws_secret_access_key=local.credentials.secret_key,
    )
    # boto3 blocks; the backend runs on this test's event loop, so call it from a thread.
    described = await asyncio.to_thread(sm.describe_experiment, ExperimentName="from-a-kernel")
    assert described["Description"] == "written by notebook code"


async def test_connection_route_reports_local_mode(jp_fetch):
    resp = await jp_fetch("sagemaker-studio", "connection")
    state = json.loads(resp.body)
    assert state["mode"] == "local"
    assert state["profile"] is None and state["profiles"] == []
    assert state["accountId"] == "123456789012"
    assert "us-east-1" in state["regions"]
    assert "secret" not in resp.body.decode().lower()


async def test_connection_route_rejects_unknown_region(jp_fetch):
    from tornado.httpclient import HTTPClientError

    with pytest.raises(HTTPClientError) as info:
        await jp_fetch("sagemaker-studio", "connection", method="PUT", body=json.dumps({"region": "mars-north-1"}))
    assert info.value.code == 400
    assert "mars-north-1" in info.value.response.body.decode()


async def test_connection_route_rejects_unknown_fields_and_changes_nothing(jp_fetch):
    from tornado.httpclient import HTTPClientError

    before = json.loads((await jp_fetch("sagemaker-studio", "connection")).body)
    for body in ({"regoin": "eu-west-1"}, {"region": "eu-west-1", "mode": "aws"}, ["eu-west-1"], {"region": 1}):
        with pytest.raises(HTTPClientError) as info:
            await jp_fetch("sagemaker-studio", "connection", method="PUT", body=json.dumps(body))
        assert info.value.code == 400, body
        assert json.loads(info.value.response.body)["message"].endswith(".")
    after = json.loads((await jp_fetch("sagemaker-studio", "connection")).body)
    assert after == before
