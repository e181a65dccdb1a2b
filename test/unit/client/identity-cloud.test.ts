// The client's Identity Cloud helpers that run without VS Code: where the connection keeps what (workspace state
// never holds the secret), which API base the extension host accepts from its environment (loopback only), a
// cancel that cuts a request short, the file events a pull reports to the server, and the status document.
import '../../support/vscode-stub'; // first: client modules require('vscode')
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { FileChangeType } from 'vscode-languageserver-protocol';
import {
  apiBaseOverride,
  checkedFields,
  CONNECTION_STATE_KEY,
  fieldsFrom,
  SECRET_SCOPE_STATE_KEY,
} from '../../../client/src/connection-fields';
import { connectionOptions, IdentityCloudConnection } from '../../../client/src/identity-cloud-connection';
import { redactor } from '../../../client/src/log';
import { pullFileEvents } from '../../../client/src/pull-file-events';
import { agoWords, statusMarkdown, text } from '../../../client/src/status-markdown';
import { executePull } from '../../../server/src/identity-cloud/deployed-pull';
import type { StatusRow } from '../../../server/src/identity-cloud/deployed-status';
import { DEMO, demoOptions, seedDemo } from '../../fake-identity-cloud/demo-seed';
import { FakeIdentityCloud } from '../../fake-identity-cloud/server';

const FIELDS = { customerId: DEMO.customerId, region: 'us', configClientId: DEMO.configClient.id };
const SECRET = 'canaryCONNECTsecret-7d1e5c0b9a8f4e3d2c1b0a9f8e7d';

/**
 * The two stores of an ExtensionContext the connection uses: workspace state, and SecretStorage, which is the
 * extension's and so shared by the contexts of every workspace (pass the same map).
 */
function fakeContext(secrets = new Map<string, string>()): {
  context: vscode.ExtensionContext;
  state: Map<string, unknown>;
  secrets: Map<string, string>;
} {
  const state = new Map<string, unknown>();
  const context = {
    workspaceState: {
      get: (key: string) => state.get(key),
      update: (key: string, value: unknown) => {
        if (value === undefined) state.delete(key);
        else state.set(key, structuredClone(value));
        return Promise.resolve();
      },
    },
    secrets: {
      get: (key: string) => Promise.resolve(secrets.get(key)),
      store: (key: string, value: string) => Promise.resolve(void secrets.set(key, value)),
      delete: (key: string) => Promise.resolve(void secrets.delete(key)),
    },
  } as unknown as vscode.ExtensionContext;
  return { context, state, secrets };
}

