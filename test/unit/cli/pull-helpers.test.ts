// Helpers of `pull`: what `--owner-clients` does to .loginpolicyrc.json (API clients merged as fingerprints into
// `clients`, the rest of the file kept, labels and previous secrets kept, a replaced fingerprint moved to
// previousSecrets once with `validUntil: null`), and the progress lines of long runs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'jsonc-parser';
import { analyzeConfig } from '../../../server/src/engine/config/analyze-config';
import { mergeClients } from '../../../server/src/identity-cloud/config-clients-edit';
import { Progress } from '../../../server/src/identity-cloud/progress';
import type { CliIo } from '../../../server/src/cli/io';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const C = 'c'.repeat(64);
const OWNER = '7ns3pxeq92eghsqfu5sanshe939vmrjm';

type Entry = Record<string, unknown>;
const clientsOf = (text: string): Entry[] => (parse(text) as { clients: Entry[] }).clients;

describe('mergeClients', () => {
  it('creates the clients of an empty file', () => {
    const { text, added } = mergeClients('', [{ clientId: OWNER, features: ['owner'], secretSha256: A, label: 'x' }]);
    assert.deepEqual(added, [OWNER]);
    assert.deepEqual(clientsOf(text), [{ clientId: OWNER, features: ['owner'], secretSha256: A, label: 'x' }]);
    assert.deepEqual(analyzeConfig(text).findings, []);
  });

  it('moves a replaced fingerprint to previousSecrets with validUntil null, once, and keeps the label', () => {
    const before = `{
  // prod
  "rules": { "hosted-login-v1": "off" },
  "clients": [
    { "clientId": "${OWNER}", "label": "ours", "secretSha256": "${A}",
      "previousSecrets": [{ "sha256": "${C}", "validUntil": "2026-01-01T00:00:00Z" }] },
  ],
}
`;
    const first = mergeClients(before, [{ clientId: OWNER, features: ['owner'], secretSha256: B, label: 'theirs' }]);
    assert.deepEqual(first.replaced, [OWNER]);
    assert.deepEqual(first.updated, [OWNER]);
    assert.ok(first.text.includes('// prod'), 'comments stay');
    assert.deepEqual(clientsOf(first.text)[0], {
      clientId: OWNER,
      label: 'ours',
      secretSha256: B,
      previousSecrets: [
        { sha256: C, validUntil: '2026-01-01T00:00:00Z' },
        { sha256: A, validUntil: null },
      ],
      features: ['owner'],
    });
    assert.deepEqual(analyzeConfig(first.text).findings, []);
    // The same answer again changes nothing.
    const again = mergeClients(first.text, [
      { clientId: OWNER, features: ['owner'], secretSha256: B, label: 'theirs' },
    ]);
    assert.equal(again.text, first.text);
    assert.deepEqual([again.added, again.updated, again.replaced], [[], [], []]);
  });

  it('does not list a fingerprint twice in previousSecrets (one recorded with its end already)', () => {
    const before = JSON.stringify({
      clients: [
        { clientId: OWNER, secretSha256: A, previousSecrets: [{ sha256: A, validUntil: '2026-02-01T00:00:00Z' }] },
      ],
    });
    const { text } = mergeClients(before, [{ clientId: OWNER, secretSha256: B }]);
    assert.deepEqual(clientsOf(text)[0]!['previousSecrets'], [{ sha256: A, validUntil: '2026-02-01T00:00:00Z' }]);
  });

  it('leaves clients the API did not name as they are', () => {
    const before = JSON.stringify({ clients: [{ clientId: 'other', secretSha256: C }] }, null, 2);
    const { text } = mergeClients(before, [{ clientId: OWNER, secretSha256: A }]);
    assert.deepEqual(clientsOf(text), [
      { clientId: 'other', secretSha256: C },
      { clientId: OWNER, secretSha256: A },
    ]);
  });
});

describe('Progress', () => {
  it('says what it starts, then how far it got while it lasts', async () => {
    const lines: string[] = [];
    let notify: () => void = () => {};
    const second = new Promise<void>((resolve) => (notify = resolve));
    const io = {
      stderr: (text: string) => {
        lines.push(text);
        if (lines.length === 2) notify();
      },
    } as unknown as CliIo;
    const progress = new Progress(io, 'pulling 3 login policies', 3, 5);
    progress.tick();
    // Progress's timer never keeps a finished command alive; this test waits for it, so something must.
    const keepAlive = setInterval(() => undefined, 60_000);
    await second;
    clearInterval(keepAlive);
    progress.done();
    assert.deepEqual(lines.slice(0, 2), [
      'login-policy-lint: pulling 3 login policies…\n',
      'login-policy-lint: … 1 of 3\n',
    ]);
  });
});
