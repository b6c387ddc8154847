// bfloat16 GEMM on Intel AMX, the kernel of the opt-in matmul precision "bf16": C = op(A) op(B) (+ bias [n] on
// every row), both operands rounded to bfloat16 by VCVTNEPS2BF16 (round to nearest even; NaN stays NaN; subnormal
// inputs become zero of the same sign), products summed in float32 by TDPBF16PS, 32 values of K per tile, tiles in
// K order. Each output element is computed by one tile product chain whatever the thread count, so the result
// does not depend on it. The batch rules are gemm's (gemm.cc): a batch of 1 broadcasts; a shared B with an
// untransposed A folds into one GEMM; a batch of entries runs its entries in parallel.
#include <algorithm>
#include <functional>
#include <vector>
#include "buffers.h"
#include "gemm_args.h"
#include "parallel.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace lookright {

namespace {

#if defined(__x86_64__)

#define AMX_TARGET __attribute__((target("amx-tile,amx-bf16,avx512f,avx512bw,avx512vl,avx512bf16")))

constexpr int64_t kTile = 16;   // rows of an A tile, pairs of K rows of a B tile, rows and columns of a C tile
constexpr int64_t kDepth = 32;  // bf16 values of K in one tile row
constexpr int64_t kBlock = 32;  // each step computes a 32 x 32 block of C as 2 x 2 tiles

inline int64_t RoundUp(int64_t x, int64_t to) { return (x + to - 1) / to * to; }

// CPUID leaf 7: AMX-TILE and AMX-BF16 (EDX bits 24, 22), AVX512F/BW/VL (EBX 16, 30, 31); subleaf 1: AVX512_BF16.
bool CpuHasAmxBf16() {
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return false;
  const bool amx = ((d >> 24) & 1) && ((d >> 22) & 1);
  const bool avx512 = ((b >> 16) & 1) && ((b >> 30) & 1) && ((b >> 31) & 1);
  if (!amx || !avx512 || !__get_cpuid_count(7, 1, &a, &b, &c, &d)) return false;
  return (a >> 5) & 1;
}

// The kernel lets a process use the tile registers only after it asks (Linux 5.16+: ARCH_REQ_XCOMP_PERM, XTILEDATA).
bool RequestTilePermission() {
  constexpr long kArchReqXcompPerm = 0x1023;
  constexpr long kXfeatureXtiledata = 18;
  return syscall(SYS_arch_prctl, kArchReqXcompPerm, kXfeatureXtiledata) == 0;
}

struct TileConfig {
  uint8_t palette = 1;
  uint8_t startRow = 0;
  uint8_t reserved[14] = {};
  uint16_t bytesPerRow[16] = {};
  uint8_t rows[16] = {};
};

AMX_TARGET inline __m256i ToBf16(__m512 v) { return reinterpret_cast<__m256i>(_mm512_cvtneps_pbh(v)); }

AMX_TARGET inline __mmask16 TailMask(int64_t left) {
  return left >= 16 ? static_cast<__mmask16>(0xffff) : static_cast<__mmask16>((1u << left) - 1);
}

// A 16 x 16 transpose of 32-bit lanes in registers: out[i] lane j = r[j] lane i (r is overwritten).
AMX_TARGET inline void Transpose16(__m512 r[16], __m512 out[16]) {
  __m512 t[16], u[16];
  for (int i = 0; i < 16; i += 2) {
    t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
    t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
  }
  for (int i = 0; i < 16; i += 4) {
    u[i] = _mm512_shuffle_ps(t[i], t[i + 2], 0x44);
    u[i + 1] = _mm512_shuffle_ps(t[i], t[i + 2], 0xEE);
    u[i + 2] = _mm512_shuffle_ps(t[i + 1], t[i + 3], 0x44);
    u[i + 3] = _mm512_shuffle_ps(t[i + 1], t[i + 3], 0xEE);
  }
  for (int h = 0; h < 16; h += 8) {
    for (int i = 0; i < 4; ++i) {
      r[h + i] = _mm512_shuffle_f32x4(u[h + i], u[h + 4 + i], 0x88);
      r[h + 4 + i] = _mm512_shuffle_f32x4(u[h + i], u[h + 4 + i], 0xDD);
    }
  }
  for (int i = 0; i < 8; ++i) {
    out[i] = _mm512_shuffle_f32x4(r[i], r[8 + i], 0x88);
    out[8 + i] = _mm512_shuffle_f32x4(r[i], r[8 + i], 0xDD);
  }
}

AMX_TARGET inline void StoreBf16(uint16_t* dst, __m512 v) {
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst), ToBf16(v));
}

