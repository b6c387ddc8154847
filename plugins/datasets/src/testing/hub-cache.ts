import { createHash } from 'node:crypto';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';

/** A row as `datasets` stores a token-classification example. */
export interface TaggedRow {
  tokens: string[];
  tags: (bigint | string)[];
}

/**
 * A parquet file laid out the way pyarrow writes `datasets` sequences: optional LIST columns of UTF8 words and of
 * INT64 ids (or UTF8 tags). `huggingface` is the features JSON `datasets` puts in the file's key-value metadata.
 */
export function taggedParquet(rows: TaggedRow[], tagsColumn = 'ner_tags', huggingface?: object): Uint8Array {
  const stringTags = rows.some((r) => r.tags.some((t) => typeof t === 'string'));
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'id', data: rows.map((_, i) => String(i)) },
      { name: 'tokens', data: rows.map((r) => r.tokens) },
      { name: tagsColumn, data: rows.map((r) => r.tags) },
    ],
    schema: [
      { name: 'schema', num_children: 3 },
      { name: 'id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      { name: 'tokens', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      { name: tagsColumn, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      stringTags
        ? { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' }
        : { name: 'element', type: 'INT64', repetition_type: 'OPTIONAL' },
    ],
    kvMetadata: huggingface ? [{ key: 'huggingface', value: JSON.stringify(huggingface) }] : undefined,
  });
  return new Uint8Array(buffer);
}

/**
 * Writes files into an HF hub cache tree as huggingface_hub lays it out: content in blobs/<sha256>, snapshot
 * entries as relative symlinks to them, and refs/<revision> holding the commit. Returns the snapshot folder.
 */
export function writeHubSnapshot(
  cacheDir: string,
  repo: string,
  revision: string,
  files: Record<string, string | Uint8Array>,
): string {
  const repoDir = join(cacheDir, `datasets--${repo.split('/').join('--')}`);
  const commit = createHash('sha1').update(`${repo}@${revision}`).digest('hex');
  const snapshot = join(repoDir, 'snapshots', commit);
  for (const [rel, content] of Object.entries(files)) {
    const blob = join(repoDir, 'blobs', createHash('sha256').update(content).digest('hex'));
    mkdirSync(dirname(blob), { recursive: true });
    writeFileSync(blob, content);
    const link = join(snapshot, rel);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(relative(dirname(link), blob), link);
  }
  const ref = join(repoDir, 'refs', revision);
  mkdirSync(dirname(ref), { recursive: true });
  writeFileSync(ref, commit);
  return snapshot;
}
