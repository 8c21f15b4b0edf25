#!/usr/bin/env bash
# Installs what the tests need on a fresh machine and runs every test: packaging checks, lint, Jest, pytest
# (real HTTP, boto3 against the local backend, the signing proxy) and Galata in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
YARN_NPM_REGISTRY_SERVER="$(npm config get registry)"
export YARN_NPM_REGISTRY_SERVER

step() { printf '\n=== %s ===\n' "$*"; }

if ! command -v chromium > /dev/null; then
  step "Installing Debian's Chromium"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core > /dev/null
fi

step "Install (frontend build, wheel)"
bash scripts/install.sh

step "Packaging: the wheel's extensions are enabled and OK"
jupyter server extension list 2>&1 | tee /tmp/server-ext.txt | grep -iE "jupyterlab_sagemaker_studio.*OK"
jupyter labextension list 2>&1 | tee /tmp/lab-ext.txt | grep -iE "jupyterlab-sagemaker-studio.*enabled.*OK"
# The extension template's browser_check downloads its own browser, which this network forbids; the Galata
# run below loads JupyterLab in Debian's Chromium instead, and pytest (test_proxy.py) starts a server with
# allow_unauthenticated_access=False to prove every handler is authenticated.

step "Lint (eslint, prettier, stylelint; ruff for Python)"
jlpm lint:check
ruff check jupyterlab_sagemaker_studio bench scripts
ruff format --check jupyterlab_sagemaker_studio bench scripts

step "Jest"
jlpm test --ci

step "SageMaker Python SDK in its own venv (its pins must not change the server's packages), as the sagemaker-sdk kernel"
SAGEMAKER_SDK_PYTHON="$(bash scripts/sdk_kernel.sh)"
export SAGEMAKER_SDK_PYTHON

step "pytest"
python3 -m pytest -q -p no:cacheprovider jupyterlab_sagemaker_studio/tests

step "Galata (Playwright in /usr/bin/chromium, server in local mode)"
cd "$root/ui-tests"
jlpm install --immutable
jlpm playwright test
