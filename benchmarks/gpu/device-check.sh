#!/usr/bin/env bash
# GPU device check for the webgpu backend, for a machine with a GPU. Needs no network: it only reads what is
# installed and runs the webgpu specs. Prints nvidia-smi, the Vulkan ICD files, vulkaninfo's summary, the adapter
# Dawn finds with its limits, then runs the webgpu parity, gradient, guard, 16-bit-weight and training specs on that
# adapter, then `pnpm bench:gpu` (reference, large and a Mistral-7B layer; f32 weights, then the 7B layer with bf16).
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
  packages/engine/src/ops/matmul16.spec.ts packages/engine/src/lora/pack-frozen-weights.spec.ts \
  packages/train/src/cell/webgpu-memory-plan.spec.ts \
  packages/train/src/cell/webgpu-training.spec.ts packages/train/src/cell/webgpu-quickstart.spec.ts
status=$?
echo "webgpu specs: exit $status in $(($(date +%s) - start)) s"

section 'bench:gpu (f32 weights)'
start=$(date +%s)
pnpm -s bench:gpu --json /tmp/bench-gpu-f32.json
bench=$?
echo "bench:gpu: exit $bench in $(($(date +%s) - start)) s"

section 'bench:gpu (the Mistral-7B layer with bf16 frozen weights)'
pnpm -s bench:gpu --only mistral-7b-layer --weights bf16 --json /tmp/bench-gpu-bf16.json
bench16=$?
[ "$status" -eq 0 ] && [ "$bench" -eq 0 ] && [ "$bench16" -eq 0 ]
exit $?
