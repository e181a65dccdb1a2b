// "Login Policy: Pull Deployed Policies": what `login-policy-lint pull` does, run by the extension host with the
// connection's credentials: the same folder (the config's baseline.dir, else deployed/ beside the config or in the
// workspace folder), the same files byte for byte, secrets as fingerprints, swapped in only when every GET succeeded.
// A progress notification shows how far it got; Cancel stops it before anything is written. When the config does
// not compare with that folder yet, it offers to set `"baseline": {"dir": …}`, keeping the config's comments.
// Callable with arguments (tests, other extensions): { configPath?, setBaseline? }.
import * as vscode from 'vscode';
import {
  baselineDirToSet,
  checkOutDir,
  executePull,
  pullSummary,
  pulledFolderOf,
  type PullPlan,
  type PullResult,
} from '../../server/src/identity-cloud/deployed-pull';
import { relative } from '../../server/src/identity-cloud/display-path';
import type { ProgressFactory } from '../../server/src/identity-cloud/progress';
import { readPulledFiles, type FileChanges } from '../../server/src/identity-cloud/pulled-folder';
import { setBaselineDir, type ConfigAccess } from './baseline-setting';
import { COMMANDS } from './constants';
import type { Ctx } from './ctx';
import { connectedConfig } from './connected-config';
import { askToConnect, CONFIG_FILE, deployedTarget, trusted } from './deployed-target';
import { redactor } from './log';
import { pullFileEvents } from './pull-file-events';
import { showErrorMessage, showInformationMessage, showWarningMessage } from './notify';

export interface PullArgs {
  /** The .loginpolicyrc.json that applies; absent: the one nearest to the active file, else the folder's. */
  readonly configPath?: string;
  /** true: set `baseline.dir` without asking; false: never; absent: ask when it is not set. */
  readonly setBaseline?: boolean;
}

export interface PullCommandResult {
  readonly pulled: boolean;
  /** Why not, in words (never a secret). */
  readonly reason?: string;
  readonly outDir?: string;
  readonly written?: boolean;
  readonly pulledAt?: string;
  readonly changes?: FileChanges;
  /** The config file whose `baseline` now names the pulled folder. */
  readonly baselineSet?: string;
  /** The baseline was to be set and was not: what and why, in words (the pull itself worked). */
  readonly baselineNotSet?: string;
}

/** The abort reason of the Cancel button, told apart from a request that failed. */
class PullCancelled extends Error {}

