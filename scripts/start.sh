#!/usr/bin/env bash
# Installs everything and starts JupyterLab with the suite in local mode (demo content on first start).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
exec jupyter lab --SageMakerStudio.mode=local "$@"
