/**
 * Whether a hardware WebGPU adapter exists, answered synchronously (for `--backend auto` and a cell's numerics) by a
 * short child process, so this process loads no GPU driver. Probed only when the webgpu package is installed and a
 * GPU device node exists; the answer is cached for the process.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { isPackageInstalled } from './native-tfjs.js';
import { nativeDawnBackend, SOFTWARE_ADAPTER_NAMES, seesGpuDevice, WEBGPU_PACKAGE } from './webgpu-adapter.js';

/** The probe's answer: a hardware adapter's name, or why there is none. */
export type HardwareProbe = { found: true; adapter: string } | { found: false; reason: string };

let cached: HardwareProbe | undefined;

/** Probes once per process; see the module comment. */
export function probeHardwareWebgpu(): HardwareProbe {
  cached ??= probe();
  return cached;
}

function probe(): HardwareProbe {
  if (!isPackageInstalled(WEBGPU_PACKAGE)) return { found: false, reason: 'webgpu not installed' };
  if (process.platform === 'linux' && !seesGpuDevice()) return { found: false, reason: 'no GPU device' };
  const url = pathToFileURL(createRequire(import.meta.url).resolve(WEBGPU_PACKAGE)).href;
  const script = `const { create } = await import(${JSON.stringify(url)});
const a = await create(['backend=${nativeDawnBackend()}']).requestAdapter({ powerPreference: 'high-performance' });
console.log(JSON.stringify(a ? { device: a.info.device, description: a.info.description, vendor: a.info.vendor } : null));
process.exit(0);`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  const line = result.stdout?.trim().split('\n').pop() ?? '';
  try {
    const info = JSON.parse(line) as { device: string; description: string; vendor: string } | null;
    if (!info) return { found: false, reason: 'no WebGPU adapter' };
    const name = `${info.vendor} ${info.device || info.description}`.trim();
    if (SOFTWARE_ADAPTER_NAMES.test(`${info.device} ${info.description}`))
      return { found: false, reason: `only a software adapter (${name})` };
    return { found: true, adapter: name };
  } catch {
    return { found: false, reason: 'the WebGPU probe failed' };
  }
}
