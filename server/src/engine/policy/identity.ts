// What a policy says about itself that other files care about (its id, owner client and secret fingerprint), read
// the same way by the analysis, the workspace index and the CLI.
import type { PolicyIdentity } from '../facts';
import { placeholderClientId } from '../../shared/secret-placeholder';
import { secretFingerprint } from '../../shared/fingerprint';
import type { PolicyModel } from './model';
import { PATHS } from './paths';

/** The identity from the raw values (a placeholder or an empty secret has no fingerprint). */
export function identityFrom(values: {
  readonly id?: string | undefined;
  readonly clientId?: string | undefined;
  readonly secret?: string | undefined;
}): PolicyIdentity {
  const { id, clientId, secret } = values;
  const secretSha256 = secret && placeholderClientId(secret) === undefined ? secretFingerprint(secret) : undefined;
  return {
    ...(id ? { id } : {}),
    ...(clientId ? { clientId } : {}),
    ...(secretSha256 ? { secretSha256 } : {}),
  };
}

export function identityOf(model: PolicyModel): PolicyIdentity {
  return identityFrom({
    id: model.string(PATHS.id),
    clientId: model.string(PATHS.clientId),
    secret: model.string(PATHS.clientSecret),
  });
}
