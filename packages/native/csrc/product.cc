// Products summed in a fixed order: one fused multiply-add per term in K order from zero, K in chunks of 256 added
// into the output, as OpenBLAS's SkylakeX kernels sum them through gemm.cc's SgemmInChunks. ProductMatchesBlas()
// checks at load that the bits agree with this OpenBLAS; callers use Product only where it does.
#include "product.h"
#include <cblas.h>
#include <cmath>
#include <cstring>
#include <vector>
#include "buffers.h"
#if defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace lookright {

// K terms per chunk, as gemm.cc's kDepthChunk.
constexpr int64_t kDepthChunk = 256;

// out[i*ldo + j] (+)= sum over k in [k0, k1) of a[i*aRow + k*aCol] * b[k*ldb + j]; `add` adds the chunk's sum
// into out, else out is 0 + the sum (as a product with beta 0).
static void ProductChunk(const float* a, int64_t aRow, int64_t aCol, const float* b, int64_t ldb, float* out,
                         int64_t ldo, int64_t m, int64_t n, int64_t k0, int64_t k1, bool add) {
#if defined(__AVX512F__)
  // 4 rows x 64 columns of out per pass, 16 accumulators named one by one so they stay in registers; columns past
  // n are masked (loaded as zeros, never stored), rows past m repeat the last row and are not stored.
  for (int64_t i0 = 0; i0 < m; i0 += 4) {
    const float* a0 = a + i0 * aRow;
    const float* a1 = a + (i0 + 1 < m ? i0 + 1 : m - 1) * aRow;
    const float* a2 = a + (i0 + 2 < m ? i0 + 2 : m - 1) * aRow;
    const float* a3 = a + (i0 + 3 < m ? i0 + 3 : m - 1) * aRow;
    for (int64_t j0 = 0; j0 < n; j0 += 64) {
      const auto maskFor = [&](int v) -> __mmask16 {
        const int64_t left = n - j0 - 16 * v;
        return left >= 16 ? 0xffff : left <= 0 ? 0 : static_cast<__mmask16>((1u << left) - 1);
      };
      const __mmask16 m0 = maskFor(0), m1 = maskFor(1), m2 = maskFor(2), m3 = maskFor(3);
#define LOOKRIGHT_ROW_ACC(r) __m512 c##r##0 = _mm512_setzero_ps(), c##r##1 = c##r##0, c##r##2 = c##r##0, c##r##3 = c##r##0;
      LOOKRIGHT_ROW_ACC(0)
      LOOKRIGHT_ROW_ACC(1)
      LOOKRIGHT_ROW_ACC(2)
      LOOKRIGHT_ROW_ACC(3)
#undef LOOKRIGHT_ROW_ACC
      for (int64_t k = k0; k < k1; ++k) {
        const float* bk = b + k * ldb + j0;
        const __m512 b0 = _mm512_maskz_loadu_ps(m0, bk), b1 = _mm512_maskz_loadu_ps(m1, bk + 16);
        const __m512 b2 = _mm512_maskz_loadu_ps(m2, bk + 32), b3 = _mm512_maskz_loadu_ps(m3, bk + 48);
#define LOOKRIGHT_ROW_FMA(r)                         \
  {                                                  \
    const __m512 av = _mm512_set1_ps(a##r[k * aCol]); \
    c##r##0 = _mm512_fmadd_ps(av, b0, c##r##0);      \
    c##r##1 = _mm512_fmadd_ps(av, b1, c##r##1);      \
    c##r##2 = _mm512_fmadd_ps(av, b2, c##r##2);      \
    c##r##3 = _mm512_fmadd_ps(av, b3, c##r##3);      \
  }
        LOOKRIGHT_ROW_FMA(0)
        LOOKRIGHT_ROW_FMA(1)
        LOOKRIGHT_ROW_FMA(2)
        LOOKRIGHT_ROW_FMA(3)
#undef LOOKRIGHT_ROW_FMA
      }
      const auto store = [&](int64_t i, __m512 x0, __m512 x1, __m512 x2, __m512 x3) {
        if (i >= m) return;
        float* o = out + i * ldo + j0;
        const __m512 xs[4] = {x0, x1, x2, x3};
        const __mmask16 ms[4] = {m0, m1, m2, m3};
        for (int v = 0; v < 4 && ms[v]; ++v) {
          const __m512 prev = add ? _mm512_maskz_loadu_ps(ms[v], o + 16 * v) : _mm512_setzero_ps();
          _mm512_mask_storeu_ps(o + 16 * v, ms[v], _mm512_add_ps(xs[v], prev));
        }
      };
      store(i0, c00, c01, c02, c03);
      store(i0 + 1, c10, c11, c12, c13);
      store(i0 + 2, c20, c21, c22, c23);
      store(i0 + 3, c30, c31, c32, c33);
    }
  }
#else
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < n; ++j) {
      float acc = 0.0f;
      for (int64_t k = k0; k < k1; ++k) acc = std::fma(a[i * aRow + k * aCol], b[k * ldb + j], acc);
      float* o = out + i * ldo + j;
      *o = acc + (add ? *o : 0.0f);
    }
  }
#endif
}

void Product(const float* a, int64_t aRow, int64_t aCol, const float* b, int64_t ldb, float* out, int64_t ldo,
                    int64_t m, int64_t n, int64_t K) {
  for (int64_t k0 = 0; k0 < K; k0 += kDepthChunk) {
    const int64_t k1 = K - k0 < kDepthChunk ? K : k0 + kDepthChunk;
    ProductChunk(a, aRow, aCol, b, ldb, out, ldo, m, n, k0, k1, k0 > 0);
  }
}

bool ProductMatchesBlas() {
  static const bool exact = [] {
    const int64_t shapes[][3] = {{64, 64, 64}, {37, 80, 9}, {13, 16, 300}, {64, 64, 600}};
    const int threads = openblas_get_num_threads();
    openblas_set_num_threads(1);
    bool same = true;
    for (const auto& s : shapes) {
      const int64_t m = s[0], n = s[1], k = s[2];
      std::vector<float> a = ProbeOperand(m * k, 2024), b = ProbeOperand(k * n, 4202), ours(m * n), blas(m * n);
      for (const bool ta : {false, true}) {
        Product(a.data(), ta ? 1 : k, ta ? m : 1, b.data(), n, ours.data(), n, m, n, k);
        SgemmInChunks(ta, false, m, n, k, a.data(), ta ? m : k, b.data(), n, 0.0f, blas.data(), n);
        same = same && std::memcmp(ours.data(), blas.data(), ours.size() * sizeof(float)) == 0;
      }
    }
    openblas_set_num_threads(threads);
    return same;
  }();
  return exact;
}

}  // namespace lookright
