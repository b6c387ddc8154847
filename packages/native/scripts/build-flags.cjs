// Extra C++ flags for the native build, printed space-separated for binding.gyp.
// LOOKRIGHT_NATIVE_MARCH: -march value (default "native"; "none" omits it, "x86-64-v3" is a portable AVX2 build).
// LOOKRIGHT_NATIVE_FAST_MATH=1 adds -ffast-math (the kernels keep NaN/Inf propagation without relying on it).
const march = process.env.LOOKRIGHT_NATIVE_MARCH || 'native';
const flags = [];
if (march !== 'none') flags.push(`-march=${march}`);
if (process.env.LOOKRIGHT_NATIVE_FAST_MATH === '1') flags.push('-ffast-math');
process.stdout.write(flags.join(' ') || '-O3');