// Where value (r, t) of A packed in tiles lies: each 16-row group is a run of 16 x 32 tiles in K order, each tile
// 1 KiB contiguous (16 rows of 32 values), so a tile load reads consecutive cache lines.
inline int64_t TileOffset(int64_t r, int64_t t, int64_t depthPad) {
  return (r / kTile) * kTile * depthPad + (t / kDepth) * kTile * kDepth + (r % kTile) * kDepth + t % kDepth;
}

// Rows [rowBegin, rowEnd) (multiples of 16) of a [rows, depth] float matrix as bf16 in tiles (TileOffset, depth
// padded to depthPad), zero beyond rows and depth, written from dst (dst's row 0 is rowBegin). Source element (r, t)
// is src[r * ld + t], or src[t * ld + r] when `transposed` (a matrix stored the other way round).
AMX_TARGET void PackRows(const float* src, int64_t ld, bool transposed, int64_t rows, int64_t depth, int64_t depthPad,
                         int64_t rowBegin, int64_t rowEnd, uint16_t* dst) {
  if (!transposed) {
    for (int64_t r = rowBegin; r < rowEnd; ++r) {
      for (int64_t t = 0; t < depthPad; t += 16) {
        const __mmask16 mask = r < rows && t < depth ? TailMask(depth - t) : 0;
        StoreBf16(dst + TileOffset(r - rowBegin, t, depthPad), _mm512_maskz_loadu_ps(mask, src + r * ld + t));
      }
    }
    return;
  }
  __m512 in[16], columns[16];
  for (int64_t r0 = rowBegin; r0 < rowEnd; r0 += kTile) {
    const __mmask16 rowMask = r0 < rows ? TailMask(rows - r0) : 0;
    for (int64_t t0 = 0; t0 < depthPad; t0 += 16) {
      for (int64_t j = 0; j < 16; ++j) {
        in[j] = _mm512_maskz_loadu_ps(t0 + j < depth ? rowMask : 0, src + (t0 + j) * ld + r0);
      }
      Transpose16(in, columns);
      for (int64_t i = 0; i < 16; ++i) StoreBf16(dst + TileOffset(r0 + i - rowBegin, t0, depthPad), columns[i]);
    }
  }
}

// Asks for the 16 cache lines of a 1 KiB tile in L1.
AMX_TARGET inline void PrefetchTile(const uint16_t* tile) {
  const char* bytes = reinterpret_cast<const char*>(tile);
  for (int line = 0; line < 16; ++line) _mm_prefetch(bytes + line * 64, _MM_HINT_T0);
}

// Runs fn over [0, n) split over the kernel threads when `parallel`, else on the caller.
void ForRange(bool parallel, int64_t n, const std::function<void(int64_t, int64_t)>& fn) {
  if (parallel) {
    ParallelFor(n, 1, fn);
  } else {
    fn(0, n);
  }
}

