// expf without a libm call, so loops calling it vectorise (no fast-math needed). Cephes-style: range
// reduction by ln 2 in two parts, degree-6 polynomial, scale by 2^n built from the exponent bits.
// Max relative error about 2e-7 on [-87, 88.7]. Special values as IEEE expf: NaN -> NaN, -inf -> 0,
// +inf and overflow -> +inf; results below ~1e-38 flush to 0.
#pragma once
#include <cstdint>
#include <cstring>
#include <limits>

namespace lookright {

inline float ExpF(float x) {
  constexpr float kHi = 88.72283905206835f;   // ln(FLT_MAX)
  constexpr float kLo = -87.33654475055310f;  // ln(FLT_MIN)
  const float xc = x > kHi ? kHi : (x < kLo ? kLo : x);
  const float t = xc * 1.44269504088896341f + 0.5f;
  int32_t n = static_cast<int32_t>(t);
  n -= (t < static_cast<float>(n)) ? 1 : 0;  // floor
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
  const int32_t bits = (n - 1 + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  float out = y * scale * 2.0f;
  out = x > kHi ? std::numeric_limits<float>::infinity() : out;
  out = x < kLo ? 0.0f : out;
  return x != x ? x : out;
}

}  // namespace lookright
