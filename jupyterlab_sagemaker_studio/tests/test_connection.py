"""Unit tests of ``Connection``: region defaults, profile and region switches, and refused switches changing nothing.

The AWS config files are temporary files named by ``AWS_CONFIG_FILE`` / ``AWS_SHARED_CREDENTIALS_FILE``; no network.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from jupyterlab_sagemaker_studio.config import SageMakerStudio
from jupyterlab_sagemaker_studio.connection import Connection, ConnectionError_


@pytest.fixture
def aws_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two profiles with static keys and their own regions; no AWS variables from the outer environment."""
    for name in (
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    config = tmp_path / "config"
    config.write_text("[default]\nregion = eu-west-1\n\n[profile ml-team]\nregion = us-west-2\n")
    credentials = tmp_path / "credentials"
    credentials.write_text(
        "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = default-secret\n\n"
        "[ml-team]\naws_access_key_id = AKIDMLTEAM\naws_secret_access_key = ml-team-secret\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    return config


def _local_backend(region: str = "us-east-1") -> SimpleNamespace:
    """What ``Connection`` reads of a ``LocalBackend`` (its region and account), without starting one."""
    return SimpleNamespace(region=region, account_id="123456789012", endpoint_url="http://127.0.0.1:1")


def test_aws_mode_takes_region_and_credentials_from_the_profile(aws_config):
    connection = Connection(SageMakerStudio())
    assert connection.mode == "aws"
    assert connection.region == "eu-west-1"
    assert connection.credentials().access_key == "AKIDDEFAULT"


def test_aws_region_variable_wins_over_the_profile(aws_config, monkeypatch):
    # botocore alone ignores AWS_REGION; the README tells users to set it.
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-central-1")
    assert Connection(SageMakerStudio()).region == "eu-central-1"
    monkeypatch.setenv("AWS_REGION", "ap-southeast-2")
    assert Connection(SageMakerStudio()).region == "ap-southeast-2"
    assert Connection(SageMakerStudio(region="us-west-2")).region == "us-west-2"


def test_profile_switch_changes_the_signing_credentials(aws_config):
    connection = Connection(SageMakerStudio())
    connection.switch(profile="ml-team", region="us-west-2")
    assert (connection.profile, connection.region) == ("ml-team", "us-west-2")
    assert connection.credentials().access_key == "AKIDMLTEAM"


def test_refused_switch_changes_nothing(aws_config):
    connection = Connection(SageMakerStudio())
    # A valid profile with an invalid region: the whole request is refused, the profile included.
    with pytest.raises(ConnectionError_, match="mars-north-1"):
        connection.switch(profile="ml-team", region="mars-north-1")
    with pytest.raises(ConnectionError_, match="no AWS profile named 'nobody'"):
        connection.switch(profile="nobody", region="us-west-2")
    assert (connection.profile, connection.region) == (None, "eu-west-1")
    assert connection.credentials().access_key == "AKIDDEFAULT"


def test_local_mode_uses_the_backend_region_and_has_no_profiles(aws_config, monkeypatch):
    # The AWS config says eu-west-1, but the local backend's ARNs and kernels use its own region.
    connection = Connection(SageMakerStudio(), _local_backend("us-east-1"))
    assert connection.mode == "local"
    assert connection.region == "us-east-1"
    with pytest.raises(ConnectionError_, match="Local mode has no AWS profiles"):
        connection.switch(profile="ml-team")
    assert connection.profile is None


def test_missing_profile_does_not_stop_the_server(aws_config, monkeypatch):
    monkeypatch.setenv("AWS_PROFILE", "deleted-profile")
    assert not Connection.aws_credentials_available()
    # mode = auto picks local mode then; the connection must still come up.
    local = Connection(SageMakerStudio(), _local_backend())
    assert local.region == "us-east-1"
    # In AWS mode it comes up too, with the default region; requests then fail with a sentence (see test_proxy).
    aws = Connection(SageMakerStudio())
    assert aws.region == "us-east-1"
    assert aws.profile == "deleted-profile"
