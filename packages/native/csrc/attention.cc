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
#include <initializer_list>
#include <vector>
#include "buffers.h"
#include "parallel.h"
#include "product.h"
#include "row_ops.h"

namespace lookright {

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

// Whether the arguments at `queryLike` hold B*S*H*D values and those at `keyLike` B*S*KV*D.
static bool SizesFit(const Napi::CallbackInfo& info, const AttentionDims& dims, std::initializer_list<int> queryLike,
                     std::initializer_list<int> keyLike) {
  const size_t rows = static_cast<size_t>(dims.B * dims.S * dims.D);
  for (const int i : queryLike) {
    if (Len(info[i]) != rows * static_cast<size_t>(dims.H)) return false;
  }
  for (const int i : keyLike) {
    if (Len(info[i]) != rows * static_cast<size_t>(dims.KV)) return false;
  }
  return true;
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
  const size_t lastMask = static_cast<size_t>((dims.B - 1) * sB + (H - 1) * sH + (S - 1) * sR + S);
  if (Fail(info.Env(),
           SizesFit(info, dims, {0, 6}, {1, 2}) && Len(info[7]) == static_cast<size_t>(dims.B * H * S * S) &&
               Len(info[3]) >= lastMask,
           "attentionForward: a buffer's length does not match the sizes")) {
    return info.Env().Undefined();
  }
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
  if (Fail(info.Env(),
           SizesFit(info, dims, {0, 1, 7}, {2, 3, 8, 9}) && Len(info[4]) == static_cast<size_t>(dims.B * H * S * S),
           "attentionBackward: a buffer's length does not match the sizes")) {
    return info.Env().Undefined();
  }
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
