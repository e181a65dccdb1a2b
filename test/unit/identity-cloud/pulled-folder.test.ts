// The pulled folder's own rules (server/src/identity-cloud/pulled-folder.ts): which values are secrets to fingerprint,
// and a swap that fails leaves no temporary folder behind.
import assert from 'node:assert/strict';
import fs, { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { swapInFolder, withSecretsFingerprinted } from '../../../server/src/identity-cloud/pulled-folder';
import { fingerprintedSecret } from '../../../server/src/shared/fingerprint';

describe('the pulled folder', () => {
  describe('secrets', () => {
    it('fingerprints credentials wherever they are, and leaves claim maps as deployed', () => {
      const secret = 'c3e2a1b0d9f8e7d6c5b4a3f2e1d0c9b8';
      const policy = {
        id: 'p1',
        identityStoreDetails: { connectionDetails: { clientId: 'owner', clientSecret: secret } },
        customClaims: {
          id_token: { passwordLastUpdated: 'lastPasswordUpdate', reset_token: 'resetToken.value' },
          userinfo: { secret_question: 'securityQuestion' },
        },
        extra: { refresh_token: 'tok-value', password: 'pw-value' },
      };
      assert.deepEqual(withSecretsFingerprinted(policy), {
        id: 'p1',
        identityStoreDetails: { connectionDetails: { clientId: 'owner', clientSecret: fingerprintedSecret(secret) } },
        customClaims: policy.customClaims,
        extra: { refresh_token: fingerprintedSecret('tok-value'), password: fingerprintedSecret('pw-value') },
      });
    });
  });

  describe('the swap', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'lpl-pulled-folder-'));
    });
    afterEach(() => {
      mock.restoreAll();
      rmSync(dir, { recursive: true, force: true });
    });

    it('leaves no temporary folder, and the old folder as it was, when the folder cannot be moved aside', () => {
      const target = path.join(dir, 'deployed');
      mkdirSync(target);
      writeFileSync(path.join(target, 'old.json'), '{}\n');
      // A folder held open (Windows) refuses to move: the first rename fails.
      mock.method(fs, 'renameSync', () => {
        throw Object.assign(new Error('EBUSY: resource busy or locked'), { code: 'EBUSY' });
      });
      assert.throws(() => swapInFolder(target, new Map([['new.json', '{}\n']])), /EBUSY/);
      assert.deepEqual(readdirSync(dir), ['deployed']);
      assert.deepEqual(readdirSync(target), ['old.json']);
    });

    it('leaves no temporary folder when a first pull cannot be renamed into place', () => {
      mock.method(fs, 'renameSync', () => {
        throw Object.assign(new Error('EPERM: operation not permitted'), { code: 'EPERM' });
      });
      assert.throws(() => swapInFolder(path.join(dir, 'deployed'), new Map([['new.json', '{}\n']])), /EPERM/);
      assert.deepEqual(readdirSync(dir), []);
    });
  });
});
