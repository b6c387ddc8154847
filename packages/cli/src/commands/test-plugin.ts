import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { lookrightRoot, sharedDependencyEntry } from '@lookright/core';
import { cliErrors } from '../errors.js';
import { action } from '../run-command.js';

/** Whether `dir` holds a package.json declaring `lookright.plugin`. */
function isPluginPackage(dir: string): boolean {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return false;
  try {
    return Boolean((JSON.parse(readFileSync(file, 'utf8')) as { lookright?: { plugin?: string } }).lookright?.plugin);
  } catch {
    return false;
  }
}

/** `test-plugin <dir>`: runs a plugin package's spec files with lookright's mocha, tsx and shared dependencies. */
export function register(program: Command): void {
  program
    .command('test-plugin')
    .description("run a plugin package's src/**/*.spec.ts with lookright's mocha; the package needs no install")
    .argument('<dir>', 'the plugin package folder')
    .action(
      action((dir) => {
        const packageDir = resolve(dir);
        if (!isPluginPackage(packageDir)) throw cliErrors.notAPluginPackage(packageDir);
        const srcDir = join(packageDir, 'src');
        const specs = existsSync(srcDir)
          ? readdirSync(srcDir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.spec\.[cm]?[jt]s$/.test(f))
          : [];
        if (specs.length === 0) throw cliErrors.noSpecFiles(packageDir);
        const root = lookrightRoot();
        const mocha = join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');
        const args = ['--import', import.meta.resolve('tsx'), '--import', sharedDependencyEntry, mocha];
        args.push('--no-config', '--no-package', '--timeout', '120000', '--exit', ...specs.map((f) => join(srcDir, f)));
        const { status, signal } = spawnSync(process.execPath, args, { cwd: packageDir, stdio: 'inherit' });
        process.exitCode = status ?? (signal ? 1 : 0);
      }),
    );
}
