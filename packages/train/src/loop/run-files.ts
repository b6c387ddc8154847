import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where a run keeps its files. */
export class RunFiles {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  get checkpoint(): string {
    return join(this.dir, 'checkpoint.safetensors');
  }
  get steps(): string {
    return join(this.dir, 'steps.jsonl');
  }
  /** The PEFT adapter export of a LoRA cell (adapter_config.json, adapter_model.safetensors, lookright.json). */
  get peft(): string {
    return join(this.dir, 'peft');
  }
  get metrics(): string {
    return join(this.dir, 'metrics.json');
  }
  predictions(split: 'dev' | 'test'): string {
    return join(this.dir, `predictions.${split}.conll`);
  }

  /** Appends one optimiser step's record to steps.jsonl. */
  appendStep(record: { step: number } & Record<string, number>): void {
    appendFileSync(this.steps, `${JSON.stringify(record)}\n`);
  }

  /** Drops steps.jsonl records past `step` (a killed run may have logged steps after its last checkpoint). */
  truncateStepsAfter(step: number): void {
    if (!existsSync(this.steps)) return;
    const kept = readFileSync(this.steps, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '' && (JSON.parse(line) as { step: number }).step <= step);
    writeFileSync(this.steps, kept.length ? `${kept.join('\n')}\n` : '');
  }

  /** All step records so far. */
  readSteps(): ({ step: number } & Record<string, number>)[] {
    if (!existsSync(this.steps)) return [];
    return readFileSync(this.steps, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as { step: number } & Record<string, number>);
  }
}
