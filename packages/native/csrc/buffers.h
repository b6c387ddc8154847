// Access helpers: every kernel argument that carries data is a JS TypedArray view
// (over the tfjs wasm heap or a cpu-backend TypedArray); these return raw pointers.
#pragma once
#include <napi.h>
#include <cstdint>

namespace lookright {

inline float* F32(const Napi::Value& v) {
  auto arr = v.As<Napi::TypedArray>();
  auto buf = arr.ArrayBuffer();
  return reinterpret_cast<float*>(static_cast<uint8_t*>(buf.Data()) + arr.ByteOffset());
}

inline int32_t* I32(const Napi::Value& v) {
  auto arr = v.As<Napi::TypedArray>();
  auto buf = arr.ArrayBuffer();
  return reinterpret_cast<int32_t*>(static_cast<uint8_t*>(buf.Data()) + arr.ByteOffset());
}

inline size_t Len(const Napi::Value& v) { return v.As<Napi::TypedArray>().ElementLength(); }

inline int64_t Int(const Napi::Value& v) { return v.As<Napi::Number>().Int64Value(); }
inline double Num(const Napi::Value& v) { return v.As<Napi::Number>().DoubleValue(); }
inline bool Bool(const Napi::Value& v) { return v.As<Napi::Boolean>().Value(); }

/** Throws a JS RangeError and returns true when `ok` is false. */
inline bool Fail(const Napi::Env& env, bool ok, const char* msg) {
  if (!ok) Napi::RangeError::New(env, msg).ThrowAsJavaScriptException();
  return !ok;
}

// Kernel entry points (one file each).
Napi::Value Gemm(const Napi::CallbackInfo& info);
/** C [m, n] (row stride ldc) = op(A) op(B) + beta C through cblas_sgemm, K in chunks of 256 accumulated in order. */
void SgemmInChunks(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const float* a, int64_t lda, const float* b,
                   int64_t ldb, float beta, float* c, int64_t ldc);
/** Whether OpenBLAS products here have the same bits for any thread count (else gemm runs them on one thread). */
bool BlasThreadInvariant();
Napi::Value GemmBf16(const Napi::CallbackInfo& info);
Napi::Value AmxBf16Available(const Napi::CallbackInfo& info);
Napi::Value AddScaledInto(const Napi::CallbackInfo& info);
Napi::Value BinaryF32(const Napi::CallbackInfo& info);
Napi::Value ColumnSumF32(const Napi::CallbackInfo& info);
Napi::Value SumsOfSquares(const Napi::CallbackInfo& info);
Napi::Value DropoutApply(const Napi::CallbackInfo& info);
Napi::Value RmsNormForward(const Napi::CallbackInfo& info);
Napi::Value RmsNormBackward(const Napi::CallbackInfo& info);
Napi::Value SwigluForward(const Napi::CallbackInfo& info);
Napi::Value SwigluBackward(const Napi::CallbackInfo& info);
Napi::Value RopeSplitHeads(const Napi::CallbackInfo& info);
Napi::Value MaskedSoftmaxForward(const Napi::CallbackInfo& info);
Napi::Value MaskedSoftmaxBackward(const Napi::CallbackInfo& info);
Napi::Value AttentionForward(const Napi::CallbackInfo& info);
/** Whether the fused attention's products have here the bits of the OpenBLAS products the separate kernels run. */
Napi::Value AttentionExact(const Napi::CallbackInfo& info);
Napi::Value AttentionBackward(const Napi::CallbackInfo& info);
Napi::Value EmbeddingGather(const Napi::CallbackInfo& info);
Napi::Value EmbeddingScatterAdd(const Napi::CallbackInfo& info);
Napi::Value AdamwUpdate(const Napi::CallbackInfo& info);

}  // namespace lookright
