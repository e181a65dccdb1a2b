// Files read at a commit in batches: when a batch goes to git, what waits while one runs, and how cat-file's answer
// is split (by bytes, and refused when it has another shape). git itself is a double here that answers on demand.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CommittedFileReader,
  DEFAULT_BATCH_LIMITS,
  parseBatch,
  type CommittedFile,
  type RunGit,
} from '../../../server/src/project/committed-files';
import {
  GIT_OUTPUT_TOO_LARGE,
  GIT_TIMED_OUT,
  type GitResult,
  type GitRunOptions,
} from '../../../server/src/project/git';

const COMMIT = 'a'.repeat(40);
const OID = 'b'.repeat(40);

/** What cat-file --batch prints for these answers (a string: the contents; null: missing), in order. */
function batchOutput(names: readonly string[], answers: readonly (string | null)[]): Buffer {
  return Buffer.concat(
    answers.map((answer, i) =>
      answer === null
        ? Buffer.from(`${names[i]} missing\n`)
        : Buffer.concat([Buffer.from(`${OID} blob ${Buffer.byteLength(answer)}\n`), Buffer.from(`${answer}\n`)]),
    ),
  );
}

/** A git double: records each run and answers it when the test says so. */
function heldGit(): {
  run: RunGit;
  runs: { args: readonly string[]; lines: string[]; answer: (result: GitResult) => void }[];
  started: () => Promise<void>;
} {
  const runs: { args: readonly string[]; lines: string[]; answer: (result: GitResult) => void }[] = [];
  let wake: (() => void) | undefined;
  return {
    runs,
    run: (_cwd, args, options?: GitRunOptions) =>
      new Promise<GitResult>((answer) => {
        runs.push({ args, lines: options?.input?.split('\n').slice(0, -1) ?? [], answer });
        wake?.();
      }),
    /** Resolves at the next run started. */
    started: () => new Promise<void>((resolve) => (wake = resolve)),
  };
}

/** Answers a cat-file run with each requested file's contents being its own name. */
function answerWithNames(run: { lines: string[]; answer: (result: GitResult) => void }): void {
  run.answer({ ok: true, stdout: batchOutput(run.lines, run.lines) });
}

const text = (file: CommittedFile): string | undefined =>
  file.kind === 'file' ? file.bytes.toString('utf8') : undefined;

