// Large workspaces over LSP: a change is analysed again where it matters and nowhere else (an edit, a config, a
// commit), in push and pull mode, and a file with thousands of findings sends the editor at most 1,000 of them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { GitRepo } from '../support/git-repo';
import { DEFAULT_CAPABILITIES, LspTestClient, messageOf } from '../support/lsp-client';
import { policy, VALID_POLICY } from '../unit/harness';

const SECRET = VALID_POLICY.identityStoreDetails.connectionDetails.clientSecret;
const OTHER_SECRET = 'z1x2c3v4b5n6m7a8s9d0f1g2h3j4k5l6';
const codesOf = (p: { diagnostics: Diagnostic[] }) => p.diagnostics.map((d) => String(d.code));

/** A policy of the shared owner client with its own id and title. */
function numbered(i: number, secret = SECRET): string {
  return policy((p) => {
    p['id'] = `7c2e91a4-3f5d-4b8e-a1c6-${String(i).padStart(12, '0')}`;
    p['title'] = `Policy ${i}`;
    (p['identityStoreDetails'] as { connectionDetails: { clientSecret: string } }).connectionDetails.clientSecret =
      secret;
  });
}

/**
 * A server on a folder of `count` policies sharing one owner client, once every one of them was published
 * `settled` times (in a git repository, twice: again when its deployed version arrives).
 */
async function sharedOwnerWorkspace(prefix: string, count: number, git: boolean) {
  const repo = GitRepo.create(prefix, { git });
  for (let i = 0; i < count; i++) repo.write(`p${i}.loginpolicy.json`, numbered(i));
  repo.write('team/.loginpolicyrc.json', '{}');
  repo.write('team/t0.loginpolicy.json', numbered(100));
  repo.write('team/t1.loginpolicy.json', numbered(101));
  if (git) repo.commit('deployed');
  const { client } = await LspTestClient.start({ rootPath: repo.dir });
  const uriOf = (file: string) => pathToFileURL(repo.path(file)).href;
  const policyUris = Array.from({ length: count }, (_, i) => uriOf(`p${i}.loginpolicy.json`));
  const settled = git ? 2 : 1;
  try {
    await client.waitFor(
      () => (policyUris.every((uri) => client.publishedCount(uri) >= settled) ? true : undefined),
      20_000,
      'every policy published',
    );
  } catch (e) {
    // The describe's after() has no workspace to stop: stop its server here, or the file's process stays alive.
    await client.stop();
    repo.remove();
    throw e;
  }
  let barriers = 0;
  return {
    repo,
    client,
    uriOf,
    policyUris,
    /** How often each policy's diagnostics were published so far. */
    counts: () => new Map(policyUris.map((uri) => [uri, client.publishedCount(uri)])),
    /**
     * A later event every earlier analysis comes before: a new policy file on disk is analysed behind whatever
     * other files were queued for analysis already.
     */
    barrier: async () => {
      const file = `barrier-${++barriers}.loginpolicy.json`;
      repo.write(
        file,
        policy((p) => delete p['id']),
      );
      await client.filesChanged([uriOf(file)], 1);
      await client.nextDiagnostics(uriOf(file), 0);
    },
    /** The policies published again since `before`, other than `except`. */
    republished: (before: Map<string, number>, except: string) =>
      [...before].filter(([uri, count]) => uri !== except && client.publishedCount(uri) > count).map(([uri]) => uri),
  };
}

describe('a workspace of policies sharing one owner client', () => {
  let w: Awaited<ReturnType<typeof sharedOwnerWorkspace>>;
  let client: LspTestClient;
  const uriOf = (file: string) => w.uriOf(file);
  const policyUris = () => w.policyUris;
  const counts = () => w.counts();
  const barrier = () => w.barrier();
  const republished = (before: Map<string, number>, except: string) => w.republished(before, except);
  /** Closes a policy of the folder: it goes back to its file on disk, whose findings are published again. */
  const close = async (uri: string) => {
    const seen = client.publishedCount(uri);
    await client.close(uri);
    await client.nextDiagnostics(uri, seen);
  };

  before(async () => {
    w = await sharedOwnerWorkspace('lpl-lsp-big-', 30, false);
    client = w.client;
  });

  after(async () => {
    await client.stop();
    w.repo.remove();
  });

  it('analyses only the edited file when the edit changes nothing other files see', async () => {
    const uri = uriOf('p0.loginpolicy.json');
    await client.open(uri, numbered(0));
    await client.diagnostics(uri, (p) => p.version === 1);
    const before = counts();
    await client.change(uri, numbered(0).replace('"Policy 0"', '"Policy zero"'), 2);
    await client.diagnostics(uri, (p) => p.version === 2);
    await barrier();
    assert.deepEqual(republished(before, uri), []);
    await close(uri);
  });

  it('analyses again every file of the owner client when the edit changes its secret, and they see it', async () => {
    const uri = uriOf('p1.loginpolicy.json');
    await client.open(uri, numbered(1));
    await client.diagnostics(uri, (p) => p.version === 1);
    await client.change(uri, numbered(1, OTHER_SECRET), 2);
    const mine = await client.diagnostics(uri, (p) => p.version === 2 && codesOf(p).includes('divergent-owner-secret'));
    assert.match(
      messageOf(mine.diagnostics.find((d) => d.code === 'divergent-owner-secret')!),
      /[\w-]+\.loginpolicy\.json and \d+ other files hold [0-9a-f]{8}…/,
      'one file named for the other secret, the rest counted',
    );
    for (const other of policyUris().filter((u) => u !== uri)) {
      await client.diagnostics(other, (p) => codesOf(p).includes('divergent-owner-secret'));
    }
    // Back to the common secret: the warning leaves every file.
    await client.change(uri, numbered(1), 3);
    for (const other of policyUris()) {
      await client.diagnostics(other, (p) => !codesOf(p).includes('divergent-owner-secret'));
    }
    await close(uri);
  });

  it('analyses again only the files under a config that changed', async () => {
    const team = [uriOf('team/t0.loginpolicy.json'), uriOf('team/t1.loginpolicy.json')];
    const before = counts();
    w.repo.write('team/.loginpolicyrc.json', JSON.stringify({ rules: { 'unverified-owner-secret': 'off' } }));
    await client.filesChanged([uriOf('team/.loginpolicyrc.json')], 2);
    for (const uri of team) await client.diagnostics(uri, (p) => !codesOf(p).includes('unverified-owner-secret'));
    await barrier();
    assert.deepEqual(republished(before, ''), [], 'no file outside the config folder');
  });
});

