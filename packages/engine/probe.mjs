import { create, globals } from 'webgpu';
Object.assign(globalThis, globals);
const gpu = create(['backend=opengl']);
const a = await gpu.requestAdapter({ featureLevel: 'compatibility' });
const i = a.info;
console.log({
  vendor: i.vendor,
  arch: i.architecture,
  device: i.device,
  desc: i.description,
  type: i.adapterType,
  backend: i.backendType,
  isFallback: i.isFallbackAdapter,
  sub: i.subgroupMinSize,
});
console.log(Object.getOwnPropertyNames(Object.getPrototypeOf(i)));
console.log(Object.getOwnPropertyNames(Object.getPrototypeOf(a)), a.isFallbackAdapter, a.featureLevel);
const d = await a.requestDevice({
  requiredLimits: { maxStorageBufferBindingSize: a.limits.maxStorageBufferBindingSize },
});
console.log(Object.getOwnPropertyNames(Object.getPrototypeOf(d)));
d.addEventListener?.('uncapturederror', (e) => console.log('UNCAPTURED', e.error.message));
d.onuncapturederror = (e) => console.log('ONUNCAPTURED', e.error?.message);
d.pushErrorScope('validation');
d.createBuffer({ size: 3 * 2 ** 30, usage: GPUBufferUsage.STORAGE });
const err = await d.popErrorScope();
console.log('scope', err && err.constructor.name, err?.message);
d.createBuffer({ size: 3 * 2 ** 30, usage: GPUBufferUsage.STORAGE });
await new Promise((r) => setTimeout(r, 200));
await d.queue.onSubmittedWorkDone();
await new Promise((r) => setTimeout(r, 200));
console.log('done');
process.exit(0);
