// Grouped-query attention with RoPE fused into one pass per (batch, key/value head), forward and backward.
// q [B,S,H*D], k and v [B,S,KV*D] in the projections' layout; query head h reads key/value head h / (H / KV).
// Per task the heads are gathered (q and k rotated) into scratch that stays in cache, then
//   forward:  P = softmax(scale * Q K^T + mask), ctx = P V (P saved for the backward pass);
//   backward: dP = dctx V^T, dS = scale * P * (dP - rowsum(dP * P)), dV = P^T dctx, dQ = dS K, dK = dS^T Q,
// dq and dk rotated back, every gradient written in the projections' layout.
// The values are bit for bit those of the separate kernels (heads split with RoPE, OpenBLAS products, the masked
// softmax, heads merged): the rows go through the same compiled row functions (row_ops.h), and every product
// sums its K terms as the OpenBLAS kernels do, one fused multiply-add per term in K order from zero, in chunks of
// 256 added into the output (gemm.cc's SgemmInChunks). Each task runs on one thread, so results do not depend
// on the thread count.
#include <cblas.h>
#include <cmath>
#include <cstring>
#include <vector>
#include "buffers.h"
#include "parallel.h"
#include "row_ops.h"
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

// out [m, n] (row stride ldo) = A [m, K] B [K, n], A read at a[i*aRow + k*aCol], B row-major with row stride ldb.
static void Product(const float* a, int64_t aRow, int64_t aCol, const float* b, int64_t ldb, float* out, int64_t ldo,
                    int64_t m, int64_t n, int64_t K) {
  for (int64_t k0 = 0; k0 < K; k0 += kDepthChunk) {
    const int64_t k1 = K - k0 < kDepthChunk ? K : k0 + kDepthChunk;
    ProductChunk(a, aRow, aCol, b, ldb, out, ldo, m, n, k0, k1, k0 > 0);
  }
}

// Whether Product gives the bits of SgemmInChunks on one OpenBLAS thread (as the separate kernels run attention's
// small per-head products) for both operand layouts it serves, K within one chunk and over several; checked once.
// Another BLAS kernel family (e.g. Haswell's, whose sums depend on a row's position) or a build without AVX-512
// can differ: then the separate kernels keep running, so a cell's numbers never depend on which path ran.
static bool ProductMatchesBlas() {
  static const bool exact = [] {
    const int64_t shapes[][3] = {{64, 64, 64}, {37, 80, 9}, {13, 16, 300}, {64, 64, 600}};
    const int threads = openblas_get_num_threads();
    openblas_set_num_threads(1);
    bool same = true;
    for (const auto& s : shapes) {
      const int64_t m = s[0], n = s[1], k = s[2];
      std::vector<float> a(m * k), b(k * n), ours(m * n), blas(m * n);
      uint32_t state = 2024;
      for (auto* v : {&a, &b}) {
        for (auto& x : *v) {
          state = state * 1664525u + 1013904223u;
          x = static_cast<float>(state >> 8) / 16777216.0f - 0.5f;
        }
      }
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

Napi::Value AttentionExact(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), ProductMatchesBlas()); }

// dst [cols, rows] = src [rows, cols] transposed.
static void Transpose(const float* src, int64_t rows, int64_t cols, float* dst) {
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) dst[c * rows + r] = src[r * cols + c];
  }
}

// Sizes, mask strides and RoPE tables of one call.
struct AttentionDims {
  int64_t B, S, H, KV, D;
  bool rotate, perBatch;
  const float* cos;
  const float* sin;
  int64_t tableStride, sinOffset;
  int64_t G() const { return H / KV; }
};

// Gathers head `head` of batch b from x [B,S,heads*D] into dst [S,D], rotated when `rotate` and dims.rotate.
static void GatherHead(const AttentionDims& dims, const float* x, int64_t heads, int64_t b, int64_t head, bool rotate,
                       float* dst) {
  const int64_t S = dims.S, D = dims.D;
  for (int64_t s = 0; s < S; ++s) {
    const float* in = x + ((b * S + s) * heads + head) * D;
    float* out = dst + s * D;
    if (rotate && dims.rotate) {
      const int64_t row = dims.perBatch ? b * S + s : s;
      RotateRow(in, out, dims.cos + row * dims.tableStride, dims.sin + row * dims.tableStride + dims.sinOffset, D,
                1.0f);
    } else {
      for (int64_t d = 0; d < D; ++d) out[d] = in[d];
    }
  }
}

