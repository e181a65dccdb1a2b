// package.json's contributed settings match server/src/settings.ts (keys, types, defaults, enums).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readSettings, SETTING_DECLARATIONS } from '../../../server/src/settings';

const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../../../package.json'), 'utf8')) as {
  contributes: {
    configuration: { properties: Record<string, { type: string; default: unknown; enum?: string[]; scope?: string }> };
  };
};
const contributed = manifest.contributes.configuration.properties;

describe('settings', () => {
  it('package.json declares exactly the settings of settings.ts', () => {
    assert.deepEqual(Object.keys(contributed).sort(), Object.keys(SETTING_DECLARATIONS).sort());
  });

  for (const [key, declaration] of Object.entries(SETTING_DECLARATIONS)) {
    it(`${key}: same type, default, scope and values`, () => {
      const entry = contributed[key]!;
      assert.equal(entry.type, declaration.type);
      assert.deepEqual(entry.default, declaration.default);
      assert.equal(entry.scope, declaration.scope);
      assert.deepEqual(entry.enum, 'enum' in declaration ? declaration.enum : undefined);
    });
  }

  it('reads good values and falls back field by field on bad ones', () => {
    const verify = { mode: 'off', allowedHosts: ['*.janraincapture.com'], timeoutMs: 5000 };
    assert.deepEqual(readSettings({ rules: { schema: 'warning' }, detectByContent: false }), {
      settings: { rules: { schema: 'warning' }, detectByContent: false, verify },
      problems: [],
    });
    assert.deepEqual(
      readSettings({ verify: { mode: 'onSave', allowedHosts: ['http://127.0.0.1:*'], timeoutMs: 1000 } }).settings
        .verify,
      { mode: 'onSave', allowedHosts: ['http://127.0.0.1:*'], timeoutMs: 1000 },
    );
    const bad = readSettings({ verify: { mode: 'always', allowedHosts: 'x', timeoutMs: -1 } });
    assert.deepEqual(bad.settings.verify, verify);
    assert.equal(bad.problems.length, 3);
    const { settings, problems } = readSettings({
      rules: { schema: 'loud', nope: 'off', 'json-strict': 'off' },
      detectByContent: 'yes',
    });
    assert.deepEqual(settings, { rules: { 'json-strict': 'off' }, detectByContent: true, verify });
    assert.equal(problems.length, 3);
    assert.deepEqual(readSettings(null).settings, { rules: {}, detectByContent: true, verify });
  });

  it('quotes a typo with the word meant, and only describes a value that could be a secret', () => {
    const { problems } = readSettings({
      rules: { 'hosted-login-v1': 'warn', schema: 'Erorr', 'hosted-login-vl': 'off' },
      verify: { mode: 'ondemand' },
    });
    assert.deepEqual(problems, [
      'loginPolicy.rules.hosted-login-v1: "warn" is not one of off, hint, info, warning, error; ignored.',
      'loginPolicy.rules.schema: "Erorr" (did you mean "error"?) is not one of off, hint, info, warning, error; ignored.',
      'loginPolicy.rules: unknown rule "hosted-login-vl" (did you mean "hosted-login-v1"?); ignored.',
      'loginPolicy.verify.mode: "ondemand" (did you mean "onDemand"?) is not off, onDemand or onSave; using off.',
    ]);
    const pasted = 'p9o8i7u6y5t4r3e2w1q0a9s8d7f6g5h4';
    const secretProblems = readSettings({
      rules: { [pasted]: 'off', schema: pasted },
      verify: { mode: pasted },
    }).problems;
    assert.deepEqual(secretProblems, [
      'loginPolicy.rules: unknown rule a 32-character value; ignored.',
      'loginPolicy.rules.schema: a 32-character value is not one of off, hint, info, warning, error; ignored.',
      'loginPolicy.verify.mode: a 32-character value is not off, onDemand or onSave; using off.',
    ]);
    assert.deepEqual(readSettings({ verify: { mode: 3 } }).problems, [
      'loginPolicy.verify.mode: a number is not off, onDemand or onSave; using off.',
    ]);
  });
});
