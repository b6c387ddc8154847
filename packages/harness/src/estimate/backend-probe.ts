/**
 * Child-process entry: `node --import tsx backend-probe.ts [backend]` selects the backend the trainer would use and
 * prints one JSON line `{backend, gflops}`: the float32 2-D matMul rate (512×512 by 512×512) over ~1.5 s.
 */
import { type BackendName, measureMatMulGflops, selectBackend } from '@lookright/engine';

const backend = await selectBackend((process.argv[2] ?? 'auto') as BackendName);
process.stdout.write(`${JSON.stringify({ backend: backend.name, gflops: await measureMatMulGflops(512, 1500) })}\n`);
