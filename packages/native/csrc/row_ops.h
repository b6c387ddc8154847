// Row operations shared by the separate kernels and the fused attention kernel (csrc/attention.cc). Each is
// compiled once, so the fused kernel computes exactly the values the separate kernels do.
#pragma once
#include <cstdint>

namespace lookright {

/** yr = softmax(scale * sr + mr) over C values (sr and yr may be the same row). NaN and +Inf propagate. */
void SoftmaxRow(const float* sr, const float* mr, float* yr, int64_t C, float scale);

/** dsr = scale * yr * (dyr - sum(dyr * yr)) over C values (dyr and dsr may be the same row). */
void SoftmaxGradRow(const float* yr, const float* dyr, float* dsr, int64_t C, float scale);

/**
 * RoPE on one head row of D values (HF rotate_half layout): out[d] = in[d] c[d] - in[d+D/2] s, out[d+D/2] =
 * in[d+D/2] c[d] + in[d] s with s = sign * sn[d], d < D/2. sign 1 rotates, -1 undoes it (its gradient).
 */
void RotateRow(const float* in, float* out, const float* c, const float* sn, int64_t D, float sign);

}  // namespace lookright
