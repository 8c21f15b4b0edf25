"""This machine's resources for the notebook's kernel bar: CPUs, memory and GPUs, and how much of them is in use.

Read with psutil (CPU and memory) and ``nvidia-smi`` (GPUs, when the driver is installed). The CPU count is what
this process may use (its affinity, e.g. a container's cpuset), not what the host has, since that is what a kernel
started here gets.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from typing import Any

import psutil

#: GPUs are read at most this often: nvidia-smi takes tens of milliseconds and GPUs do not come and go.
GPU_CACHE_SECONDS = 300.0


@dataclass
class _GpuCache:
    read_at: float = -GPU_CACHE_SECONDS
    gpus: list[dict[str, Any]] | None = None


_gpu_cache = _GpuCache()


def cpu_count() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return psutil.cpu_count() or 1


def gpus() -> list[dict[str, Any]]:
    """The GPUs ``nvidia-smi`` lists: model and memory in MiB; empty without an NVIDIA driver."""
    now = time.monotonic()
    if _gpu_cache.gpus is not None and now - _gpu_cache.read_at < GPU_CACHE_SECONDS:
        return _gpu_cache.gpus
    found: list[dict[str, Any]] = []
    smi = shutil.which("nvidia-smi")
    if smi:
        try:
            out = subprocess.run(
                [smi, "--query-gpu=name,memory.total", "--format=csv,noheader,nounits"],
                capture_output=True,
                text=True,
                timeout=5,
                check=True,
            ).stdout
            for line in out.splitlines():
                name, _, memory = line.rpartition(",")
                if name.strip():
                    found.append({"model": name.strip(), "memoryMiB": int(float(memory.strip() or 0))})
        except (OSError, subprocess.SubprocessError, ValueError):
            found = []
    _gpu_cache.read_at, _gpu_cache.gpus = now, found
    return found


def snapshot(kernel_pid: int | None = None) -> dict[str, Any]:
    """Totals and current use of this machine, and of the kernel's process (and its children) when given."""
    memory = psutil.virtual_memory()
    result: dict[str, Any] = {
        "cpuCount": cpu_count(),
        "memoryBytes": memory.total,
        "gpus": gpus(),
        # Since the previous call (psutil keeps the last reading); the first call of a process reads 0.
        "cpuPercent": psutil.cpu_percent(interval=None),
        "memoryUsedBytes": memory.total - memory.available,
        "kernel": None,
    }
    if kernel_pid is not None:
        try:
            process = psutil.Process(kernel_pid)
            with process.oneshot():
                rss = process.memory_info().rss
                children = process.children(recursive=True)
            for child in children:
                try:
                    rss += child.memory_info().rss
                except psutil.Error:
                    pass
            result["kernel"] = {"pid": kernel_pid, "memoryBytes": rss}
        except psutil.Error:
            result["kernel"] = None
    return result
