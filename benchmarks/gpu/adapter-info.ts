/**
 * Prints the hardware WebGPU adapter Dawn finds (no LOOKRIGHT_WEBGPU_ADAPTER: the software adapter is never used
 * here) with every limit, or the typed error that says what is missing. Run by device-check.sh.
 */
import { formatAdapterLine, requestWebgpuAdapter } from '../../packages/engine/src/backend/webgpu-adapter.js';

try {
  const found = await requestWebgpuAdapter(false);
  console.log(formatAdapterLine(found.description));
  const limits: Record<string, number> = {};
  for (const key in found.adapter.limits)
    limits[key] = (found.adapter.limits as unknown as Record<string, number>)[key];
  console.log(JSON.stringify({ info: found.description, limits }, null, 2));
} catch (error) {
  const e = error as Error & { code?: string; hint?: string };
  console.log(`no hardware adapter: ${e.code ?? e.name}: ${e.message}${e.hint ? `\nhint: ${e.hint}` : ''}`);
  process.exitCode = 1;
}
