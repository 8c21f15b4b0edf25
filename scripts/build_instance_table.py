"""Build the instance picker's table of SageMaker ML instance types (src/instances/instanceTypes.json).

Usage::

    python scripts/build_instance_table.py [--sdk-gpu-info PATH] > src/instances/instanceTypes.json

Rows: the ML instance types of botocore's ``sagemaker`` service model enums ``TrainingInstanceType`` (training
jobs) and ``AppInstanceType`` (Studio apps, i.e. notebooks), restricted to the families whose hardware this script
knows. An ``ml.X`` type runs on the Amazon EC2 instance type ``X``; the hardware facts below are transcribed from the
public EC2 instance type specifications (see ``SOURCES``). With ``--sdk-gpu-info`` (the SageMaker Python SDK's
``image_uri_config/instance_gpu_info.json``) the GPU counts and memory are cross-checked and every disagreement is
printed; the exit status is 1 when one is not a known, documented one. See docs/INSTANCES.md.

Standard library and botocore only.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Any

#: vCPUs of an EC2 size name (the common Nitro sizes).
VCPU_PER_SIZE = {
    "large": 2,
    "xlarge": 4,
    "2xlarge": 8,
    "4xlarge": 16,
    "8xlarge": 32,
    "9xlarge": 36,
    "10xlarge": 40,
    "12xlarge": 48,
    "16xlarge": 64,
    "18xlarge": 72,
    "24xlarge": 96,
    "32xlarge": 128,
    "48xlarge": 192,
}

#: Burstable t3: size → (vCPU, GiB).
T3_SIZES = {
    "micro": (2, 1),
    "small": (2, 2),
    "medium": (2, 4),
    "large": (2, 8),
    "xlarge": (4, 16),
    "2xlarge": (8, 32),
}

#: Families whose memory is a fixed number of GiB per vCPU: family → (category, GiB per vCPU).
RULE_FAMILIES: dict[str, tuple[str, int]] = {
    "m4": ("standard", 4),
    "m5": ("standard", 4),
    "m5d": ("standard", 4),
    "m6i": ("standard", 4),
    "m6id": ("standard", 4),
    "m7i": ("standard", 4),
    "c5": ("compute", 2),
    "c6i": ("compute", 2),
    "c6id": ("compute", 2),
    "c7i": ("compute", 2),
    "r5": ("memory", 8),
    "r5d": ("memory", 8),
    "r6i": ("memory", 8),
    "r6id": ("memory", 8),
    "r7i": ("memory", 8),
}

#: GPU families with memory per vCPU: family → (GPU model, GiB per GPU, GiB per vCPU, GPUs by size (default 1)).
GPU_RULE_FAMILIES: dict[str, tuple[str, int, int, dict[str, int]]] = {
    "g4dn": ("T4", 16, 4, {"12xlarge": 4}),
    "g5": ("A10G", 24, 4, {"12xlarge": 4, "24xlarge": 4, "48xlarge": 8}),
    "g6": ("L4", 24, 4, {"12xlarge": 4, "24xlarge": 4, "48xlarge": 8}),
    "g6e": ("L40S", 48, 8, {"12xlarge": 4, "24xlarge": 4, "48xlarge": 8}),
}

#: Accelerated types that follow no rule: type → (vCPU, GiB, GPUs, GPU model, GiB per GPU).
EXPLICIT: dict[str, tuple[int, int, int, str, int]] = {
    "p3.2xlarge": (8, 61, 1, "V100", 16),
    "p3.8xlarge": (32, 244, 4, "V100", 16),
    "p3.16xlarge": (64, 488, 8, "V100", 16),
    "p3dn.24xlarge": (96, 768, 8, "V100", 32),
    "p4d.24xlarge": (96, 1152, 8, "A100", 40),
    "p4de.24xlarge": (96, 1152, 8, "A100", 80),
    "p5.48xlarge": (192, 2048, 8, "H100", 80),
}

#: Studio's fast-launch types (Amazon SageMaker Developer Guide, "Instance types available for use with Studio").
FAST_LAUNCH = {"ml.t3.medium", "ml.m5.large", "ml.c5.large", "ml.g4dn.xlarge"}

#: Family order of the table: category, then this order.
CATEGORIES = ["standard", "compute", "memory", "accelerated"]

#: Disagreements with the SDK's instance_gpu_info.json that are known and explained in docs/INSTANCES.md:
#: type → field. The SDK lists 183104 MiB for ml.g5.48xlarge (8 × 22888 MiB, what the driver reports), the EC2
#: page 8 × 24 GiB.
KNOWN_SDK_DIFFERENCES = {("ml.g5.48xlarge", "gpuMemoryGiB")}

EC2_URL = "https://aws.amazon.com/ec2/instance-types/"

SOURCES: list[dict[str, str]] = [
    {
        "title": "botocore sagemaker service model: TrainingInstanceType and AppInstanceType enums",
        "url": "https://github.com/boto/botocore/blob/develop/botocore/data/sagemaker/2017-07-24/service-2.json",
        "supplied": "which ML instance types exist for training jobs and for Studio apps (notebooks)",
    },
    {
        "title": "Amazon EC2 instance types",
        "url": EC2_URL,
        "supplied": (
            "vCPU and memory of the general purpose, compute and memory optimized families (ml.X runs on EC2 X)"
        ),
    },
    {
        "title": "Amazon EC2 G4 instances",
        "url": "https://aws.amazon.com/ec2/instance-types/g4/",
        "supplied": "g4dn: vCPU, memory, NVIDIA T4 GPUs (16 GiB each)",
    },
    {
        "title": "Amazon EC2 G5 instances",
        "url": "https://aws.amazon.com/ec2/instance-types/g5/",
        "supplied": "g5: vCPU, memory, NVIDIA A10G GPUs (24 GiB each)",
    },
    {
        "title": "Amazon EC2 G6 instances",
        "url": "https://aws.amazon.com/ec2/instance-types/g6/",
        "supplied": "g6: vCPU, memory, NVIDIA L4 GPUs (24 GiB each)",
    },
    {
        "title": "Amazon EC2 G6e instances",
        "url": "https://aws.amazon.com/ec2/instance-types/g6e/",
        "supplied": "g6e: vCPU, memory, NVIDIA L40S GPUs (48 GiB each)",
    },
    {
        "title": "Amazon EC2 P3 instances",
        "url": "https://aws.amazon.com/ec2/instance-types/p3/",
        "supplied": "p3, p3dn: vCPU, memory, NVIDIA V100 GPUs (16 GiB each; 32 GiB on p3dn)",
    },
    {
        "title": "Amazon EC2 P4 instances",
        "url": "https://aws.amazon.com/ec2/instance-types/p4/",
        "supplied": "p4d, p4de: vCPU, memory, NVIDIA A100 GPUs (40 GiB each; 80 GiB on p4de)",
    },
    {
        "title": "Amazon EC2 P5 instances",
        "url": "https://aws.amazon.com/ec2/instance-types/p5/",
        "supplied": "p5.48xlarge: vCPU, memory, NVIDIA H100 GPUs (80 GiB each)",
    },
    {
        "title": "Amazon SageMaker Developer Guide: Instance types available for use with Studio",
        "url": "https://docs.aws.amazon.com/sagemaker/latest/dg/notebooks-available-instance-types.html",
        "supplied": "the fast launch types ml.t3.medium, ml.m5.large, ml.c5.large, ml.g4dn.xlarge",
    },
]


def hardware(instance_type: str) -> dict[str, Any] | None:
    """The category and hardware of one ``ml.`` type, or None when this script does not know its family."""
    match = re.fullmatch(r"ml\.([a-z0-9-]+)\.([a-z0-9]+)", instance_type)
    if not match:
        return None
    family, size = match.groups()
    ec2 = f"{family}.{size}"
    gpu_count, gpu_model, gpu_memory = 0, None, 0
    if ec2 in EXPLICIT:
        vcpu, memory, gpu_count, gpu_model, per_gpu = EXPLICIT[ec2]
        gpu_memory = gpu_count * per_gpu
        category = "accelerated"
    elif family == "t3" and size in T3_SIZES:
        vcpu, memory = T3_SIZES[size]
        category = "standard"
    elif family in RULE_FAMILIES and size in VCPU_PER_SIZE:
        category, per_vcpu = RULE_FAMILIES[family]
        vcpu = VCPU_PER_SIZE[size]
        memory = vcpu * per_vcpu
    elif family in GPU_RULE_FAMILIES and size in VCPU_PER_SIZE and size != "large":
        gpu_model, per_gpu, per_vcpu, counts = GPU_RULE_FAMILIES[family]
        vcpu = VCPU_PER_SIZE[size]
        memory = vcpu * per_vcpu
        gpu_count = counts.get(size, 1)
        gpu_memory = gpu_count * per_gpu
        category = "accelerated"
    else:
        return None
    return {
        "type": instance_type,
        "family": family,
        "category": category,
        "vcpu": vcpu,
        "memoryGiB": memory,
        "gpuCount": gpu_count,
        "gpuModel": gpu_model,
        "gpuMemoryGiB": gpu_memory,
    }


def size_order(instance_type: str) -> tuple[int, float]:
    """Sort key of a size within its family: t3's named sizes, then by vCPU."""
    size = instance_type.split(".")[2]
    names = list(T3_SIZES)
    if size in ("micro", "small", "medium"):
        return (0, names.index(size))
    return (1, VCPU_PER_SIZE.get(size, 0))


