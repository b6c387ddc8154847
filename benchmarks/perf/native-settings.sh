#!/usr/bin/env bash
# Native build flags and BLAS thread settings, reference/full, one JSON summary line each (tok/s, ms and CPU ms per
# step, final loss). Rebuilds @lookright/native with each -march / fast-math variant, runs them interleaved
# (ROUNDS rounds), restores the default build, then compares 2 vs 1 BLAS threads and OPENBLAS_THREAD_TIMEOUT, and
# two processes sharing the machine via `bench:train --copies 2`. Needs g++, libopenblas-dev and python3-torch;
# takes ~10 minutes on 2 cores. Usage: bash benchmarks/perf/native-settings.sh [ROUNDS=2]
set -uo pipefail
cd "$(dirname "$0")/../.."
export npm_config_nodedir=/usr
rounds=${1:-2}
one=(node --import tsx benchmarks/perf/train-throughput/run-one.ts --config reference --mode full --native on)
torch=(/usr/bin/python3 benchmarks/perf/reference/train_throughput.py --config reference --mode full)
torch_blas=${LOOKRIGHT_BENCH_TORCH_BLAS_DIR:-/usr/lib/x86_64-linux-gnu/openblas-openmp}
summary() {
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for(const l of s.split("\n")){if(!l.startsWith("{"))continue;const j=JSON.parse(l);console.log(JSON.stringify({tok_s:j.tokens_per_s,ms:j.ms_per_step,cpu_ms:j.cpu_ms_per_step,loss:j.final_loss}))}})'
}
build() { LOOKRIGHT_NATIVE_MARCH=$1 LOOKRIGHT_NATIVE_FAST_MATH=$2 pnpm --filter @lookright/native run build >/dev/null 2>&1; }
# PyTorch gets the OpenBLAS kernels the addon picks for itself (SkylakeX on AVX-512 CPUs)
if [ -z "${LOOKRIGHT_BLAS_CORETYPE:-}" ] && grep -qw avx512f /proc/cpuinfo; then export OPENBLAS_CORETYPE=SkylakeX; fi

echo "load: $(uptime)"
addon=packages/native/build/Release/lookright_native.node
variants=/tmp/lookright-native-variants
mkdir -p "$variants"
for v in native:0 x86-64-v3:0 none:0 native:1; do
  build "${v%%:*}" "${v##*:}" && cp "$addon" "$variants/$v.node"
done
for round in $(seq "$rounds"); do
  for v in native:0 x86-64-v3:0 none:0 native:1; do
    cp "$variants/$v.node" "$addon"
    echo "-march=${v%%:*} fast-math=${v##*:} round $round: $("${one[@]}" | summary)"
  done
done
env -u LOOKRIGHT_NATIVE_MARCH -u LOOKRIGHT_NATIVE_FAST_MATH pnpm --filter @lookright/native run build >/dev/null 2>&1 # the default build again
echo "2 BLAS threads, no OPENBLAS_THREAD_TIMEOUT: $(env -u OPENBLAS_THREAD_TIMEOUT "${one[@]}" | summary)"
echo "2 BLAS threads, OPENBLAS_THREAD_TIMEOUT=4: $(OPENBLAS_THREAD_TIMEOUT=4 "${one[@]}" | summary)"
echo "1 BLAS thread: $(OPENBLAS_NUM_THREADS=1 "${one[@]}" | summary)"
echo "PyTorch 2 threads: $(LD_LIBRARY_PATH=$torch_blas "${torch[@]}" --threads 2 | summary)"
echo "PyTorch 1 thread: $(LD_LIBRARY_PATH=$torch_blas "${torch[@]}" --threads 1 | summary)"
echo "two processes at once, 1 BLAS thread each:"
OPENBLAS_NUM_THREADS=1 OPENBLAS_THREAD_TIMEOUT=4 pnpm -s bench:train --configs reference,large --modes full --native on --copies 2
echo "two processes at once, 2 BLAS threads each:"
OPENBLAS_NUM_THREADS=2 OPENBLAS_THREAD_TIMEOUT=4 pnpm -s bench:train --configs reference --modes full --native on --copies 2
echo "load: $(uptime)"
