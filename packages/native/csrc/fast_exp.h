// expf without a libm call, so loops calling it vectorise. Cephes-style: range
// reduction by ln 2 in two parts, degree-6 polynomial, scale by 2^n built from the exponent bits.
// Max relative error about 2e-7 on [-87, 88.7]. Special values as IEEE expf: NaN -> NaN, -inf -> 0,
// +inf and overflow -> +inf; results below ~1e-38 flush to 0. NaN is detected on the bit pattern (integer
// compare), so it survives files compiled with finite-math assumptions (see VECTORIZE_FLOAT_LOOPS).
#pragma once
#include <cstdint>
#include <cstring>

// GCC if-converts ExpF's clamps and selects (and so vectorises loops calling it) only without trapping math,
// with finite math and without signed zeros. Files that include this header after defining
// LOOKRIGHT_VECTORIZE_FLOAT_LOOPS get those options; NaN/Inf handling must then use IsNanBits, never x != x.
#ifdef LOOKRIGHT_VECTORIZE_FLOAT_LOOPS
#pragma GCC optimize("no-trapping-math", "finite-math-only", "no-signed-zeros")
#endif

namespace lookright {

/** NaN test on the bits: valid even where the compiler may assume floats are finite. */
inline bool IsNanBits(float x) {
  int32_t b;
  std::memcpy(&b, &x, sizeof b);
  return (b & 0x7fffffff) > 0x7f800000;
}

inline float ExpF(float x) {
  constexpr float kHi = 88.72283905206835f;   // ln(FLT_MAX)
  constexpr float kLo = -87.33654475055310f;  // ln(FLT_MIN)
  float xc = x > kHi ? kHi : x;
  xc = xc < kLo ? kLo : xc;
  const float t = xc * 1.44269504088896341f + 0.5f;
  int32_t n = static_cast<int32_t>(t);
  n = t < static_cast<float>(n) ? n - 1 : n;  // floor
  const float fn = static_cast<float>(n);
  const float r = (xc - fn * 0.693359375f) + fn * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float y = p * r * r + r + 1.0f;
  // 2^n as 2^(n-1) * 2 keeps n = 128 (x near ln FLT_MAX) representable.
  const int32_t bits = (n + 126) << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  float out = y * scale * 2.0f;
  out = x > kHi ? __builtin_inff() : out;
  out = x < kLo ? 0.0f : out;
  return IsNanBits(x) ? x : out;
}

}  // namespace lookright
