#!/usr/bin/env bash
# The benchmark of BENCHMARKS.md (issue #7): builds the release CLI, sets up
# the pandas baseline's venv (bench/.venv, from PyPI, pinned in
# requirements.txt), then runs bench/bench.py.
#
#   bench/run.sh                      # 100k, 1M and 5M lines, one run each
#   bench/run.sh --runs 3 1000000     # the median of 3 runs at 1M lines
#   SEGSCOPE_DIST=/tmp/dist bench/run.sh --browser 1000000
#                                     # also time the release app in Chromium
#   bench/run.sh --check              # 100k lines: do the CLI and the
#                                     # baseline agree? (exit 1 if not)
#
# Generated data stays in bench/data/ and outputs in bench/out/ (both
# ignored by git); results as JSON in bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release -p segscope-cli
if [ ! -x bench/.venv/bin/python ] || [ bench/requirements.txt -nt bench/.venv/.stamp ]; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install --quiet --disable-pip-version-check -r bench/requirements.txt
  touch bench/.venv/.stamp
fi
if [ "${1:-}" = "--check" ]; then
  exec bench/.venv/bin/python bench/bench.py 100000
fi
exec bench/.venv/bin/python bench/bench.py "$@"