// Column blocks [begin, end) of B in the tiles' pair layout: for each 16-column block, for each pair p of K rows, 16
// dwords holding (B[2p][col], B[2p+1][col]) as bf16, the even row in the low half; zero beyond depth and cols. B
// element (t, col) is src[t * ld + col], or src[col * ld + t] when `transposed`. A block holds depthPad * 16 values.
AMX_TARGET void PackPairs(const float* src, int64_t ld, bool transposed, int64_t depth, int64_t cols,
                          int64_t depthPad, int64_t begin, int64_t end, uint16_t* dst) {
  alignas(64) uint16_t order[32];
  for (int i = 0; i < 16; ++i) {
    order[2 * i] = static_cast<uint16_t>(i);
    order[2 * i + 1] = static_cast<uint16_t>(32 + i);
  }
  const __m512i interleave = _mm512_load_si512(order);
  __m512 pairs[16], out[16];
  for (int64_t block = begin; block < end; ++block) {
    const int64_t c0 = block * kTile;
    uint16_t* blockOut = dst + block * depthPad * kTile;
    const __mmask16 colMask = c0 < cols ? TailMask(cols - c0) : 0;
    if (transposed) {
      // each column's 32 K values are contiguous: convert them to 16 pairs, then transpose columns x pairs
      for (int64_t t0 = 0; t0 < depthPad; t0 += kDepth) {
        const __mmask16 lo = t0 < depth ? TailMask(depth - t0) : 0;
        const __mmask16 hi = t0 + 16 < depth ? TailMask(depth - t0 - 16) : 0;
        for (int64_t j = 0; j < 16; ++j) {
          const bool live = c0 + j < cols;
          const float* column = src + (c0 + j) * ld + t0;
          const __m512 low = _mm512_maskz_loadu_ps(live ? lo : 0, column);
          const __m512 high = _mm512_maskz_loadu_ps(live ? hi : 0, column + 16);
          pairs[j] = reinterpret_cast<__m512>(_mm512_cvtne2ps_pbh(high, low));
        }
        Transpose16(pairs, out);
        for (int64_t p = 0; p < 16; ++p) _mm512_storeu_ps(blockOut + (t0 + 2 * p) * kTile, out[p]);
      }
      continue;
    }
    for (int64_t t = 0; t < depthPad; t += 2) {
      const __mmask16 evenMask = t < depth ? colMask : 0;
      const __mmask16 oddMask = t + 1 < depth ? colMask : 0;
      const __m256i even = ToBf16(_mm512_maskz_loadu_ps(evenMask, src + t * ld + c0));
      const __m256i odd = ToBf16(_mm512_maskz_loadu_ps(oddMask, src + (t + 1) * ld + c0));
      const __m512i both =
          _mm512_permutex2var_epi16(_mm512_castsi256_si512(even), interleave, _mm512_castsi256_si512(odd));
      _mm512_storeu_si512(blockOut + t * kTile, both);
    }
  }
}

// Bytes of packed B one pass over the row blocks reads: small enough to stay in a core's L2 (2 MiB on the Xeons
// with AMX) beside the row block's A panel, so a wide B is read from memory once rather than once per row block.
constexpr int64_t kBChunkBytes = int64_t{1} << 20;

// Loads the tile shapes every product here uses (all eight tiles 16 rows x 64 bytes) for the calling thread.
AMX_TARGET void ConfigureTiles() {
  TileConfig config;
  for (int t = 0; t < 8; ++t) {
    config.rows[t] = kTile;
    config.bytesPerRow[t] = 64;
  }
  _tile_loadconfig(&config);
}

AMX_TARGET void ReleaseTiles() { _tile_release(); }

// One product's operands and output, as MultiplyRowBlocks reads them.
struct Operands {
  const float* a;
  int64_t lda;
  bool ta;
  const uint16_t* aRows;   // A packed whole in tiles (PackRows), or nullptr: each row block packs its own rows
  const uint16_t* bPairs;  // PackPairs of B
  float* c;
  int64_t m, n, k, kPad;
  const float* bias;
  int64_t colBlockBegin, colBlockEnd;  // the 32-column blocks of C this pass computes
};

