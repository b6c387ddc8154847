import { basename, resolve } from 'node:path';
import { cliErrors } from '../errors.js';

/** Every name a generated mask-strategy package uses, derived from its plugin id. */
export interface StrategyNames {
  /** `mask:every-third` */
  id: string;
  /** `every-third`: file names and labels. */
  name: string;
  /** `everyThird`: identifiers in the generated code. */
  camel: string;
  /** `EVERY_THIRD`: error codes. */
  constant: string;
  /** `lookright-mask-every-third`: the npm package name. */
  packageName: string;
}

const idPattern = /^mask:([a-z][a-z0-9]*(?:-[a-z0-9]+)*)$/;

/** Names for `id`; throws a coded error for an id lookright would not accept or that gives no identifier. */
export function strategyNames(id: string): StrategyNames {
  const match = idPattern.exec(id);
  if (!match) throw cliErrors.badStrategyId(id);
  const name = match[1];
  return {
    id,
    name,
    camel: name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase()),
    constant: name.replaceAll('-', '_').toUpperCase(),
    packageName: `lookright-mask-${name}`,
  };
}

/** The id used when none is given: `mask:` plus the folder's name, cleaned (`My_Mask` -> `mask:my-mask`). */
export function defaultStrategyId(dir: string): string {
  const cleaned = basename(resolve(dir))
    .toLowerCase()
    .replace(/^(lookright-)?(mask-)?/, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `mask:${cleaned}`;
}
