#!/usr/bin/env bash
# Installs everything and starts JupyterLab with the suite in local mode (demo content on first start).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
# The "Python 3 (SageMaker SDK)" kernel the notebooks in examples/ use.
bash scripts/sdk_kernel.sh > /dev/null
args=(--SageMakerStudio.mode=local)
# Jupyter refuses to start as root without this flag, and fresh machines and containers often run as root.
if [ "$(id -u)" = "0" ]; then
  args+=(--allow-root)
fi
exec jupyter lab "${args[@]}" "$@"
