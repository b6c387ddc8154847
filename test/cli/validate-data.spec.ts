import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeTempPluginPackage } from '../../packages/core/src/testing/temp-plugin-package.js';
import { runCli } from '../support/run-cli.js';

/**
 * `validate` reads every dataset as `run` does: data that cannot be read is an error naming the data file and line
 * (validate and run report the same problems), and `--no-data` skips the reading. The data files are written here.
 */
describe('validate reads the data', () => {
  const { root } = writeTempPluginPackage('lookright-plugin-data-test', [
    { id: 'backbone:outside', kind: 'backbone' },
    { id: 'mask:outside', kind: 'mask' },
  ]);
  const good = 'EU B-ORG\nrejects O\n\nPeter B-PER\n';
  const bad: Record<string, string | Buffer> = {
    'crlf.txt': 'EU B-ORG\r\nrejects O\r\n',
    'latin1.txt': Buffer.concat([Buffer.from('EU B-ORG\ncaf'), Buffer.from([0xe9]), Buffer.from(' O\n')]),
    'no-tags.txt': 'EU\nrejects\n',
    'empty.txt': '',
    'docstart-only.txt': '-DOCSTART- O\n\n',
  };
  writeFileSync(join(root, 'train.txt'), good);
  for (const [name, content] of Object.entries(bad)) writeFileSync(join(root, name), content);
  const entry = (name: string, dev: string, extra = '') =>
    `    - { id: dataset:conll, name: ${name}, params: { path: ${root}, scheme: none, files: { train: train.txt, dev: ${dev} }${extra} } }\n`;
  const write = (datasets: string) => {
    const file = join(root, 'suite.yaml');
    writeFileSync(
      file,
      `name: data-test\nplugins: [lookright-plugin-data-test]\naxes:\n  backbone: [backbone:outside]\n  mask: [mask:outside]\n  dataset:\n${datasets}`,
    );
    return file;
  };
  const allBad = () =>
    write(
      entry('missing', 'nowhere.txt') +
        Object.keys(bad)
          .map((f) => entry(f.replace('.txt', ''), f))
          .join(''),
    );

  it('reports every unreadable dataset with its data file and line, and exits non-zero', () => {
    const file = allBad();
    const { status, stdout, stderr } = runCli(['validate', file]);
    assert.equal(status, 1, stdout);
    assert.doesNotMatch(stdout, /valid suite/);
    assert.match(stderr, /6 dataset\(s\) of suite .* cannot be read/);
    assert.match(stderr, /suite\.yaml:7 at \/axes\/dataset\/0: dataset:conll: .*nowhere\.txt was not found/);
    assert.match(stderr, /suite\.yaml:8 at \/axes\/dataset\/1: .*crlf\.txt:1: line ends with CR LF/);
    assert.match(stderr, /latin1\.txt:2:4: invalid UTF-8 \(byte 0xe9\)/);
    assert.match(stderr, /no-tags\.txt:1: expected a word and a separate tag column/);
    assert.match(stderr, /empty\.txt: the dev split holds no sentence \(the file is empty\)/);
    assert.match(stderr, /docstart-only\.txt: the dev split holds no sentence \(only 1 -DOCSTART- line\(s\)\)/);
    assert.match(stderr, /latin1\.txt:2:4.*\n\s+→ Convert the file to UTF-8, e.g. `iconv -f latin1 -t utf-8/);
    assert.match(stderr, /lineEndings: 'any'/);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
  });

  it('run refuses the same suite with the same problems before running anything', () => {
    const file = allBad();
    const validate = runCli(['validate', file]);
    const run = runCli(['run', file, '--store', join(root, 'store'), '--workers', '1']);
    assert.equal(run.status, 1);
    const problems = (text: string) => text.split('\n').filter((l) => l.includes(' at /axes/dataset/'));
    assert.equal(problems(run.stderr).length, 6);
    assert.deepEqual(problems(run.stderr), problems(validate.stderr));
  });

  it('accepts readable data, CR LF files with lineEndings: any, and skips the data with --no-data', () => {
    const readable = write(entry('good', 'train.txt') + entry('crlf-any', 'crlf.txt', ', lineEndings: any'));
    const ok = runCli(['validate', readable]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /valid suite data-test \(2 cells\)/);
    const skipped = runCli(['validate', '--no-data', allBad()]);
    assert.equal(skipped.status, 0, skipped.stderr);
    assert.match(skipped.stdout, /valid suite data-test \(6 cells, data not read\)/);
  });
});