describe('the connection to Identity Cloud', () => {
  it('keeps the secret in SecretStorage only: workspace state holds the customer, region and client id', async () => {
    const { context, state, secrets } = fakeContext();
    const connection = new IdentityCloudConnection(context);
    assert.equal(await connection.clientOptions(), undefined, 'not connected');
    await connection.save(FIELDS, SECRET);
    assert.deepEqual(state.get(CONNECTION_STATE_KEY), FIELDS);
    assert.deepEqual(
      [...state.keys()].sort(),
      [CONNECTION_STATE_KEY, SECRET_SCOPE_STATE_KEY],
      "the connection, and the workspace's part of its SecretStorage key",
    );
    assert.ok(!JSON.stringify([...state]).includes(SECRET));
    assert.deepEqual([...secrets.values()], [SECRET]);
    assert.equal((await connection.clientOptions())?.configClientSecret, SECRET);
    assert.ok(!redactor.redact(`the secret ${SECRET} in a log line`).includes(SECRET), 'the log masks it');

    await connection.save({ ...FIELDS, configClientId: 'another-client' }, `${SECRET}-2`);
    assert.deepEqual([...secrets.values()], [`${SECRET}-2`], "the previous client's secret is not kept");
    assert.deepEqual(await connection.forget(), { ...FIELDS, configClientId: 'another-client' });
    assert.equal(state.get(CONNECTION_STATE_KEY), undefined);
    assert.deepEqual([...secrets], []);
    assert.equal(connection.fields(), undefined);
  });

  it('never deletes a secret another workspace still uses: a Connect to another client, a Disconnect', async () => {
    // SecretStorage is the extension's, not the workspace's: two workspaces share it.
    const shared = new Map<string, string>();
    const a = new IdentityCloudConnection(fakeContext(shared).context);
    const b = new IdentityCloudConnection(fakeContext(shared).context);
    await a.save(FIELDS, SECRET);
    await b.save(FIELDS, SECRET);
    await b.save({ ...FIELDS, configClientId: 'another-client' }, `${SECRET}-2`);
    assert.equal((await a.clientOptions())?.configClientSecret, SECRET, "B's Connect to another client");
    assert.equal((await b.clientOptions())?.configClientSecret, `${SECRET}-2`);
    await b.forget();
    assert.equal((await a.clientOptions())?.configClientSecret, SECRET, "B's Disconnect");
    assert.equal(await b.clientOptions(), undefined);
    await b.save(FIELDS, `${SECRET}-3`);
    await b.forget();
    assert.equal((await a.clientOptions())?.configClientSecret, SECRET, "B's Disconnect from the same client");
    assert.deepEqual([...shared.values()], [SECRET], "B's own secrets are gone, A's is kept");
    await a.forget();
    assert.deepEqual([...shared], []);
  });

  it('is none when the stored secret is gone (cleared outside this workspace)', async () => {
    const { context, secrets } = fakeContext();
    const connection = new IdentityCloudConnection(context);
    await connection.save(FIELDS, SECRET);
    secrets.clear();
    assert.equal(await connection.clientOptions(), undefined);
  });

  it('checks and normalises what is typed; reads back only a well-formed state', () => {
    assert.deepEqual(checkedFields({ customerId: ` ${DEMO.customerId} `, region: 'EU', configClientId: ' c1 ' }), {
      customerId: DEMO.customerId,
      region: 'eu',
      configClientId: 'c1',
    });
    assert.deepEqual(checkedFields({ ...FIELDS, region: 'usa' }), {
      problem: 'the region must be two letters such as us, eu or jp',
    });
    assert.match(String((checkedFields({ ...FIELDS, customerId: 'a/b' }) as { problem: string }).problem), /UUID/);
    assert.deepEqual(checkedFields({ ...FIELDS, configClientId: '' }), {
      problem: 'enter the configuration client id',
    });
    assert.deepEqual(fieldsFrom(FIELDS), FIELDS);
    for (const bad of [undefined, 'x', { ...FIELDS, region: 7 }, { ...FIELDS, customerId: '../x' }]) {
      assert.equal(fieldsFrom(bad), undefined, JSON.stringify(bad));
    }
  });
});

describe('the API base from the extension host environment', () => {
  const env = (value: string) => ({ LOGIN_POLICY_API_BASE: value });

  it('is the loopback base of tests and demos, and nothing when unset', () => {
    assert.deepEqual(apiBaseOverride({}), {});
    assert.deepEqual(apiBaseOverride(env('  ')), {});
    assert.deepEqual(apiBaseOverride(env('http://127.0.0.1:43123/')), { apiBase: 'http://127.0.0.1:43123' });
    assert.deepEqual(apiBaseOverride(env('http://localhost:8080')), { apiBase: 'http://localhost:8080' });
    assert.deepEqual(apiBaseOverride(env('https://[::1]:8443')), { apiBase: 'https://[::1]:8443' });
  });

  it('ignores any other host, even over https, and never repeats a user name or password', () => {
    for (const value of ['https://v1.api.eu.janrain.com', 'http://collector.example', 'https://127.0.0.1.example']) {
      const { apiBase, ignored } = apiBaseOverride(env(value));
      assert.equal(apiBase, undefined, value);
      assert.match(ignored ?? '', /^LOGIN_POLICY_API_BASE is ignored: /, value);
    }
    const withPassword = apiBaseOverride(env('http://admin:hunter2hunter2@127.0.0.1:1'));
    assert.equal(withPassword.apiBase, undefined);
    assert.ok(!withPassword.ignored?.includes('hunter2'), withPassword.ignored);
  });
});

