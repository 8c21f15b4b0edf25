#!/usr/bin/env bash
# Installs the suite from this checkout on a fresh machine: JupyterLab, the frontend build, the Python package
# (as a wheel, the way users get it). Idempotent. Used by scripts/start.sh and scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

# jlpm must use the registry npm is configured with (no host names in the repo).
YARN_NPM_REGISTRY_SERVER="$(npm config get registry)"
export YARN_NPM_REGISTRY_SERVER
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

python3 -m pip install --quiet --disable-pip-version-check "jupyterlab==4.6.6" "build>=1.2" "hatchling>=1.21" "hatch-nodejs-version>=0.3.2" "hatch-jupyter-builder>=0.9"
jlpm install --immutable
jlpm build:prod
# Build the wheel users install, then install it (the labextension is already built, so no Node is needed here).
rm -rf dist
python3 -m build --wheel --no-isolation --outdir dist . > /dev/null
python3 -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps dist/*.whl
python3 -m pip install --quiet --disable-pip-version-check "$(ls dist/*.whl)[test,demo]"