export async function pullDeployed(ctx: Ctx, args: PullArgs = {}): Promise<PullCommandResult> {
  if (!trusted('Pulling the deployed login policies')) {
    return { pulled: false, reason: 'the workspace is not trusted' };
  }
  const fields = ctx.connection.fields();
  if (!fields) {
    askToConnect('the deployed policies are read with a configuration client');
    return { pulled: false, reason: 'not connected to Identity Cloud' };
  }
  const target = await deployedTarget(args.configPath);
  if (!target) return { pulled: false, reason: 'no workspace folder' };
  const checked = connectedConfig(target, fields, 'Nothing was pulled');
  if ('problem' in checked) return failed(checked.problem);
  const { cwd, config } = checked;
  const cancel = new AbortController();
  const connection = await ctx.connection.clientOptions({
    signal: cancel.signal,
    warn: (line) => ctx.log.warn(line),
  });
  if (!connection) {
    return failed(
      'the configuration client secret is no longer stored in VS Code: connect to Identity Cloud again. Nothing was pulled',
    );
  }
  const outDir = pulledFolderOf(undefined, config, cwd);
  const plan: PullPlan = { config, outDir, connection, owner: undefined };
  let result: PullResult;
  try {
    checkOutDir(outDir, undefined, config, { cwd });
    result = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Pulling the deployed login policies into ${relative(cwd, outDir)}/`,
        cancellable: true,
      },
      async (progress, token) => {
        const onCancel = token.onCancellationRequested(() => cancel.abort(new PullCancelled()));
        try {
          return await executePull(plan, {
            cwd,
            stderr: (line) => ctx.log.info(line.trim()),
            progress: progressIn(progress, ctx),
            signal: cancel.signal,
          });
        } finally {
          onCancel.dispose();
        }
      },
    );
  } catch (error) {
    if (cancel.signal.aborted) {
      ctx.log.info('Pull cancelled; nothing was written.');
      void showInformationMessage('Pull cancelled: nothing was written.');
      return { pulled: false, reason: 'cancelled' };
    }
    return failed(redactor.redact(error instanceof Error ? error.message.replace(/\.$/, '') : String(error)));
  }
  const summary = pullSummary(result, cwd);
  ctx.log.info(summary);
  await ctx.reportFileChanges(pullFileEvents(result, readPulledFiles(result.outDir).keys()));
  await ctx.refreshDeployedItem();
  const baseline = await offerBaseline(ctx, plan, cwd, summary, args.setBaseline);
  return {
    pulled: true,
    outDir: result.outDir,
    written: result.written,
    pulledAt: result.meta.pulledAt,
    changes: result.changes,
    ...baseline,
  };
}

function failed(reason: string): PullCommandResult {
  void showErrorMessage(`Pull failed: ${reason}.`);
  return { pulled: false, reason };
}

/** The notification's progress: the run's label, then each GET done as a share of all of them. */
function progressIn(progress: vscode.Progress<{ message?: string; increment?: number }>, ctx: Ctx): ProgressFactory {
  return (label, total) => {
    ctx.log.info(`${label.charAt(0).toUpperCase()}${label.slice(1)}…`);
    let done = 0;
    return {
      tick: () => {
        done++;
        progress.report({ increment: 100 / Math.max(total, 1), message: `${done} of ${total}` });
      },
      done: () => undefined,
    };
  };
}

/**
 * Says what was pulled; when the config does not name the pulled folder as its baseline, offers to (or, with
 * `setBaseline`, does or does not). Says in words when the baseline could not be set: the pull itself worked.
 */
async function offerBaseline(
  ctx: Ctx,
  plan: PullPlan,
  cwd: string,
  summary: string,
  setBaseline: boolean | undefined,
): Promise<Pick<PullCommandResult, 'baselineSet' | 'baselineNotSet'>> {
  const dir = baselineDirToSet(plan, cwd);
  const configPath = plan.config?.path ?? vscode.Uri.joinPath(vscode.Uri.file(cwd), CONFIG_FILE).fsPath;
  if (dir === undefined || setBaseline === false) {
    void showInformationMessage(summary, 'Show Deployment Status').then(
      (choice) => choice && vscode.commands.executeCommand(COMMANDS.showDeploymentStatus),
    );
    return {};
  }
  if (setBaseline === undefined) {
    const choice = await showInformationMessage(
      `${summary} Compare your policy files with it? This sets "baseline": {"dir": "${dir}"} in ${relative(cwd, configPath)}: the frozen identityStoreDetails are then checked against what is deployed, and the snapshots are not checked as policies.`,
      'Set Baseline',
      'Not Now',
    );
    if (choice !== 'Set Baseline') return {};
  }
  const setting = await setBaselineDir(configAccess(vscode.Uri.file(configPath)), dir, relative(cwd, configPath));
  if (!setting.set) {
    ctx.log.warn(setting.problem);
    void showWarningMessage(setting.problem);
    return { baselineNotSet: setting.problem };
  }
  ctx.log.info(setting.line);
  return { baselineSet: configPath };
}

/** The config where the user sees it: the open document, else the file. */
function configAccess(uri: vscode.Uri): ConfigAccess {
  return {
    open: () => {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      return (
        doc && {
          text: doc.getText(),
          isDirty: doc.isDirty,
          replaceAll: (text) => {
            const edit = new vscode.WorkspaceEdit();
            edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
            return vscode.workspace.applyEdit(edit);
          },
          save: () => doc.save(),
        }
      );
    },
    read: async () => {
      try {
        return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      } catch (error) {
        if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return undefined;
        throw error;
      }
    },
    write: (text) => vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text)),
  };
}
