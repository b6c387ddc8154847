#!/usr/bin/env node
// The `lookright` command: the workspace ships TypeScript sources, so they run through tsx's loader.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
await main();
