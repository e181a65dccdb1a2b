// The frozen identityStoreDetails in the real editor: a deployed policy in a git workspace warns as soon as its
// block is edited; "Generate a new login policy" creates the new file and reverts the old one, filling in the owner
// secret recorded in SecretStorage; and the workspace scan shows findings of files nobody opened.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { codeActions, codeOf, diagnostics, open, replace, waitFor, workspaceUri } from './helpers';

const CLIENT_ID = 'fr0z3nc1i3ntfr0z3nc1i3ntfr0z3nc1';
/** The owner client's current secret, recorded in SecretStorage (the policy embeds an older one). */
const CURRENT_SECRET = 'n3wfr0z3nn3wfr0z3nn3wfr0z3nn3wfr';
const frozen = (d: vscode.Diagnostic[]) => d.filter((x) => codeOf(x) === 'immutable-identity-store');

async function textOf(uri: vscode.Uri): Promise<string> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  return doc ? doc.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** Applies a code action as the editor does when it is picked: its edit, then its command. */
async function apply(action: vscode.CodeAction): Promise<void> {
  assert.ok(await vscode.workspace.applyEdit(action.edit!), `${action.title} applied`);
  if (action.command) {
    const args = (action.command.arguments ?? []) as unknown[];
    await vscode.commands.executeCommand(action.command.command, ...args);
  }
}

// The runner makes `frozen/` a git repository with one commit (test/e2e/harness.mjs): what is deployed is HEAD.
describe('a deployed policy (frozen identityStoreDetails)', () => {
  it('shows findings of policy files nobody opened, after the workspace scan', async () => {
    const uri = workspaceUri('unopened', 'never-opened.loginpolicy.json');
    const found = await diagnostics(uri, (d) => d.some((x) => codeOf(x) === 'schema'), 'the scan');
    assert.match(found.find((x) => codeOf(x) === 'schema')!.message, /must be "janrainCapture", not "janrain"/);
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), 'never opened');
  });

  it("checks a file that the config's policies glob names as soon as another program writes it", async () => {
    // The root .loginpolicyrc.json names watched/*.json; nothing else makes these files policies.
    const text = await textOf(workspaceUri('unopened', 'never-opened.loginpolicy.json'));
    const uri = workspaceUri('watched', 'team.json');
    mkdirSync(path.dirname(uri.fsPath), { recursive: true });
    // The editor starts the watcher asynchronously after the server asks for it: a write in that moment goes
    // unreported, as it would for any watcher. Each attempt is a new write; the watcher must report one of them.
    let found: vscode.Diagnostic[] | undefined;
    for (let attempt = 1; !found; attempt++) {
      writeFileSync(uri.fsPath, text.replace('"Never opened"', `"Written by a script, attempt ${attempt}"`));
      const wait = diagnostics(uri, (d) => d.some((x) => codeOf(x) === 'schema'), 'the watcher', 4000);
      found = attempt < 4 ? await wait.catch(() => undefined) : await wait;
    }
    assert.match(found.find((x) => codeOf(x) === 'schema')!.message, /must be "janrainCapture", not "janrain"/);
    rmSync(uri.fsPath);
    await diagnostics(uri, (d) => d.length === 0, 'its findings to go with the file');
  });

  it('warns on the value as soon as the frozen block is edited, against git HEAD', async () => {
    const doc = await open('frozen/acme.loginpolicy.json');
    await replace(doc, '"entityType": "user"', '"entityType": "customer"');
    // The first analysis may compare with the version first opened; the git lookup runs in the background.
    const against = (d: vscode.Diagnostic[]) => frozen(d).filter((x) => x.message.includes('(deployed: git HEAD)'));
    const [warning] = against(await diagnostics(doc.uri, (d) => against(d).length === 1, 'the warning against HEAD'));
    assert.equal(warning!.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(doc.getText(warning!.range), '"customer"');
    assert.match(
      warning!.message,
      /^"identityStoreDetails\.connectionDetails\.entityType" was changed from "user" to "customer" \(deployed: git HEAD\)\. A PUT of this policy fails with \{"errors": "identityStoreDetails cannot be changed"\}/,
    );
  });

  it('"Generate a new login policy" creates the new file and reverts the old one', async () => {
    const doc = await open('frozen/acme.loginpolicy.json');
    const [warning] = frozen(vscode.languages.getDiagnostics(doc.uri));
    const actions = await codeActions(doc, warning!.range);
    const generate = actions.find((a) => a.title === 'Generate a new login policy');
    assert.ok(generate, `offered among: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(generate.isPreferred);
    await apply(generate);

    const created = workspaceUri('frozen', 'acme.new.loginpolicy.json');
    assert.ok(await exists(created), 'the new policy file exists');
    const policy = JSON.parse(await textOf(created)) as Record<string, unknown>;
    assert.equal(policy['id'], undefined);
    assert.match(String(policy['title']), /^ACME Frozen Login Policy \(\d{4}-\d{2}-\d{2}\)$/);
    const details = (policy['identityStoreDetails'] as { connectionDetails: Record<string, string> }).connectionDetails;
    assert.equal(details['entityType'], 'customer', 'the new policy has the edit');
    assert.match(doc.getText(), /"entityType": "user"/, 'the old file is back to what is deployed');
    await diagnostics(doc.uri, (d) => frozen(d).length === 0, 'no warning once reverted');
  });

  it('fills the owner secret recorded in SecretStorage into a new policy for the current secret', async () => {
    await vscode.commands.executeCommand('loginPolicy.recordOwnerSecret', {
      clientId: CLIENT_ID,
      secret: CURRENT_SECRET,
      writeConfig: false,
    });
    try {
      const doc = await open('frozen/acme.loginpolicy.json');
      // The embedded secret is stale now: the new policy is the way out.
      const stale = await diagnostics(doc.uri, (d) => d.some((x) => codeOf(x) === 'stale-owner-secret'), 'stale');
      const range = stale.find((x) => codeOf(x) === 'stale-owner-secret')!.range;
      const generate = (await codeActions(doc, range)).find((a) => a.title === 'Generate a new login policy')!;
      await apply(generate);

      const created = workspaceUri('frozen', 'acme.new-2.loginpolicy.json');
      const text = await waitFor(async () => {
        const t = await textOf(created);
        return t.includes(CURRENT_SECRET) && t;
      }, 'the recorded secret in the new policy');
      assert.ok(!text.includes('<current secret of owner client'), 'the placeholder is gone');
      assert.ok(!text.includes('fr0z3ns3cr3tfr0z3ns3cr3tfr0z3ns3'), 'not the stale secret');
      // Its clients still point at the old policy until it is created and they are moved.
      // A deployable policy (no schema error on a placeholder, no stale secret), whose clients still point at the
      // old policy until it is created and they are moved.
      const found = await diagnostics(
        created,
        (d) =>
          d.some((x) => codeOf(x) === 'clients-on-replaced-policy') &&
          !d.some((x) => ['schema', 'stale-owner-secret'].includes(codeOf(x))),
        'the new policy deployable, with its clients listed',
      );
      assert.match(
        found.find((x) => codeOf(x) === 'clients-on-replaced-policy')!.message,
        /^1 OIDC client still uses the policy this one replaces \(acme\.loginpolicy\.json, 4f1d2c3b-5a69-4e7d-8c1b-2a3f4e5d6c7b\): ACME Web \(clients\/web\.json\)\./,
      );
    } finally {
      await vscode.commands.executeCommand('loginPolicy.forgetOwnerSecret', CLIENT_ID);
    }
  });
});