describe('committed file reader', () => {
  // A window of a second: a batch that waited for it instead of starting at once would show as a missing run, and a
  // failing test would hold the process no longer than that.
  const slowWindow = { ...DEFAULT_BATCH_LIMITS, windowMs: 1000, maxObjects: 2 };

  it('sends a full batch at once, without waiting for the window', () => {
    const git = heldGit();
    const reader = new CommittedFileReader(git.run, slowWindow);
    void reader.read('/repo', COMMIT, 'a.json');
    assert.equal(git.runs.length, 0);
    void reader.read('/repo', COMMIT, 'b.json');
    assert.equal(git.runs.length, 1);
    assert.deepEqual(git.runs[0]!.args, ['cat-file', '--batch', '--buffer']);
    answerWithNames(git.runs[0]!);
  });

  it('starts nothing while a batch runs; what queued meanwhile goes when full, or once it waited the window', async () => {
    const git = heldGit();
    let clock = 0;
    const reader = new CommittedFileReader(git.run, slowWindow, () => clock);
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const reads = names.slice(0, 3).map((name) => reader.read('/repo', COMMIT, `${name}.json`));
    const batches = () => git.runs.map((run) => run.lines.map((line) => line.slice(COMMIT.length + 1, -5)));
    assert.deepEqual(batches(), [['a', 'b']]);
    clock = 400;
    answerWithNames(git.runs[0]!);
    await reads[0];
    assert.deepEqual(batches(), [['a', 'b']], 'c was asked for 400 ms ago: it waits for company');
    reads.push(reader.read('/repo', COMMIT, 'd.json'));
    assert.deepEqual(
      batches(),
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
      'a full batch goes at once',
    );
    reads.push(...['e', 'f'].map((name) => reader.read('/repo', COMMIT, `${name}.json`)));
    assert.equal(git.runs.length, 2, 'nothing starts while a batch runs, not even a full one');
    answerWithNames(git.runs[1]!);
    await reads[2];
    assert.deepEqual(batches().slice(2), [['e', 'f']]);
    reads.push(reader.read('/repo', COMMIT, 'g.json'));
    clock = 1400;
    answerWithNames(git.runs[2]!);
    await reads[4];
    assert.deepEqual(batches().slice(3), [['g']], 'g has waited its window');
    answerWithNames(git.runs[3]!);
    assert.deepEqual(
      (await Promise.all(reads)).map(text),
      names.map((name) => `${COMMIT}:${name}.json`),
    );
  });

  it('waits for more requests before the first batch goes', async () => {
    const git = heldGit();
    const reader = new CommittedFileReader(git.run);
    const started = git.started();
    const reads = [reader.read('/repo', COMMIT, 'a.json')];
    await Promise.resolve();
    reads.push(reader.read('/repo', COMMIT, 'b.json'));
    await started;
    assert.deepEqual(
      git.runs.map((run) => run.lines),
      [[`${COMMIT}:a.json`, `${COMMIT}:b.json`]],
    );
    answerWithNames(git.runs[0]!);
    assert.equal((await Promise.all(reads)).length, 2);
  });

  it('keeps repositories and commits apart: one batch each', async () => {
    const git = heldGit();
    const reader = new CommittedFileReader(git.run, { ...DEFAULT_BATCH_LIMITS, maxObjects: 2 });
    const other = 'c'.repeat(40);
    const reads = [
      reader.read('/repo', COMMIT, 'a.json'),
      reader.read('/repo', other, 'a.json'),
      reader.read('/elsewhere', COMMIT, 'a.json'),
      reader.read('/repo', COMMIT, 'b.json'),
    ];
    assert.deepEqual(
      git.runs.map((run) => run.lines),
      [[`${COMMIT}:a.json`, `${COMMIT}:b.json`]],
    );
    answerWithNames(git.runs[0]!);
    while (git.runs.length < 3) await git.started();
    for (const run of git.runs.slice(1)) answerWithNames(run);
    assert.deepEqual((await Promise.all(reads)).map(text), [
      `${COMMIT}:a.json`,
      `${other}:a.json`,
      `${COMMIT}:a.json`,
      `${COMMIT}:b.json`,
    ]);
  });

  it('reads a path with a line break alone, and takes a file too large to read as none, as in a batch', async () => {
    const git = heldGit();
    const reader = new CommittedFileReader(git.run);
    const odd = reader.read('/repo', COMMIT, 'odd\nname.json');
    assert.deepEqual(git.runs[0]?.args, ['show', `${COMMIT}:odd\nname.json`]);
    git.runs[0]?.answer({ ok: false, reason: GIT_OUTPUT_TOO_LARGE });
    assert.deepEqual(await odd, { kind: 'none' });
    const timedOut = reader.read('/repo', COMMIT, 'odd\rname.json');
    git.runs[1]?.answer({ ok: false, reason: GIT_TIMED_OUT });
    assert.deepEqual(await timedOut, { kind: 'failed' });
  });

  it('has no answer for any file of a batch whose output it cannot read', async () => {
    const git = heldGit();
    const reader = new CommittedFileReader(git.run);
    const started = git.started();
    const reads = [reader.read('/repo', COMMIT, 'a.json'), reader.read('/repo', COMMIT, 'b.json')];
    await started;
    git.runs[0]!.answer({ ok: true, stdout: Buffer.from('fatal: something else\n') });
    assert.deepEqual(await Promise.all(reads), [{ kind: 'failed' }, { kind: 'failed' }]);
  });
});

describe('cat-file batch output', () => {
  const names = [`${COMMIT}:a.json`, `${COMMIT}:b c.json`, `${COMMIT}:d.json`];

  it('is split by byte sizes: multi-byte characters, CRLF and line feeds inside a file stay in it', () => {
    const contents = ['{"t": "é 日本 😀"}\r\n', null, '\n\n{}\n'];
    const files = parseBatch(batchOutput(names, contents), names, DEFAULT_BATCH_LIMITS.maxFileBytes);
    assert.deepEqual(
      files?.map((file) => (file.kind === 'file' ? file.bytes.toString('utf8') : file.kind)),
      [contents[0], 'none', contents[2]],
    );
  });

  it('answers none for a folder and for a file larger than allowed', () => {
    const output = Buffer.concat([
      Buffer.from(`${OID} tree 3\nabc\n`),
      Buffer.from(`${OID} blob 11\n{"a": 1234}\n`),
      Buffer.from(`${OID} blob 2\n{}\n`),
    ]);
    assert.deepEqual(parseBatch(output, names, 10), [
      { kind: 'none' },
      { kind: 'none' },
      { kind: 'file', bytes: Buffer.from('{}') },
    ]);
  });

  it('is refused when it has another shape', () => {
    const good = batchOutput(names, ['{}', null, '{}']);
    const max = DEFAULT_BATCH_LIMITS.maxFileBytes;
    assert.ok(parseBatch(good, names, max));
    // A size that does not end at a line feed, an answer too few or too many, a missing line for another name.
    assert.equal(parseBatch(Buffer.from(good.toString().replace('blob 2', 'blob 3')), names, max), undefined);
    assert.equal(parseBatch(good.subarray(0, good.length - 1), names, max), undefined);
    assert.equal(parseBatch(Buffer.concat([good, Buffer.from('x')]), names, max), undefined);
    assert.equal(parseBatch(good, [...names, `${COMMIT}:e.json`], max), undefined);
    assert.equal(parseBatch(good, [names[0]!, `${COMMIT}:other.json`, names[2]!], max), undefined);
  });
});
