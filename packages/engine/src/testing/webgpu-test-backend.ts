import { selectBackend } from '../backend/select-backend.js';
import { softwareAdapterRequested } from '../backend/webgpu-adapter.js';
import { useTestBackend } from './test-backend.js';

/**
 * Makes webgpu the tfjs backend for a suite (the caller's `before`), or skips the suite with a one-line reason when
 * no adapter can be created. Under CI=true with LOOKRIGHT_WEBGPU_ADAPTER=software (.ci/run installs Mesa's EGL for
 * it) a missing adapter fails instead, as LOOKRIGHT_REQUIRE_NATIVE does for the native addon.
 */
export async function useWebgpuTestBackend(ctx: Mocha.Context): Promise<void> {
  try {
    await selectBackend('webgpu');
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    if (process.env.CI === 'true' && softwareAdapterRequested())
      throw new Error(`LOOKRIGHT_WEBGPU_ADAPTER=software under CI, but webgpu did not start: ${reason}`);
    console.log(`      skipped: webgpu unavailable (${reason}); set LOOKRIGHT_WEBGPU_ADAPTER=software without a GPU`);
    ctx.skip();
  }
}

/**
 * Runs the enclosing mocha suite on webgpu: `before` selects it (or skips the suite, as useWebgpuTestBackend says),
 * `after` puts the test backend back.
 */
export function onWebgpuTestBackend(): void {
  before(async function () {
    await useWebgpuTestBackend(this);
  });
  after(async () => {
    await useTestBackend();
  });
}
