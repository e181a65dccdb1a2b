// The frozen-block code actions on their own: which revert a finding gets, what "revert all" keeps, the shape of
// "Generate a new login policy", and the commands only a client that has them is given.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, CodeActionParams, TextEdit } from 'vscode-languageserver';
import { analyze } from '../../../server/src/engine/analyze';
import type { AnalysisFacts } from '../../../server/src/engine/facts';
import { knownClientsFrom } from '../../../server/src/engine/owner-secret/known-clients';
import { fingerprint } from '../../../server/src/shared/fingerprint';
import { toDiagnostics } from '../../../server/src/features/diagnostics';
import { getPolicyActions, type PolicyActionEnv } from '../../../server/src/features/policy-actions';
import { policy, VALID_POLICY } from '../harness';

const URI = 'file:///work/acme.loginpolicy.json';
const NEW_URI = 'file:///work/acme.new.loginpolicy.json';
const DEPLOYED = VALID_POLICY.identityStoreDetails;
const CLIENT_ID = DEPLOYED.connectionDetails.clientId;

function actionsFor(text: string, env: Partial<PolicyActionEnv> = {}, only?: string[], facts: AnalysisFacts = {}) {
  const doc = TextDocument.create(URI, 'login-policy', 3, text);
  const analysis = analyze(text, {
    // The deployed version is git HEAD's DEPLOYED unless the test gives another.
    facts: { baseline: { id: VALID_POLICY.id, identityStoreDetails: DEPLOYED, label: 'git HEAD' }, ...facts },
  });
  const diagnostics = toDiagnostics(doc, analysis.findings);
  const params: CodeActionParams = {
    textDocument: { uri: URI },
    range: { start: { line: 0, character: 0 }, end: doc.positionAt(text.length) },
    context: { diagnostics, ...(only ? { only } : {}) },
  };
  const actions = getPolicyActions(
    {
      doc,
      analysis,
      newPolicyUri: () => NEW_URI,
      clientsToRepoint: () => [],
      canCreateFiles: true,
      changeAnnotations: true,
      canFillSecrets: true,
      takenTitles: () => new Set(),
      now: new Date(2026, 10, 27, 12),
      ...env,
    },
    params,
  );
  return { doc, diagnostics, actions };
}

const edited = (change: (details: Record<string, unknown>) => void) =>
  policy((p) =>
    change((p['identityStoreDetails'] as { connectionDetails: Record<string, unknown> }).connectionDetails),
  );

function applied(doc: TextDocument, action: CodeAction): string {
  const edits = action.edit!.changes![doc.uri] as TextEdit[];
  return TextDocument.applyEdits(doc, edits);
}