describe('a workspace of deployed policies in git', () => {
  let w: Awaited<ReturnType<typeof sharedOwnerWorkspace>>;

  before(async () => {
    w = await sharedOwnerWorkspace('lpl-lsp-big-git-', 10, true);
  });

  after(async () => {
    await w.client.stop();
    w.repo.remove();
  });

  it('analyses again, once, the file whose deployed version a commit changed', async () => {
    const uri = w.uriOf('p2.loginpolicy.json');
    const edited = numbered(2).replace('"acme-prod.eu.janraincapture.com"', '"acme.eu.janraincapture.com"');
    w.repo.write('p2.loginpolicy.json', edited);
    await w.client.filesChanged([uri], 2);
    await w.client.diagnostics(uri, (p) => codesOf(p).includes('immutable-identity-store'));
    const before = w.counts();
    w.repo.commit('deployed again');
    await w.client.filesChanged([pathToFileURL(w.repo.path('.git/refs/heads/main')).href], 2);
    const after = await w.client.diagnostics(uri, (p) => !codesOf(p).includes('immutable-identity-store'));
    assert.ok(after);
    await w.barrier();
    assert.deepEqual(w.republished(before, uri), [], 'the others were deployed as they are');
    assert.equal(w.client.publishedCount(uri), before.get(uri)! + 1, 'once');
  });
});

describe('a workspace in pull mode', () => {
  it('shows another open policy what an edit changed, when the editor pulls again', async () => {
    const repo = GitRepo.create('lpl-lsp-big-pull-', { git: false });
    repo.write('a.loginpolicy.json', numbered(1));
    repo.write('b.loginpolicy.json', numbered(2));
    const { client } = await LspTestClient.start({
      rootPath: repo.dir,
      capabilities: {
        ...DEFAULT_CAPABILITIES,
        workspace: { ...DEFAULT_CAPABILITIES.workspace, diagnostics: { refreshSupport: true } },
        textDocument: { ...DEFAULT_CAPABILITIES.textDocument, diagnostic: { dynamicRegistration: false } },
      },
      initializationOptions: { debounceMs: 20, pullDiagnostics: true },
    });
    try {
      const [a, b] = ['a', 'b'].map((name) => pathToFileURL(repo.path(`${name}.loginpolicy.json`)).href) as [
        string,
        string,
      ];
      const pull = async (uri: string) =>
        (await client.request<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } })).items;
      await client.open(a, numbered(1));
      await client.open(b, numbered(2));
      assert.ok(!(await pull(b)).some((d) => d.code === 'divergent-owner-secret'));
      const asked = client.diagnosticRefreshes;
      await client.change(a, numbered(1, OTHER_SECRET), 2);
      // The editor pulls the edited document itself; the server asks it to pull the others again.
      assert.ok((await pull(a)).some((d) => d.code === 'divergent-owner-secret'));
      await client.waitFor(() => (client.diagnosticRefreshes > asked ? true : undefined), 5000, 'a refresh');
      assert.ok((await pull(b)).some((d) => d.code === 'divergent-owner-secret'));
      assert.equal(client.published.size, 0, 'nothing pushed');
    } finally {
      await client.stop();
      repo.remove();
    }
  });
});

describe('a file with thousands of findings', () => {
  it('sends the editor at most 1,000 diagnostics, errors first, and says how many more the CLI lists', async () => {
    const { client } = await LspTestClient.start();
    try {
      const text = policy((p) => {
        for (let i = 0; i < 5000; i++) p[`extra${i}`] = i;
        delete p['title'];
        p['title'] = 42;
      });
      const uri = 'file:///tmp/thousands.loginpolicy.json';
      await client.open(uri, text);
      const { diagnostics }: PublishDiagnosticsParams = await client.diagnostics(uri);
      assert.equal(diagnostics.length, 1000);
      assert.ok(
        diagnostics.some((d) => d.code === 'schema' && d.severity === 1),
        'the error at the end is kept',
      );
      const limit = diagnostics.filter((d) => d.code === 'analysis-limit');
      assert.equal(limit.length, 1);
      assert.match(
        messageOf(limit[0]!),
        /^4,\d{3} more findings in this file are not shown: the editor is sent at most 1,000 per file, errors first\. The CLI \(login-policy-lint\) lists all 5,\d{3}\.$/,
      );
    } finally {
      await client.stop();
    }
  });
});