describe('a cancelled pull', () => {
  let cloud: FakeIdentityCloud;
  let dir: string;

  beforeEach(async () => {
    cloud = await FakeIdentityCloud.start(demoOptions());
    seedDemo(cloud);
    dir = mkdtempSync(path.join(tmpdir(), 'lpl-cancel-'));
    process.env['LOGIN_POLICY_API_BASE'] = cloud.url;
  });

  afterEach(async () => {
    delete process.env['LOGIN_POLICY_API_BASE'];
    await cloud.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('cuts the requests under way short, long before their timeout, and writes nothing', async () => {
    // Every OIDC client GET hangs: only the cancel can end the pull before the 10 s timeout.
    cloud.injectFault({
      method: 'GET',
      path: `/${DEMO.customerId}/config/clients/*`,
      kind: 'timeout',
      times: Infinity,
    });
    const cancel = new AbortController();
    const reason = new Error('cancelled');
    let ticks = 0;
    const started = Date.now();
    const connection = connectionOptions(FIELDS, DEMO.configClient.secret, { signal: cancel.signal });
    assert.equal(connection.apiBase, cloud.url);
    await assert.rejects(
      executePull(
        { config: undefined, outDir: path.join(dir, 'deployed'), connection, owner: undefined },
        {
          cwd: dir,
          stderr: () => undefined,
          signal: cancel.signal,
          progress: () => ({
            // Once the 3 policies are read, the clients' GETs are under way: cancel then.
            tick: () => void (++ticks === 3 && setTimeout(() => cancel.abort(reason), 50)),
            done: () => undefined,
          }),
        },
      ),
      (error) => error === reason,
    );
    assert.ok(Date.now() - started < 5000, `ended by the cancel (${Date.now() - started} ms)`);
    assert.deepEqual(readdirSync(dir), [], 'no pulled folder, no temporary folder');
  });
});

describe('the file events of a pull', () => {
  const changes = { added: ['a.json', 'clients/c.json'], changed: ['b.json'], removed: ['gone.json'] };

  it('reports the temporary folder gone and every change of the pulled folder', () => {
    const events = pullFileEvents(
      { outDir: '/w/deployed', stagingDir: '/w/.deployed.pull-x', written: true, changes },
      ['a.json', 'b.json', 'clients/c.json', 'pulled.json'],
    );
    assert.deepEqual(
      events.map((e) => `${e.type} ${e.path}`),
      [
        `${FileChangeType.Deleted} ${path.join('/w/.deployed.pull-x', 'a.json')}`,
        `${FileChangeType.Deleted} ${path.join('/w/.deployed.pull-x', 'b.json')}`,
        `${FileChangeType.Deleted} ${path.join('/w/.deployed.pull-x', 'clients', 'c.json')}`,
        `${FileChangeType.Deleted} ${path.join('/w/.deployed.pull-x', 'pulled.json')}`,
        `${FileChangeType.Created} ${path.join('/w/deployed', 'a.json')}`,
        `${FileChangeType.Created} ${path.join('/w/deployed', 'clients', 'c.json')}`,
        `${FileChangeType.Changed} ${path.join('/w/deployed', 'b.json')}`,
        `${FileChangeType.Deleted} ${path.join('/w/deployed', 'gone.json')}`,
        `${FileChangeType.Changed} ${path.join('/w/deployed', 'pulled.json')}`,
      ],
    );
  });

  it('reports nothing when the pull wrote nothing', () => {
    assert.deepEqual(pullFileEvents({ outDir: '/w/deployed', written: false, changes }, ['a.json']), []);
  });
});

describe('the deployment status document', () => {
  const meta = { pulledAt: '2026-12-06T03:55:00Z', customerId: DEMO.customerId, region: 'us', policies: 3, clients: 2 };
  const row = (over: Partial<StatusRow>): StatusRow => ({
    id: 'p-1',
    title: 'Policy',
    version: 'v2',
    clients: [],
    secret: { state: 'current', why: 'the current secret' },
    ...over,
  });
  const now = new Date('2026-12-06T04:00:30Z');

  it('says first which policies break sign-in and which clients they take down, linked to their files', () => {
    const markdown = statusMarkdown({
      rows: [
        row({
          id: 'p-stale',
          title: 'ACME Default',
          version: 'v1',
          clients: [
            { id: 'c-web', name: 'Web' },
            { id: 'c-ios', name: '' },
          ],
          secret: { state: 'stale', why: 'it is not the current secret of client 7ns3pxeq…' },
        }),
        row({ id: 'p-ok', title: 'Fine' }),
      ],
      meta,
      folder: 'deployed/',
      files: new Map([['p-stale', { uri: 'file:///w/a%20b.loginpolicy.json', path: 'a b.loginpolicy.json' }]]),
      now,
    });
    const lines = markdown.split('\n');
    assert.equal(lines[0], '# Deployed login policies');
    assert.match(
      lines[2]!,
      /^Customer `e0a70b4f-1eef-4856-bcdb-f050fee66aae` \(us\), pulled 2026-12-06 03:55 UTC \(5 min ago\) into `deployed\/`\./,
    );
    assert.ok(
      lines.includes('## Sign-in is broken now through 1 of 2 deployed login policies, taking down 2 OIDC clients'),
    );
    assert.ok(
      lines.includes(
        '- "ACME Default" ([p-stale](<file:///w/a%20b.loginpolicy.json>), v1): **stale owner secret**: it is not the current secret of client 7ns3pxeq….',
      ),
    );
    assert.ok(lines.includes('  It takes down 2 OIDC clients: Web (`c-web`), `c-ios`.'));
    assert.ok(
      lines.includes(
        '| **stale** | v1 | `p-stale` | ACME Default | Web, c-ios | [a b.loginpolicy.json](<file:///w/a%20b.loginpolicy.json>) |',
      ),
    );
    assert.ok(lines.includes('| current | v2 | `p-ok` | Fine | — | none |'));
  });

  it('says when no deployed policy breaks sign-in', () => {
    const markdown = statusMarkdown({ rows: [row({})], meta, folder: 'deployed/', files: new Map(), now });
    assert.match(markdown, /^## No deployed login policy is known to break sign-in now \(1 policy\)$/m);
    assert.doesNotMatch(markdown, /broken now/);
  });

  it('shows titles, names and reasons literally: no link, image, HTML or table cell can come from them', () => {
    const hostile =
      'x](javascript:alert(1)) ![i](http://t/p.png) <img src=x onerror=alert(1)> | cell `code` *em* &amp;';
    const markdown = statusMarkdown({
      rows: [
        row({
          id: 'p`1',
          title: hostile,
          clients: [{ id: 'c', name: hostile }],
          secret: { state: 'unknown', why: hostile },
        }),
      ],
      meta,
      folder: 'deployed/',
      files: new Map(),
      now,
    });
    const escaped = text(hostile);
    assert.equal(
      escaped,
      'x\\](javascript:alert(1)) \\!\\[i\\](http://t/p.png) \\<img src=x onerror=alert(1)\\> \\| cell \\`code\\` \\*em\\* \\&amp;',
    );
    assert.ok(!markdown.includes(hostile), 'never verbatim');
    assert.equal(markdown.split(escaped).length - 1, 4, 'title in the list and the table, the client name, the reason');
    assert.ok(markdown.includes('| p\\`1 |'), 'an id that is not plain is text, not a code span it could close');
    assert.doesNotMatch(markdown, /(^|[^\\])<img/, 'no HTML tag');
    assert.equal(text('a\nb\t c'), 'a b c', 'one line');
  });

  it('says how long ago in words', () => {
    const at = (minutes: number) => agoWords(new Date(now.getTime() - minutes * 60_000), now);
    assert.deepEqual(
      [at(0), at(0.9), at(1), at(59), at(60), at(47 * 60), at(48 * 60), at(100 * 24 * 60)],
      ['just now', 'just now', '1 min ago', '59 min ago', '1 h ago', '47 h ago', '2 days ago', '100 days ago'],
    );
  });
});