// Writes src [S,D] as head `head` of batch b of y [B,S,heads*D], rotated back (sign -1) when rotate.
static void ScatterHead(const AttentionDims& dims, const float* src, float* y, int64_t heads, int64_t b, int64_t head,
                        bool rotate) {
  const int64_t S = dims.S, D = dims.D;
  for (int64_t s = 0; s < S; ++s) {
    float* out = y + ((b * S + s) * heads + head) * D;
    const float* in = src + s * D;
    if (rotate && dims.rotate) {
      const int64_t row = dims.perBatch ? b * S + s : s;
      RotateRow(in, out, dims.cos + row * dims.tableStride, dims.sin + row * dims.tableStride + dims.sinOffset, D,
                -1.0f);
    } else {
      for (int64_t d = 0; d < D; ++d) out[d] = in[d];
    }
  }
}

// Scratch per thread, grown on demand.
struct AttentionScratch {
  std::vector<float> q, k, kt, v, vt, dctx, dp, dq, dk;
  static AttentionScratch& Get() {
    thread_local AttentionScratch scratch;
    return scratch;
  }
};

// Reads B, S, H, KV, D from info[first..first+4] and rotate, perBatch, tableStride, sinOffset from
// info[tableArgs..tableArgs+3]; throws a RangeError (and returns false) when they do not fit.
static bool ReadDims(const Napi::CallbackInfo& info, size_t first, size_t tableArgs, const Napi::Value& cos,
                     const Napi::Value& sin, AttentionDims* dims, const char* name) {
  auto env = info.Env();
  dims->B = Int(info[first]);
  dims->S = Int(info[first + 1]);
  dims->H = Int(info[first + 2]);
  dims->KV = Int(info[first + 3]);
  dims->D = Int(info[first + 4]);
  dims->rotate = Bool(info[tableArgs]);
  dims->perBatch = Bool(info[tableArgs + 1]);
  dims->tableStride = Int(info[tableArgs + 2]);
  dims->sinOffset = Int(info[tableArgs + 3]);
  dims->cos = F32(cos);
  dims->sin = F32(sin);
  const int64_t rowsNeeded = dims->perBatch ? dims->B * dims->S : dims->S;
  const int64_t half = dims->D / 2;
  const bool tablesFit = !dims->rotate || (dims->D % 2 == 0 &&
                                           Len(cos) >= static_cast<size_t>((rowsNeeded - 1) * dims->tableStride + half) &&
                                           Len(sin) >= static_cast<size_t>((rowsNeeded - 1) * dims->tableStride +
                                                                           dims->sinOffset + half));
  const bool ok = dims->KV > 0 && dims->H % dims->KV == 0 && dims->S > 0 && dims->D > 0 && tablesFit;
  return !Fail(env, ok, name);
}

// attentionForward(q, k, v, mask, cos, sin, ctx, probs, B, S, H, KV, D, maskStrideB, maskStrideH, maskStrideR,
//                  scale, rotate, perBatch, tableStride, sinOffset)
// Mask element (b, h, r, j) is mask[b*strideB + h*strideH + r*strideR + j] (stride 0 broadcasts). ctx [B,S,H*D],
// probs [B,H,S,S].
Napi::Value AttentionForward(const Napi::CallbackInfo& info) {
  AttentionDims dims;
  if (!ReadDims(info, 8, 17, info[4], info[5], &dims, "attentionForward: bad sizes or RoPE tables too small")) {
    return info.Env().Undefined();
  }
  const float* q = F32(info[0]);
  const float* k = F32(info[1]);
  const float* v = F32(info[2]);
  const float* mask = F32(info[3]);
  float* ctx = F32(info[6]);
  float* probs = F32(info[7]);
  const int64_t sB = Int(info[13]), sH = Int(info[14]), sR = Int(info[15]);
  const float scale = static_cast<float>(Num(info[16]));
  const int64_t S = dims.S, H = dims.H, KV = dims.KV, D = dims.D, G = dims.G();
  ParallelFor(dims.B * KV, 1, [&](int64_t begin, int64_t end) {
    auto& w = AttentionScratch::Get();
    w.q.resize(S * D);
    w.k.resize(S * D);
    w.kt.resize(D * S);
    w.v.resize(S * D);
    for (int64_t task = begin; task < end; ++task) {
      const int64_t b = task / KV, g = task % KV;
      GatherHead(dims, k, KV, b, g, true, w.k.data());
      Transpose(w.k.data(), S, D, w.kt.data());
      GatherHead(dims, v, KV, b, g, false, w.v.data());
      for (int64_t gi = 0; gi < G; ++gi) {
        const int64_t h = g * G + gi;
        float* p = probs + (b * H + h) * S * S;
        GatherHead(dims, q, H, b, h, true, w.q.data());
        Product(w.q.data(), D, 1, w.kt.data(), S, p, S, S, S, D);
        const float* maskBh = mask + b * sB + h * sH;
        for (int64_t r = 0; r < S; ++r) SoftmaxRow(p + r * S, maskBh + r * sR, p + r * S, S, scale);
        Product(p, S, 1, w.v.data(), D, ctx + (b * S * H + h) * D, H * D, S, D, S);
      }
    }
  });
  return info.Env().Undefined();
}

