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
});
