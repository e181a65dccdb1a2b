// The status bar item of the deployed state: when it was last pulled (pulled.json's pulledAt, "Pulled 5 min ago"),
// of which customer, with a tooltip; a click shows the deployment status. Shown once something was pulled in the
// workspace or it is connected to Identity Cloud. Reads only pulled.json files: no request, no secret.
import * as vscode from 'vscode';
import { metaOf, PULLED_FILE, type PulledMeta } from '../../server/src/identity-cloud/pulled-folder';
import type { ConnectionFields } from './connection-fields';
import { COMMANDS } from './constants';
import { agoWords, text, utc } from './status-markdown';

/** Every pulled.json of a workspace is found; a workspace with more pulled folders than this is not expected. */
const MAX_PULLED = 20;
const MINUTE_MS = 60_000;

export class DeployedStateItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'loginPolicy.deployedState',
    vscode.StatusBarAlignment.Left,
  );
  private readonly watcher = vscode.workspace.createFileSystemWatcher(`**/${PULLED_FILE}`);
  /** The relative words ("5 min ago") age: redrawn every minute. */
  private readonly timer = setInterval(() => this.render(), MINUTE_MS);
  private pulled: { readonly where: string; readonly meta: PulledMeta }[] = [];
  private visible = false;
  /** Only the latest refresh shows: an older one may have read a pull's temporary folder before its swap. */
  private generation = 0;

  constructor(private readonly connection: () => ConnectionFields | undefined) {
    this.item.name = 'Login Policy: Deployed State';
    const refresh = () => void this.refresh();
    this.watcher.onDidCreate(refresh);
    this.watcher.onDidChange(refresh);
    this.watcher.onDidDelete(refresh);
  }

  /** What the item shows now (the real-editor tests read it). */
  get shown(): { readonly visible: boolean; readonly text: string; readonly tooltip: string } {
    const tooltip = this.item.tooltip;
    return {
      visible: this.visible,
      text: this.item.text,
      tooltip: typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? ''),
    };
  }

  /** Finds the workspace's pulled.json files again (after a pull, on a watcher report, at start). */
  async refresh(): Promise<void> {
    const generation = ++this.generation;
    const uris = await vscode.workspace.findFiles(`**/${PULLED_FILE}`, '**/node_modules/**', MAX_PULLED);
    const pulled: { where: string; meta: PulledMeta }[] = [];
    for (const uri of uris) {
      try {
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        const meta = metaOf(new Map([[PULLED_FILE, text]]));
        if (meta) pulled.push({ where: vscode.workspace.asRelativePath(vscode.Uri.joinPath(uri, '..'), false), meta });
      } catch {
        // gone since it was found
      }
    }
    if (generation !== this.generation) return;
    this.pulled = pulled.sort((a, b) => b.meta.pulledAt.localeCompare(a.meta.pulledAt));
    this.render();
  }

  render(): void {
    const connected = this.connection();
    const [latest, ...others] = this.pulled;
    if (!latest && !connected) {
      this.visible = false;
      this.item.hide();
      return;
    }
    const lines: string[] = ['**Login Policy: deployed state**', ''];
    if (latest) {
      const { meta } = latest;
      this.item.text = `$(cloud) Pulled ${agoWords(new Date(meta.pulledAt), new Date())}`;
      this.item.command = { title: 'Show Deployment Status', command: COMMANDS.showDeploymentStatus };
      lines.push(
        `Pulled ${utc(meta.pulledAt)} from customer ${text(meta.customerId)} (${text(meta.region)}) into ${text(latest.where)}/: ${meta.policies} login policies, ${meta.clients} OIDC clients.`,
      );
      for (const other of others) {
        lines.push(
          '',
          `Also ${text(other.where)}/: pulled ${utc(other.meta.pulledAt)} (customer ${text(other.meta.customerId)}).`,
        );
      }
      lines.push('', 'Click to show which deployed policies break sign-in now.');
    } else {
      this.item.text = '$(cloud) Not pulled';
      this.item.command = { title: 'Pull Deployed Policies', command: COMMANDS.pullDeployed };
      lines.push('Nothing pulled yet. Click to pull the deployed login policies and OIDC clients.');
    }
    lines.push(
      '',
      connected
        ? `Connected to customer ${text(connected.customerId)} (${connected.region}) as configuration client ${text(connected.configClientId)}.`
        : 'Not connected to Identity Cloud: "Login Policy: Connect to Identity Cloud" to pull again.',
    );
    this.item.tooltip = new vscode.MarkdownString(lines.join('\n'));
    this.visible = true;
    this.item.show();
  }

  dispose(): void {
    clearInterval(this.timer);
    this.watcher.dispose();
    this.item.dispose();
  }
}
