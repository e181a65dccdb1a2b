// The CLI reads the deployed versions of many policies in a git repository with a few git processes, not one per
// file: a git on PATH that notes each run counts them, and the edited policies are still the ones flagged.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../support/cli';
import { GitRepo } from '../support/git-repo';
import { policy } from '../unit/harness';

const COUNT = 40;
const EDITED = [3, 17, 38];

/** Policy `i`: its own id, and another entity type when `edited`. */
function numbered(i: number, edited = false): string {
  return policy((p) => {
    p['id'] = `7c2e91a4-3f5d-4b8e-a1c6-${String(i).padStart(12, '0')}`;
    p['title'] = `ACME policy ${i}`;
    if (edited) {
      const store = p['identityStoreDetails'] as { connectionDetails: Record<string, string> };
      store.connectionDetails['entityType'] = 'customer';
    }
  });
}

describe('login-policy-lint over many policies in git', () => {
  it('reads their deployed versions in one git process, and flags the edited ones', (t) => {
    if (process.platform === 'win32') {
      t.skip('the counting git is a shell script');
      return;
    }
    const repo = GitRepo.create('lpl-cli-batch-');
    const bin = mkdtempSync(path.join(tmpdir(), 'lpl-counting-git-'));
    const saved = process.env['PATH'];
    t.after(() => {
      process.env['PATH'] = saved;
      repo.remove();
      rmSync(bin, { recursive: true, force: true });
    });
    for (let i = 0; i < COUNT; i++) repo.write(`p${i}.loginpolicy.json`, numbered(i));
    repo.commit('deployed');
    for (const i of EDITED) repo.write(`p${i}.loginpolicy.json`, numbered(i, true));

    const calls = path.join(bin, 'calls');
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    // "$3": the git command after "-c core.quotepath=off".
    writeFileSync(path.join(bin, 'git'), `#!/bin/sh\necho "$3" >> "${calls}"\nexec "${realGit}" "$@"\n`);
    chmodSync(path.join(bin, 'git'), 0o755);
    process.env['PATH'] = `${bin}${path.delimiter}${saved ?? ''}`;
    const { stdout, stderr } = runCli([], repo.dir);

    const flagged = stdout
      .split('\n')
      .filter((line) => line.includes(' immutable-identity-store: '))
      .map((line) => line.split(':')[0]);
    assert.deepEqual(flagged.sort(), EDITED.map((i) => `p${i}.loginpolicy.json`).sort(), stderr);
    const commands = readFileSync(calls, 'utf8').split('\n').filter(Boolean);
    assert.deepEqual(
      commands.filter((command) => command === 'cat-file' || command === 'show'),
      ['cat-file'],
    );
  });
});
