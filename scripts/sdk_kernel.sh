#!/usr/bin/env bash
# The "Python 3 (SageMaker SDK)" kernel: the SageMaker Python SDK in its own venv (its pins must not change the
# server's packages), registered with the Jupyter that runs the server as the kernelspec `sagemaker-sdk`, which the
# notebooks in examples/ name. The suite's wheel (dist/, built by scripts/install.sh) goes into the venv without
# its dependencies: local-mode kernels name its botocore plugin, which keeps the SDK's explicit AWS endpoints on
# the local backend. Idempotent. Used by scripts/start.sh and scripts/test.sh; prints the venv's python.
set -euo pipefail
cd "$(dirname "$0")/.."

sdk_venv="${SAGEMAKER_SDK_VENV:-/tmp/sagemaker-sdk-venv}"
[ -x "$sdk_venv/bin/python" ] || python3 -m venv "$sdk_venv"
pip_quiet=(--quiet --disable-pip-version-check)
"$sdk_venv/bin/pip" install "${pip_quiet[@]}" "sagemaker==2.257.7" "scikit-learn>=1.3" "ipykernel>=6.29" >&2
if compgen -G "dist/*.whl" > /dev/null; then
  "$sdk_venv/bin/pip" install "${pip_quiet[@]}" --force-reinstall --no-deps dist/*.whl >&2
fi
# The kernelspec goes where the Jupyter that runs the server looks (SAGEMAKER_SDK_KERNEL_PREFIX to put it elsewhere).
jupyter_prefix="${SAGEMAKER_SDK_KERNEL_PREFIX:-$(python3 -c 'import sys; print(sys.prefix)')}"
"$sdk_venv/bin/python" -m ipykernel install --prefix "$jupyter_prefix" --name sagemaker-sdk \
  --display-name "Python 3 (SageMaker SDK)" >&2
echo "$sdk_venv/bin/python"
