#!/usr/bin/env bash
# GPU device check for the webgpu backend, for a machine with a GPU. Needs no network: it only reads what is
# installed and runs the webgpu specs. Prints nvidia-smi, the Vulkan ICD files, vulkaninfo's summary, the adapter
# Dawn finds with its limits, then runs the webgpu parity, gradient, guard and training specs on that adapter.
# Usage (from the repository root): bash benchmarks/gpu/device-check.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
section() { printf '\n== %s\n' "$1"; }

section 'nvidia-smi'
if command -v nvidia-smi >/dev/null; then nvidia-smi; else echo 'nvidia-smi not found'; fi

section 'Vulkan loader and ICD files'
ls -l /usr/lib/x86_64-linux-gnu/libvulkan.so.1 2>/dev/null || echo 'libvulkan.so.1 not found (apt-get install -y libvulkan1)'
for dir in /usr/share/vulkan/icd.d /etc/vulkan/icd.d /usr/local/share/vulkan/icd.d; do
  [ -d "$dir" ] && ls -l "$dir"
done
if command -v vulkaninfo >/dev/null; then vulkaninfo --summary 2>&1 | head -40; else echo 'vulkaninfo not found (vulkan-tools)'; fi

section "Dawn's hardware adapter"
unset LOOKRIGHT_WEBGPU_ADAPTER
node --import tsx benchmarks/gpu/adapter-info.ts
adapter=$?

section 'webgpu specs on the hardware adapter'
if [ "$adapter" -ne 0 ]; then
  echo 'skipped: no hardware adapter (see above)'
  exit 1
fi
start=$(date +%s)
npx mocha packages/engine/src/backend/webgpu-backend.spec.ts packages/engine/src/backend/webgpu-parity.spec.ts \
  packages/train/src/cell/webgpu-training.spec.ts packages/train/src/cell/webgpu-quickstart.spec.ts
status=$?
echo "webgpu specs: exit $status in $(($(date +%s) - start)) s"
exit "$status"
