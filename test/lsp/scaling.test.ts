// The language server over a workspace of many policies sharing one owner client: the time until every file's
// diagnostics are published, and the server's peak memory, grow in proportion to the number of files. Before, every
// file's facts listed every other policy: 1,000 files took 505 MB and 5,000 ran out of memory.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { LspTestClient } from '../support/lsp-client';
import { bestOf, sharedOwnerWorkspace } from '../support/shared-owner-workspace';

/** Far from both: linear is about 4, quadratic about 16. */
const LIMIT = 6.5;

/** The server's peak resident memory, in MB (Linux). */
function peakMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

describe('the language server on a workspace of policies sharing one owner client', () => {
  const small = 500;
  const large = 4 * small;
  let dirs: string[] = [];

  before(() => {
    dirs = [sharedOwnerWorkspace(small), sharedOwnerWorkspace(large)];
  });

  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** Milliseconds from start to every policy's diagnostics published, and the peak memory by then. */
  const pass = async (dir: string, files: number): Promise<{ ms: number; mb: number }> => {
    const started = performance.now();
    const { client } = await LspTestClient.start({ rootPath: dir, initializationOptions: { debounceMs: 0 } });
    try {
      const uris = Array.from({ length: files }, (_, i) => pathToFileURL(`${dir}/p${i}.loginpolicy.json`).href);
      await client.waitFor(
        () => (uris.every((uri) => client.publishedCount(uri) > 0) ? true : undefined),
        120_000,
        `all ${files} files published`,
      );
      return { ms: performance.now() - started, mb: peakMb(client.process.pid!) };
    } finally {
      await client.stop();
    }
  };

  it('publishes every file in time and memory in proportion to the number of files', async (t) => {
    const growth = await bestOf(
      3,
      async () => {
        const [a, b] = [await pass(dirs[0]!, small), await pass(dirs[1]!, large)];
        return { time: b.ms / a.ms, memory: b.mb / a.mb, mb: b.mb };
      },
      (g) => g.time < LIMIT && g.memory < LIMIT,
      (a, b) => ({ time: Math.min(a.time, b.time), memory: Math.min(a.memory, b.memory), mb: Math.min(a.mb, b.mb) }),
    );
    t.diagnostic(
      `${large} files: ${growth.time.toFixed(2)}× the time and ${growth.memory.toFixed(2)}× the memory of ${small} (${growth.mb.toFixed(0)} MB)`,
    );
    assert.ok(growth.time < LIMIT, `4× the files took ${growth.time.toFixed(1)}× the time`);
    assert.ok(growth.memory < LIMIT, `4× the files took ${growth.memory.toFixed(1)}× the memory`);
    assert.ok(growth.mb < 250, `${large} files took ${growth.mb.toFixed(0)} MB at the peak`);
  });
});
