// Seeded inverted dropout, out = x * mask, with the mask of the engine's dropoutMask (packages/engine/src/ops/
// dropout.ts): element i keeps (factor `keep`) when the i-th draw of mulberry32 (core's SeededRng) seeded with
// `seed` is >= threshold, else gets factor 0. Applied to dy with the same seed it is the gradient.
#include <cmath>
#include <cstdint>
#include "buffers.h"
#include "parallel.h"

namespace lookright {

// mulberry32, step for step as SeededRng.nextUint32 (uint32 wrap-around = Math.imul and `>>> 0`)
static inline uint32_t NextUint32(uint32_t& state) {
  state += 0x6d2b79f5u;
  uint32_t t = state;
  t = (t ^ (t >> 15)) * (t | 1u);
  t ^= t + (t ^ (t >> 7)) * (t | 61u);
  return t ^ (t >> 14);
}

// Elements [begin, end): the state before draw i is seed + i * 0x6d2b79f5 (mod 2^32), so a block starts its stream
// directly. Scalars are parameters (not lambda captures), so the loop vectorises as the serial one did.
// The draw is compared as an integer: draw >= threshold exactly when draw >= ceil(threshold), and a threshold past
// every draw (or NaN) keeps nothing; the same mask as the double compare at twice its speed (no widening per lane).
static void DropoutRange(const float* x, float* out, uint32_t seed, double threshold, float keep, int64_t begin,
                         int64_t end) {
  constexpr double kLargestDraw = 4294967295.0;
  if (!(threshold <= kLargestDraw)) keep = 0.0f;
  const uint32_t cut = threshold > 0 && threshold <= kLargestDraw ? static_cast<uint32_t>(std::ceil(threshold)) : 0u;
  uint32_t state = seed + static_cast<uint32_t>(begin) * 0x6d2b79f5u;
  for (int64_t i = begin; i < end; ++i) {
    const float factor = NextUint32(state) >= cut ? keep : 0.0f;
    out[i] = x[i] * factor;
  }
}

// dropoutApply(x, out, seed, threshold, keep)
Napi::Value DropoutApply(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  const float* x = F32(info[0]);
  float* out = F32(info[1]);
  const uint32_t seed = static_cast<uint32_t>(Int(info[2]));
  const double threshold = Num(info[3]);
  const float keep = static_cast<float>(Num(info[4]));
  const size_t n = Len(info[0]);
  if (Fail(env, Len(info[1]) == n, "dropoutApply: x and out differ in length")) return env.Undefined();
  ParallelFor(static_cast<int64_t>(n), kElementsPerChunk,
              [&](int64_t begin, int64_t end) { DropoutRange(x, out, seed, threshold, keep, begin, end); });
  return env.Undefined();
}

}  // namespace lookright
