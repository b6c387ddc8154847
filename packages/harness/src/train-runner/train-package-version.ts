import { readFileSync } from 'node:fs';

/** @lookright/train's version: the version of the trainer and pre-training runners (part of every cell hash). */
export const trainPackageVersion = (
  JSON.parse(readFileSync(new URL('../../../train/package.json', import.meta.url), 'utf8')) as { version: string }
).version;