// C row blocks [begin, end) (32 rows each) times column blocks [colBlockBegin, colBlockEnd), 2 x 2 tiles at a time,
// K in order. Without packed A, each block's rows of A are packed into this thread's buffer first (so the tiles read
// them from cache). The caller has configured the tiles (ConfigureTiles).
AMX_TARGET void MultiplyRowBlocks(const Operands& o, int64_t begin, int64_t end) {
  thread_local std::vector<uint16_t> ownRows;
  if (!o.aRows) ownRows.resize(static_cast<size_t>(kBlock * o.kPad));
  alignas(64) float block[kBlock * kBlock];
  const int64_t bBlock = o.kPad * kTile;  // values per 16-column block of packed B
  for (int64_t rb = begin; rb < end; ++rb) {
    const int64_t row0 = rb * kBlock;
    const uint16_t* a0 = o.aRows ? o.aRows + row0 * o.kPad : ownRows.data();
    if (!o.aRows) PackRows(o.a, o.lda, o.ta, o.m, o.k, o.kPad, row0, row0 + kBlock, ownRows.data());
    const uint16_t* a1 = a0 + kTile * o.kPad;
    const int64_t rows = o.m - row0 < kBlock ? o.m - row0 : kBlock;
    for (int64_t cb = o.colBlockBegin; cb < o.colBlockEnd; ++cb) {
      const int64_t col0 = cb * kBlock;
      const uint16_t* b0 = o.bPairs + (col0 / kTile) * bBlock;
      const uint16_t* b1 = b0 + bBlock;
      _tile_zero(0);
      _tile_zero(1);
      _tile_zero(2);
      _tile_zero(3);
      // A and B tiles are both 1 KiB at offset t * 16 of their panels. Each load sits just before the first
      // product that reads it, and the next step's four tiles are prefetched into L1 (tile loads from L2 stall).
      for (int64_t t = 0; t < o.kPad; t += kDepth) {
        const int64_t at = t * kTile;
        if (t + kDepth < o.kPad) {
          PrefetchTile(a0 + at + kTile * kDepth);
          PrefetchTile(a1 + at + kTile * kDepth);
          PrefetchTile(b0 + at + kTile * kDepth);
          PrefetchTile(b1 + at + kTile * kDepth);
        }
        _tile_loadd(4, a0 + at, 64);
        _tile_loadd(6, b0 + at, 64);
        _tile_dpbf16ps(0, 4, 6);
        _tile_loadd(7, b1 + at, 64);
        _tile_dpbf16ps(1, 4, 7);
        _tile_loadd(5, a1 + at, 64);
        _tile_dpbf16ps(2, 5, 6);
        _tile_dpbf16ps(3, 5, 7);
      }
      const int64_t cols = o.n - col0 < kBlock ? o.n - col0 : kBlock;
      float* out = o.c + row0 * o.n + col0;
      if (rows == kBlock && cols == kBlock && !o.bias) {
        _tile_stored(0, out, o.n * 4);
        _tile_stored(1, out + kTile, o.n * 4);
        _tile_stored(2, out + kTile * o.n, o.n * 4);
        _tile_stored(3, out + kTile * o.n + kTile, o.n * 4);
        continue;
      }
      _tile_stored(0, block, kBlock * 4);
      _tile_stored(1, block + kTile, kBlock * 4);
      _tile_stored(2, block + kTile * kBlock, kBlock * 4);
      _tile_stored(3, block + kTile * kBlock + kTile, kBlock * 4);
      for (int64_t r = 0; r < rows; ++r) {
        for (int64_t j = 0; j < cols; ++j) {
          out[r * o.n + j] = block[r * kBlock + j] + (o.bias ? o.bias[col0 + j] : 0.0f);
        }
      }
    }
  }
}