def service_enums() -> tuple[list[str], list[str], str]:
    """botocore's TrainingInstanceType and AppInstanceType values, and botocore's version."""
    import botocore
    import botocore.session

    model = botocore.session.get_session().get_service_model("sagemaker")
    training = list(model.shape_for("TrainingInstanceType").enum)
    app = list(model.shape_for("AppInstanceType").enum)
    return training, app, botocore.__version__


def build(training: list[str], app: list[str], botocore_version: str) -> dict[str, Any]:
    """The table: rows for the known types of both enums, the ML types left out, the sources, botocore's version."""
    training_set, app_set = set(training), set(app)
    rows = []
    skipped = []
    for instance_type in sorted(training_set | app_set):
        row = hardware(instance_type)
        if row is None:
            if instance_type.startswith("ml."):
                skipped.append(instance_type)
            continue
        row["fastLaunch"] = instance_type in FAST_LAUNCH
        row["notebook"] = instance_type in app_set
        row["training"] = instance_type in training_set
        rows.append(row)
    rows.sort(key=lambda r: (CATEGORIES.index(r["category"]), r["family"], size_order(r["type"])))
    return {
        "botocore": botocore_version,
        "sources": SOURCES,
        "skippedTypes": skipped,
        "instances": rows,
    }


def sdk_differences(table: dict[str, Any], gpu_info: dict[str, Any]) -> list[tuple[str, str, Any, Any]]:
    """(type, field, ours, SDK's) for every type both know whose GPU count or total GPU memory differs."""
    regions = list(gpu_info.values())
    sdk = regions[0] if regions and isinstance(regions[0], dict) and "Count" not in regions[0] else gpu_info
    differences = []
    for row in table["instances"]:
        info = sdk.get(row["type"])
        if not info:
            continue
        if info["Count"] != row["gpuCount"]:
            differences.append((row["type"], "gpuCount", row["gpuCount"], info["Count"]))
        if info["TotalGpuMemoryInMiB"] != row["gpuMemoryGiB"] * 1024:
            differences.append((row["type"], "gpuMemoryGiB", row["gpuMemoryGiB"], info["TotalGpuMemoryInMiB"] / 1024))
    return differences


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sdk-gpu-info", help="the SageMaker Python SDK's image_uri_config/instance_gpu_info.json")
    args = parser.parse_args(argv)
    table = build(*service_enums())
    status = 0
    if args.sdk_gpu_info:
        with open(args.sdk_gpu_info, encoding="utf-8") as f:
            gpu_info = json.load(f)
        for instance_type, field, ours, theirs in sdk_differences(table, gpu_info):
            known = (instance_type, field) in KNOWN_SDK_DIFFERENCES
            print(
                f"{instance_type}: {field} {ours} here, {theirs} in the SDK{' (known)' if known else ''}",
                file=sys.stderr,
            )
            if not known:
                status = 1
    json.dump(table, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
