// Module entry: exports each kernel and the BLAS configuration it was built with.
#include <cblas.h>
#include "buffers.h"
#include "parallel.h"

// OpenBLAS exports it (driver/others/openblas_env.c); weak, so a BLAS without it still loads.
extern "C" int openblas_thread_timeout(void) __attribute__((weak));

namespace lookright {

static Napi::Value BlasInfo(const Napi::CallbackInfo& info) {
  auto env = info.Env();
  auto out = Napi::Object::New(env);
  out.Set("config", Napi::String::New(env, openblas_get_config()));
  out.Set("threads", Napi::Number::New(env, openblas_get_num_threads()));
  out.Set("core", Napi::String::New(env, openblas_get_corename()));
  out.Set("threadInvariant", Napi::Boolean::New(env, BlasThreadInvariant()));
  out.Set("threadTimeout",
          openblas_thread_timeout ? Napi::Number::New(env, openblas_thread_timeout()) : env.Null());
  return out;
}

static Napi::Value SetBlasThreads(const Napi::CallbackInfo& info) {
  openblas_set_num_threads(static_cast<int>(Int(info[0])));
  return info.Env().Undefined();
}

static Napi::Value SetKernelThreadsJs(const Napi::CallbackInfo& info) {
  SetKernelThreads(static_cast<int>(Int(info[0])));
  return info.Env().Undefined();
}

static Napi::Value KernelThreadsJs(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), KernelThreads());
}

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("blasInfo", Napi::Function::New(env, BlasInfo));
  exports.Set("setBlasThreads", Napi::Function::New(env, SetBlasThreads));
  exports.Set("setKernelThreads", Napi::Function::New(env, SetKernelThreadsJs));
  exports.Set("kernelThreads", Napi::Function::New(env, KernelThreadsJs));
  exports.Set("gemm", Napi::Function::New(env, Gemm));
  exports.Set("gemmBf16", Napi::Function::New(env, GemmBf16));
  exports.Set("amxBf16Available", Napi::Function::New(env, AmxBf16Available));
  exports.Set("addScaledInto", Napi::Function::New(env, AddScaledInto));
  exports.Set("binaryF32", Napi::Function::New(env, BinaryF32));
  exports.Set("columnSumF32", Napi::Function::New(env, ColumnSumF32));
  exports.Set("sumsOfSquares", Napi::Function::New(env, SumsOfSquares));
  exports.Set("dropoutApply", Napi::Function::New(env, DropoutApply));
  exports.Set("rmsNormForward", Napi::Function::New(env, RmsNormForward));
  exports.Set("rmsNormBackward", Napi::Function::New(env, RmsNormBackward));
  exports.Set("swigluForward", Napi::Function::New(env, SwigluForward));
  exports.Set("swigluBackward", Napi::Function::New(env, SwigluBackward));
  exports.Set("ropeSplitHeads", Napi::Function::New(env, RopeSplitHeads));
  exports.Set("maskedSoftmaxForward", Napi::Function::New(env, MaskedSoftmaxForward));
  exports.Set("maskedSoftmaxBackward", Napi::Function::New(env, MaskedSoftmaxBackward));
  exports.Set("attentionForward", Napi::Function::New(env, AttentionForward));
  exports.Set("attentionBackward", Napi::Function::New(env, AttentionBackward));
  exports.Set("attentionExact", Napi::Function::New(env, AttentionExact));
  exports.Set("embeddingGather", Napi::Function::New(env, EmbeddingGather));
  exports.Set("embeddingScatterAdd", Napi::Function::New(env, EmbeddingScatterAdd));
  exports.Set("adamwUpdate", Napi::Function::New(env, AdamwUpdate));
  exports.Set("fastMath", Napi::Boolean::New(env,
#ifdef __FAST_MATH__
      true
#else
      false
#endif
      ));
  return exports;
}

}  // namespace lookright

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return lookright::Init(env, exports); }

NODE_API_MODULE(lookright_native, InitModule)