// One product c [m, n] = op(a) op(b) (+ bias). `parallel`: split the packing and the row blocks over the kernel
// threads, each configuring its tiles; otherwise (an entry of a batch, one thread each) the caller has configured
// them. A B wider than kBChunkBytes is multiplied in passes of column blocks, over A packed once.
void MultiplyOne(const float* a, bool ta, const float* b, bool tb, float* c, int64_t m, int64_t n, int64_t k,
                 const float* bias, bool parallel) {
  const int64_t mPad = RoundUp(m, kBlock), nPad = RoundUp(n, kBlock), kPad = RoundUp(k, kDepth);
  thread_local std::vector<uint16_t> bPairs;
  bPairs.resize(static_cast<size_t>(nPad * kPad));
  uint16_t* pairs = bPairs.data();
  ForRange(parallel, nPad / kTile, [&](int64_t begin, int64_t end) {
    PackPairs(b, tb ? k : n, tb, k, n, kPad, begin, end, pairs);
  });
  const int64_t nBlocks = nPad / kBlock;
  const int64_t chunk = std::max<int64_t>(1, kBChunkBytes / (kPad * 2 * kBlock));
  Operands o{a, ta ? m : k, ta, nullptr, pairs, c, m, n, k, kPad, bias, 0, nBlocks};
  const auto pass = [&]() {
    ForRange(parallel, mPad / kBlock, [&](int64_t begin, int64_t end) {
      if (parallel) ConfigureTiles();
      MultiplyRowBlocks(o, begin, end);
      if (parallel) ReleaseTiles();
    });
  };
  if (nBlocks <= chunk) {
    pass();
    return;
  }
  thread_local std::vector<uint16_t> aRows;
  aRows.resize(static_cast<size_t>(mPad * kPad));
  uint16_t* packedA = aRows.data();
  ForRange(parallel, mPad / kTile, [&](int64_t begin, int64_t end) {
    PackRows(a, ta ? m : k, ta, m, k, kPad, begin * kTile, end * kTile, packedA + begin * kTile * kPad);
  });
  o.aRows = packedA;
  for (int64_t cb = 0; cb < nBlocks; cb += chunk) {
    o.colBlockBegin = cb;
    o.colBlockEnd = std::min(nBlocks, cb + chunk);
    pass();
  }
}

#else
// Not an x86-64 build: no AMX, so AmxBf16Ready() is false and nothing below multiplies.
bool CpuHasAmxBf16() { return false; }
bool RequestTilePermission() { return false; }
void MultiplyOne(const float*, bool, const float*, bool, float*, int64_t, int64_t, int64_t, const float*, bool) {}
void ConfigureTiles() {}
void ReleaseTiles() {}
#endif

}  // namespace

bool AmxBf16Ready() {
  static const bool ready = CpuHasAmxBf16() && RequestTilePermission();
  return ready;
}

Napi::Value AmxBf16Available(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), AmxBf16Ready()); }

// gemmBf16(a, b, c, batchA, batchB, m, n, k, transA, transB, bias?): gemm's arguments, bf16 operands
Napi::Value GemmBf16(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  if (Fail(env, AmxBf16Ready(), "gemmBf16: this CPU or kernel offers no AMX-BF16 (check amxBf16Available() first)")) {
    return env.Undefined();
  }
  GemmArgs g;
  if (!ReadGemmArgs(info, "gemmBf16", &g)) return env.Undefined();
  if (g.m == 0 || g.n == 0) return env.Undefined();
  if (g.batchB == 1 && !g.ta) {
    MultiplyOne(g.a, false, g.b, g.tb, g.c, g.batchA * g.m, g.n, g.k, g.bias, true);
    return env.Undefined();
  }
  if (g.batch == 1) {
    MultiplyOne(g.a, g.ta, g.b, g.tb, g.c, g.m, g.n, g.k, g.bias, true);
    return env.Undefined();
  }
  const int64_t strideA = g.batchA == 1 ? 0 : g.m * g.k;
  const int64_t strideB = g.batchB == 1 ? 0 : g.k * g.n;
  ParallelFor(g.batch, 1, [&](int64_t begin, int64_t end) {
    ConfigureTiles();
    for (int64_t i = begin; i < end; ++i) {
      MultiplyOne(g.a + i * strideA, g.ta, g.b + i * strideB, g.tb, g.c + i * g.m * g.n, g.m, g.n, g.k, g.bias, false);
    }
    ReleaseTiles();
  });
  return env.Undefined();
}

}  // namespace lookright
