// Severity precedence in the built CLI: the rule default, then the "rules" of .loginpolicyrc.json, then --rule.
// The same v1 policy sits in a folder with a config that makes hosted-login-v1 an error, and in one without.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../support/cli';
import { policy } from '../unit/harness';

const V1 = 'hosted-login-v1';

interface JsonOutput {
  files: { path: string; diagnostics: { rule: string; severity: string }[] }[];
}

describe('login-policy-lint severity precedence', () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'lpl-precedence-'));
    // No id: two files with one id would be a duplicate-policy-id error, whatever the severities.
    const v1 = policy((p) => {
      delete p['id'];
      delete p['_links'];
      p['loginURL'] = 'https://v1.api.eu.janrain.com/5d0f3c1e-8b7a-4e2d-9c61-0a4b7e3f2d19/auth-ui/login';
    });
    for (const folder of ['configured', 'plain']) {
      mkdirSync(path.join(dir, folder));
      writeFileSync(path.join(dir, folder, 'v1.loginpolicy.json'), v1);
    }
    writeFileSync(
      path.join(dir, 'configured', '.loginpolicyrc.json'),
      JSON.stringify({ rules: { [V1]: 'error', 'json-strict': 'off' } }),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** The exit code and the severity of hosted-login-v1 in each folder's policy (undefined: not reported). */
  function lint(...args: string[]): { code: number; configured?: string; plain?: string } {
    const { code, stdout, stderr } = runCli(['--format', 'json', ...args, '.'], dir);
    assert.equal(stderr, '');
    const severity = (folder: string) =>
      (JSON.parse(stdout) as JsonOutput).files
        .find((f) => f.path === `${folder}/v1.loginpolicy.json`)
        ?.diagnostics.find((d) => d.rule === V1)?.severity;
    return { code, configured: severity('configured'), plain: severity('plain') };
  }

  it('uses the rule default without a config, and the config over the default', () => {
    assert.deepEqual(lint(), { code: 1, configured: 'error', plain: 'info' });
  });

  it('lets --rule win over the config', () => {
    assert.deepEqual(lint('--rule', `${V1}=hint`), { code: 0, configured: 'hint', plain: 'hint' });
    assert.deepEqual(lint('--rule', `${V1}=off`), { code: 0, configured: undefined, plain: undefined });
  });

  it('keeps the config for the rules --rule does not name', () => {
    assert.deepEqual(lint('--rule', 'json-strict=error'), { code: 1, configured: 'error', plain: 'info' });
  });
});
