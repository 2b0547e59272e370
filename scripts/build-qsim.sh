#!/usr/bin/env bash
# Builds Google's qsim outside the repository for the side-by-side benchmark (bench/qsim-compare.ts); nothing of it
# is committed. Usage: scripts/build-qsim.sh DIR [cuda]
#   DIR   where to put the source and the binaries (created; e.g. /tmp/qsim)
#   cuda  also build apps/qsim_base_cuda.cu with nvcc (the GPU comparison)
# The source comes from QSIM_SRC (a local clone) when set, else from https://github.com/quantumlib/qsim.
set -euo pipefail
if [ "${1:-}" = "--help" ] || [ $# -lt 1 ]; then
  sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
fi
dir=$1
mkdir -p "$dir"
if [ ! -d "$dir/src/lib" ]; then
  git clone -q --depth 1 "${QSIM_SRC:-https://github.com/quantumlib/qsim}" "$dir/src"
fi
g++ -O3 -march=native -fopenmp -o "$dir/qsim_base.x" "$dir/src/apps/qsim_base.cc"
if [ "${2:-}" = "cuda" ]; then
  nvcc -O3 --std=c++17 -o "$dir/qsim_base_cuda.x" "$dir/src/apps/qsim_base_cuda.cu"
fi
echo "built in $dir: $(cd "$dir" && ls ./*.x | tr '\n' ' ')"
