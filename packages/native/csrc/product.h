// Matrix products whose sums run in a fixed order (csrc/product.cc).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace lookright {

/**
 * out [m, n] (row stride ldo) = A [m, K] B [K, n], A read at a[i*aRow + k*aCol] (row-major: aRow K, aCol 1; stored
 * transposed: aRow 1, aCol m), B row-major with row stride ldb. Each output sums its K terms by one fused
 * multiply-add each in K order from zero, K in chunks of 256 added into the output; a row's result does not depend
 * on m, n or on which rows are computed together, so rows may be split over threads.
 */
void Product(const float* a, int64_t aRow, int64_t aCol, const float* b, int64_t ldb, float* out, int64_t ldo,
             int64_t m, int64_t n, int64_t K);

/**
 * Whether Product gives the bits of gemm.cc's SgemmInChunks on one OpenBLAS thread here, for both A layouts, K within
 * one chunk and over several (checked once). Another BLAS kernel family (Haswell's sums depend on a row's position)
 * or a build without AVX-512 can differ; callers then keep the BLAS path.
 */
bool ProductMatchesBlas();

/** n values in [-0.5, 0.5) from a linear congruential stream seeded with `seed`: operands for the load-time checks. */
inline std::vector<float> ProbeOperand(int64_t n, uint32_t seed) {
  std::vector<float> v(static_cast<size_t>(n));
  for (auto& x : v) {
    seed = seed * 1664525u + 1013904223u;
    x = static_cast<float>(seed >> 8) / 16777216.0f - 0.5f;
  }
  return v;
}

}  // namespace lookright
