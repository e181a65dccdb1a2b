// The .loginpolicyrc.json a command that calls Identity Cloud works with (pull, rotate): none, or one without errors
// that names no other customer or region than the connection. Said in words when not, with what was not done.
import type { ConnectionFields } from './connection-fields';
import type { DeployedTarget } from './deployed-target';
import { loadConfigFile } from '../../server/src/identity-cloud/deployed-pull';
import { relative } from '../../server/src/identity-cloud/display-path';
import type { LoadedConfig } from '../../server/src/identity-cloud/deployed-pull';
import { CONFIG_FILE } from './deployed-target';

export interface ConnectedConfig {
  /** The workspace folder's path: paths in messages are relative to it, as if the CLI ran there. */
  readonly cwd: string;
  readonly config: LoadedConfig | undefined;
}

/** `nothing`: what a refusal says was not done ("Nothing was pulled"). */
export function connectedConfig(
  target: DeployedTarget,
  fields: ConnectionFields,
  nothing: string,
): ConnectedConfig | { readonly problem: string } {
  const cwd = target.folder.uri.fsPath;
  const config = target.configPath ? loadConfigFile(target.configPath) : undefined;
  const configName = target.configPath ? relative(cwd, target.configPath) : CONFIG_FILE;
  if (config && config.findings.length > 0) {
    return { problem: `${configName} has errors (${config.findings[0]!.message}); fix them first. ${nothing}` };
  }
  const named = config?.config?.identityCloud;
  if (
    (named?.customerId && named.customerId !== fields.customerId) ||
    (named?.region && named.region !== fields.region)
  ) {
    return {
      problem: `${configName} names customer ${named.customerId ?? fields.customerId} (${named.region ?? fields.region}), but VS Code is connected to ${fields.customerId} (${fields.region}): connect to that customer first. ${nothing}`,
    };
  }
  return { cwd, config };
}
