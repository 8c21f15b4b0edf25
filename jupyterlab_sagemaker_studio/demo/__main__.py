"""``python -m jupyterlab_sagemaker_studio.demo``: create the demo content (idempotent).

With no options it uses boto3's usual configuration — inside a local-mode kernel that is the local backend, on
a machine with AWS credentials it is that AWS account. ``--local DATA_DIR --endpoint-url URL`` targets a local
backend from outside, with the key pair kept in its data directory. In AWS, ``--start-jobs`` also starts the
pipeline executions and the training job (billed), and ``--project-product-id`` creates the project.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Optional

from . import create_demo_content


def _local_credentials(data_dir: str) -> tuple[str, str]:
    """The local backend's key pair from ``<data_dir>/credentials.json``."""
    path = Path(data_dir) / "credentials.json"
    try:
        data = json.loads(path.read_text())
        return data["access_key"], data["secret_key"]
    except FileNotFoundError:
        raise SystemExit(
            f"No local backend data in {data_dir}: {path} does not exist. Start local mode once first."
        ) from None
    except (ValueError, KeyError):
        raise SystemExit(
            f"{path} is not a local backend credentials file (it needs access_key and secret_key)."
        ) from None


def main(argv: Optional[list[str]] = None) -> int:
    """Parse the command line, create the content, report."""
    parser = argparse.ArgumentParser(
        prog="python -m jupyterlab_sagemaker_studio.demo",
        description="Create SageMaker demo content (experiments, model registry, endpoints, project, pipelines, "
        "feature groups, a training job) through boto3.",
    )
    parser.add_argument("--endpoint-url", help="Send every request to this URL (e.g. the local backend).")
    parser.add_argument("--region", help="AWS region (default: boto3's configuration; us-east-1 with --local).")
    parser.add_argument(
        "--local", metavar="DATA_DIR", help="Use the key pair of the local backend whose data directory this is."
    )
    parser.add_argument("--role-arn", help="Execution role of the models (default: SageMakerStudioDemoRole).")
    parser.add_argument(
        "--skip-endpoints", action="store_true", help="Create no models, endpoint configs or endpoints."
    )
    jobs = parser.add_mutually_exclusive_group()
    jobs.add_argument(
        "--start-jobs",
        dest="start_jobs",
        action="store_true",
        default=None,
        help="Start the pipeline executions, the training job and the Model Monitor baseline and schedule "
        "(default: only in local mode; billed in AWS).",
    )
    jobs.add_argument(
        "--skip-jobs", dest="start_jobs", action="store_false", help="Start no pipeline execution or training job."
    )
    parser.add_argument(
        "--project-product-id",
        help="Service Catalog product the demo project provisions (needed in AWS; local mode names its own).",
    )
    parser.add_argument("--project-artifact-id", help="Provisioning artifact (version) of that product.")
    args = parser.parse_args(argv)

    access_key = secret_key = None
    region = args.region
    if args.local:
        if not args.endpoint_url:
            parser.error("--local needs --endpoint-url (the local backend's URL).")
        access_key, secret_key = _local_credentials(args.local)
        region = region or "us-east-1"
    try:
        create_demo_content(
            endpoint_url=args.endpoint_url,
            region=region,
            access_key=access_key,
            secret_key=secret_key,
            log=lambda msg: print(msg, flush=True),
            role_arn=args.role_arn,
            create_endpoints=not args.skip_endpoints,
            start_jobs=args.start_jobs,
            project_product_id=args.project_product_id,
            project_artifact_id=args.project_artifact_id,
        )
    except Exception as err:  # boto3/botocore errors already read as sentences; no traceback for users
        print(f"Creating the demo content failed: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