describe('frozen-block code actions', () => {
  it('gives each removed key its own revert, although all of them sit on the same key', () => {
    const { doc, actions } = actionsFor(
      edited((d) => {
        delete d['domain'];
        delete d['entityType'];
      }),
    );
    const domain = actions.find((a) => a.title === 'Revert domain to the deployed value')!;
    const entityType = actions.find((a) => a.title === 'Revert entityType to the deployed value')!;
    assert.match(applied(doc, domain), /"domain": "acme-prod\.eu\.janraincapture\.com"/);
    assert.doesNotMatch(applied(doc, domain), /"entityType"/);
    assert.match(applied(doc, entityType), /"entityType": "user"/);
    const all = actions.find((a) => a.title === 'Revert all of identityStoreDetails to the deployed value')!;
    assert.deepEqual(JSON.parse(applied(doc, all)), JSON.parse(policy()));
  });

  it('reverts all changed values in place, keeping comments and formatting', () => {
    const text = edited((d) => {
      d['domain'] = 'acme.eu.janraincapture.com';
      d['entityType'] = 'customer';
      d['region'] = 'eu';
    }).replace('"type": "janrainCapture",', '"type": "janrainCapture", // deployed in March');
    const { doc, actions } = actionsFor(text);
    const all = actions.find((a) => a.title === 'Revert all of identityStoreDetails to the deployed value')!;
    const out = applied(doc, all);
    assert.equal(out, policy().replace('"type": "janrainCapture",', '"type": "janrainCapture", // deployed in March'));
  });

  it('generates a new policy in one edit: create, content, and the old file reverted at its version', () => {
    const { actions } = actionsFor(edited((d) => (d['entityType'] = 'customer')));
    const generate = actions.find((a) => a.title === 'Generate a new login policy')!;
    const [create, content, revert] = generate.edit!.documentChanges!;
    assert.deepEqual(create, {
      kind: 'create',
      uri: NEW_URI,
      options: { overwrite: false, ignoreIfExists: false },
      annotationId: 'login-policy.create',
    });
    assert.ok(content && 'textDocument' in content && content.textDocument.uri === NEW_URI);
    const created = JSON.parse((content.edits[0] as TextEdit).newText) as {
      title: string;
      identityStoreDetails: typeof DEPLOYED;
    };
    assert.equal(created.identityStoreDetails.connectionDetails.entityType, 'customer');
    assert.equal(created.title, 'ACME EU Login Policy v2 (2026-11-27)');
    assert.ok(revert && 'textDocument' in revert);
    assert.deepEqual(revert.textDocument, { uri: URI, version: 3 });
  });

  it('gives the new policy a placeholder, not an edited secret known not to be current', () => {
    const clients = knownClientsFrom({
      path: '.loginpolicyrc.json',
      clients: [
        {
          clientId: CLIENT_ID,
          features: ['owner'],
          secretSha256: fingerprint('the-current-owner-secret-0123'),
          label: 'owner',
        },
      ],
    });
    const { actions } = actionsFor(
      edited((d) => (d['entityType'] = 'customer')),
      {},
      undefined,
      { clients },
    );
    const generate = actions.find((a) => a.title === 'Generate a new login policy')!;
    const content = generate.edit!.documentChanges![1]!;
    assert.ok('textDocument' in content);
    const created = JSON.parse((content.edits[0] as TextEdit).newText) as { identityStoreDetails: typeof DEPLOYED };
    assert.equal(created.identityStoreDetails.connectionDetails.entityType, 'customer', 'the edit is kept');
    assert.equal(
      created.identityStoreDetails.connectionDetails.clientSecret,
      `<current secret of owner client ${CLIENT_ID}>`,
    );
    assert.deepEqual(generate.command?.arguments, [NEW_URI, CLIENT_ID, { generated: true }]);
  });

  it("gives the new policy a placeholder when the file holds only its secret's fingerprint", () => {
    const { actions } = actionsFor(
      edited((d) => {
        d['entityType'] = 'customer';
        d['clientSecret'] = `sha256:${fingerprint(DEPLOYED.connectionDetails.clientSecret)}`;
      }),
    );
    const generate = actions.find((a) => a.title === 'Generate a new login policy')!;
    const content = generate.edit!.documentChanges![1]!;
    assert.ok('textDocument' in content);
    const created = JSON.parse((content.edits[0] as TextEdit).newText) as { identityStoreDetails: typeof DEPLOYED };
    assert.equal(
      created.identityStoreDetails.connectionDetails.clientSecret,
      `<current secret of owner client ${CLIENT_ID}>`,
      'a POST needs the secret, not its fingerprint',
    );
  });

  it('offers no revert of clientSecret to a pulled fingerprint, which is no secret to put back', () => {
    const text = edited((d) => (d['clientSecret'] = 'z1x2c3v4b5n6m7a8s9d0f1g2h3j4k5l6'));
    const pulled = {
      ...DEPLOYED,
      connectionDetails: {
        ...DEPLOYED.connectionDetails,
        clientSecret: `sha256:${fingerprint(DEPLOYED.connectionDetails.clientSecret)}`,
      },
    };
    const { diagnostics, actions } = actionsFor(text, {}, undefined, {
      baseline: { id: VALID_POLICY.id, identityStoreDetails: pulled, label: 'deployed/x.json' },
    });
    assert.ok(
      diagnostics.some((d) => d.code === 'immutable-identity-store'),
      'the secret differs from the deployed one',
    );
    assert.ok(!actions.some((a) => a.title === 'Revert clientSecret to the deployed value'));
  });

  it('is not offered where the editor cannot create files', () => {
    const { actions } = actionsFor(
      edited((d) => (d['entityType'] = 'customer')),
      { canCreateFiles: false },
    );
    assert.ok(!actions.some((a) => a.title === 'Generate a new login policy'));
  });

  it('fills a placeholder only through a client that has the command', () => {
    const text = edited((d) => (d['clientSecret'] = `<current secret of owner client ${CLIENT_ID}>`)).replace(
      /\n {2}"id": "[^"]*",/,
      '',
    );
    const fill = (canFillSecrets: boolean) =>
      actionsFor(text, { canFillSecrets }).actions.find((a) => a.title === 'Fill in the recorded owner secret');
    assert.deepEqual(fill(true)?.command?.arguments, [URI, CLIENT_ID]);
    assert.equal(fill(false), undefined);
    const generate = actionsFor(policy(), { canFillSecrets: false }, ['refactor']).actions.find(
      (a) => a.title === 'Generate a new login policy',
    )!;
    assert.equal(generate.command, undefined);
  });

  it('re-points the last of repeated loginPolicy keys, in the client file at its version', () => {
    const client = '{\n  "loginPolicy": "stale",\n  "loginPolicy": "OLD",\n  "type": "public"\n}\n';
    const text = policy((p) => (p['id'] = '0d9c8b7a-6f5e-4d3c-9b2a-1f0e9d8c7b6a'));
    const doc = TextDocument.create(URI, 'login-policy', 1, text);
    const analysis = analyze(text, {
      facts: {
        workspace: {
          sameId: [],
          otherSecrets: [],
          boundClients: [],
          replaces: {
            path: 'acme.loginpolicy.json',
            id: 'OLD',
            clients: [{ path: 'web.oidcclient.json', loginPolicy: 'OLD' }],
          },
        },
      },
    });
    const diagnostics = toDiagnostics(doc, analysis.findings).filter((d) => d.code === 'clients-on-replaced-policy');
    const [repoint] = getPolicyActions(
      {
        doc,
        analysis,
        newPolicyUri: () => undefined,
        clientsToRepoint: () => [{ uri: 'file:///work/web.oidcclient.json', text: client, version: 7 }],
        canCreateFiles: false,
        changeAnnotations: false,
        canFillSecrets: false,
        takenTitles: () => new Set(),
        now: new Date(),
      },
      { textDocument: { uri: URI }, range: diagnostics[0]!.range, context: { diagnostics } },
    );
    assert.equal(repoint!.title, 'Point 1 OIDC client file at this policy');
    const [change] = repoint!.edit!.documentChanges!;
    assert.ok(change && 'textDocument' in change);
    assert.deepEqual(change.textDocument, { uri: 'file:///work/web.oidcclient.json', version: 7 });
    const out = TextDocument.applyEdits(
      TextDocument.create('file:///work/web.oidcclient.json', 'json', 7, client),
      change.edits as TextEdit[],
    );
    assert.equal(out, client.replace('"OLD"', '"0d9c8b7a-6f5e-4d3c-9b2a-1f0e9d8c7b6a"'));
  });
});
