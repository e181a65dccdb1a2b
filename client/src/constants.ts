// Ids the client shares with package.json.
import { RECORD_OWNER_SECRET_COMMAND } from '../../server/src/protocol';
export const POLICY_LANGUAGE_ID = 'login-policy';
export const CLIENT_ID = 'loginPolicy';
export const CLIENT_NAME = 'Login Policy Language Server';

export const COMMANDS = {
  restartServer: 'loginPolicy.restartServer',
  showOutput: 'loginPolicy.showOutput',
  openRuleDocumentation: 'loginPolicy.openRuleDocumentation',
  recordOwnerSecret: RECORD_OWNER_SECRET_COMMAND,
  forgetOwnerSecret: 'loginPolicy.forgetOwnerSecret',
  verifyOwnerSecretNow: 'loginPolicy.verifyOwnerSecretNow',
  connectIdentityCloud: 'loginPolicy.connectIdentityCloud',
  disconnectIdentityCloud: 'loginPolicy.disconnectIdentityCloud',
  pullDeployed: 'loginPolicy.pullDeployed',
  showDeploymentStatus: 'loginPolicy.showDeploymentStatus',
  rotateOwnerSecret: 'loginPolicy.rotateOwnerSecret',
} as const;

/** The rule ids whose finding offers "Rotate owner secret through Identity Cloud…" (when connected). */
export const ROTATABLE_FINDINGS: readonly string[] = ['stale-owner-secret', 'rotated-owner-secret'];

/** JOURNAL_DIR of the rotation core, named here so that activation does not load the journal's schema. */
export const JOURNAL_FOLDER = '.loginpolicy-rotation';