// attentionBackward(dctx, q, k, v, probs, cos, sin, dq, dk, dv, B, S, H, KV, D, scale, rotate, perBatch,
//                   tableStride, sinOffset); dq [B,S,H*D], dk and dv [B,S,KV*D].
Napi::Value AttentionBackward(const Napi::CallbackInfo& info) {
  AttentionDims dims;
  if (!ReadDims(info, 10, 16, info[5], info[6], &dims, "attentionBackward: bad sizes or RoPE tables too small")) {
    return info.Env().Undefined();
  }
  const float* dctx = F32(info[0]);
  const float* q = F32(info[1]);
  const float* k = F32(info[2]);
  const float* v = F32(info[3]);
  const float* probs = F32(info[4]);
  float* dq = F32(info[7]);
  float* dk = F32(info[8]);
  float* dv = F32(info[9]);
  const float scale = static_cast<float>(Num(info[15]));
  const int64_t S = dims.S, H = dims.H, KV = dims.KV, D = dims.D, G = dims.G();
  ParallelFor(dims.B * KV, 1, [&](int64_t begin, int64_t end) {
    auto& w = AttentionScratch::Get();
    // Query-side rows of all G heads stacked ([G*S, ...]), as the separate kernels' grouped products see them.
    w.q.resize(G * S * D);
    w.dctx.resize(G * S * D);
    w.dp.resize(G * S * S);
    w.dq.resize(G * S * D);
    w.k.resize(S * D);
    w.v.resize(S * D);
    w.vt.resize(D * S);
    w.dk.resize(S * D);
    for (int64_t task = begin; task < end; ++task) {
      const int64_t b = task / KV, g = task % KV;
      const float* p = probs + (b * H + g * G) * S * S;
      GatherHead(dims, k, KV, b, g, true, w.k.data());
      GatherHead(dims, v, KV, b, g, false, w.v.data());
      Transpose(w.v.data(), S, D, w.vt.data());
      for (int64_t gi = 0; gi < G; ++gi) {
        const int64_t h = g * G + gi;
        GatherHead(dims, q, H, b, h, true, w.q.data() + gi * S * D);
        GatherHead(dims, dctx, H, b, h, false, w.dctx.data() + gi * S * D);
      }
      const int64_t rows = G * S;
      Product(w.dctx.data(), D, 1, w.vt.data(), S, w.dp.data(), S, rows, S, D);
      for (int64_t r = 0; r < rows; ++r) SoftmaxGradRow(p + r * S, w.dp.data() + r * S, w.dp.data() + r * S, S, scale);
      Product(p, 1, S, w.dctx.data(), D, w.v.data(), D, S, D, rows);
      ScatterHead(dims, w.v.data(), dv, KV, b, g, false);
      Product(w.dp.data(), S, 1, w.k.data(), D, w.dq.data(), D, rows, D, S);
      for (int64_t gi = 0; gi < G; ++gi) ScatterHead(dims, w.dq.data() + gi * S * D, dq, H, b, g * G + gi, true);
      Product(w.dp.data(), 1, S, w.q.data(), D, w.dk.data(), D, S, D, rows);
      ScatterHead(dims, w.dk.data(), dk, KV, b, g, true);
    }
  });
  return info.Env().Undefined();
}

}  // namespace lookright
