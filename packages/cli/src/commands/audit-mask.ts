import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError } from '@commander-js/extra-typings';
import {
  BACKEND_NAMES,
  type BackendName,
  formatMaskAudit,
  isBackendName,
  maskAuditJson,
  runMaskAudit,
} from '@lookright/engine';
import { loadMaskRegistry, resolveMaskArgument } from '@lookright/plugin-masks';
import { action } from '../run-command.js';

function parseBackend(value: string): BackendName {
  if (!isBackendName(value)) throw new InvalidArgumentError(`expected one of ${BACKEND_NAMES.join(', ')}`);
  return value;
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
}

/** `audit-mask`: observes what each decoder layer's attention really sees, against the declared mask. */
export function register(program: Command): void {
  program
    .command('audit-mask')
    .description(
      'check layer by layer that a model applies the declared masks (and hides padding); exit 1 on any mismatch',
    )
    .requiredOption('--model <dir-or-repo>', 'checkpoint folder or Hugging Face repo id')
    .requiredOption(
      '--mask <spec>',
      'a 0/1 group pattern (0101), one character per layer, or a mask plugin (mask:first-k:k=2)',
    )
    .option('--plugin <package...>', "extra mask-plugin packages (paths or names, as in a suite's plugins: list)")
    .option('--json', 'print {layers:[{layer, declared, observed, ok}], paddingOk, ok}')
    .option('--seq-len <n>', 'tokens in the audit sequence', parseCount, 16)
    .option('--padding <n>', 'padded tokens at its end', parseCount, 4)
    .option('--backend <name>', BACKEND_NAMES.join(' | '), parseBackend, 'auto' as BackendName)
    .action(
      action(async (opts) => {
        const ctx = {
          baseDir: process.cwd(),
          env: process.env,
          log: (line: string) => process.stderr.write(`${line}\n`),
        };
        const { report } = await runMaskAudit({
          model: opts.model,
          backend: opts.backend,
          seqLen: opts.seqLen,
          padding: opts.padding,
          resolveSpecs: async (numLayers) => {
            // a folder that exists is taken as a path even without ./ (a suite's plugins: list needs the ./)
            const plugins = (opts.plugin ?? []).map((p) => (existsSync(resolve(p)) ? resolve(p) : p));
            const registry = await loadMaskRegistry(plugins);
            return (await resolveMaskArgument(opts.mask, registry, ctx)).strategy.layerSpecs(numLayers);
          },
          log: ctx.log,
        });
        process.stdout.write(opts.json ? `${JSON.stringify(maskAuditJson(report))}\n` : `${formatMaskAudit(report)}\n`);
        if (!report.ok) process.exitCode = 1;
      }),
    );
}
