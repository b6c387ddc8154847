{
  "targets": [
    {
      "target_name": "lookright_native",
      "sources": [
        "csrc/addon.cc",
        "csrc/gemm.cc",
        "csrc/gemm_bf16.cc",
        "csrc/parallel.cc",
        "csrc/add_scaled.cc",
        "csrc/elementwise.cc",
        "csrc/column_sum.cc",
        "csrc/sum_squares.cc",
        "csrc/dropout.cc",
        "csrc/rms_norm.cc",
        "csrc/swiglu.cc",
        "csrc/rope.cc",
        "csrc/masked_softmax.cc",
        "csrc/attention.cc",
        "csrc/product.cc",
        "csrc/embedding.cc",
        "csrc/adamw.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags_cc": ["-O3", "-std=c++17", "-fno-math-errno", "<!@(node scripts/build-flags.cjs)"],
      "cflags_cc!": ["-fno-exceptions"],
      "libraries": ["-lopenblas", "-pthread"]
    }
  ]
}
