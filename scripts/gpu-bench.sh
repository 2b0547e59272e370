#!/usr/bin/env bash
# GPU self-test and benchmark of the webgpu backend, for the GPU machine (no Node.js, no Vulkan loader there).
#
# Here, after `npm run build`:   bash /work/shared/tools/device-prep.sh      (packs node, dist, node_modules)
# On the device (repo root, carrying .device):   bash scripts/gpu-bench.sh [--quick]
# Locally against lavapipe:      npm run build && bash /work/shared/tools/device-prep.sh && \
#                                OUT=/tmp/gpu-out bash scripts/gpu-bench.sh --local --quick
# --max-qubits N caps the largest state the benchmark allocates (default 33 on a GPU, 20 on a software device).
# --no-selftest skips the self-test; arguments after -- go to the benchmark (e.g. -- --sizes 30 --only kernels).
#
# Writes to $OUT: selftest.log/.json, bench.log/.json and device.txt (nvidia-smi, Vulkan ICD). --local keeps this
# machine's loader and node and only unpacks the packed app, so the packing itself is what gets tested.
set -uo pipefail
local_run=0
selftest=1
bench_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --local) local_run=1 ;;
    --quick) bench_args+=(--quick) ;;
    --max-qubits) bench_args+=(--max-qubits "$2"); shift ;;
    --no-selftest) selftest=0 ;;
    --) shift; bench_args+=("$@"); break ;;
    *) echo "usage: gpu-bench.sh [--local] [--quick] [--max-qubits N] [--no-selftest] [-- bench args]" >&2; exit 2 ;;
  esac
  shift
done
: "${OUT:?set OUT to the folder that receives the results}"
mkdir -p "$OUT"
[ -f .device/app.tar.xz ] || { echo "no .device/app.tar.xz: run device-prep.sh after npm run build" >&2; exit 2; }

if [ "$local_run" = 0 ]; then
  for f in .device/gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
  xz -dc .device/node.xz > /usr/local/bin/node
  chmod +x /usr/local/bin/node
  if [ -f /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json ]; then
    export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
    export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
  fi
fi
app=$(mktemp -d /tmp/maml-app.XXXXXX)
xz -dc .device/app.tar.xz | tar -C "$app" -xf -

{
  echo "date: $(date -u +%FT%TZ)"
  echo "node: $(node --version)"
  command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.memory --format=csv
  echo "VK_DRIVER_FILES=${VK_DRIVER_FILES:-}"
  ldconfig -p | grep -E 'libvulkan' || echo "no libvulkan in ldconfig"
} > "$OUT/device.txt" 2>&1
cat "$OUT/device.txt"

cd "$app"
self=0
if [ "$selftest" = 1 ]; then
  timeout 120 node dist/quantum-gpu/selftest.js --json "$OUT/selftest.json" 2>&1 | grep -v '^Warning: maxDynamic' | tee "$OUT/selftest.log"
  self=${PIPESTATUS[0]}
fi
tag=${BENCH_TAG:-bench}
timeout "${BENCH_TIMEOUT:-400}" node dist/quantum-gpu/bench-main.js "${bench_args[@]}" --json "$OUT/$tag.json" 2>&1 | grep -v '^Warning: maxDynamic' | tee "$OUT/$tag.log"
bench=${PIPESTATUS[0]}
rm -rf "$app"
echo "selftest exit $self, bench exit $bench"
[ "$self" = 0 ] && [ "$bench" = 0 ]
