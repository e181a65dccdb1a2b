// The server's commands and the request bodies longer than a line: execute command (rule docs, "Verify owner
// secret now"), the live check itself, code lenses, what a code action needs from the workspace, and the
// document status the VS Code status item shows.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CodeLens, ExecuteCommandParams } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { fsPathOf, type DocumentAnalysis } from '../documents';
import type { Analysis } from '../engine/analyze';
import { CONFIG_FINDING } from '../engine/config/analyze-config';
import { identityOf } from '../engine/policy/identity';
import { PATHS } from '../engine/policy/paths';
import { getRule } from '../engine/rules/index';
import { getCodeLenses, getIdLenses } from '../features/code-lens';
import { docsUrlOf } from '../features/diagnostics';
import type { PolicyActionEnv } from '../features/policy-actions';
import { credentialsOf } from '../identity-cloud/live-checks';
import { newPolicyNames } from '../project/replacement';
import {
  FILL_SECRET_PLACEHOLDER_COMMAND,
  SHOW_POLICY_CLIENTS_COMMAND,
  SHOW_RULE_DOCUMENTATION_COMMAND,
  VERIFY_OWNER_SECRET_COMMAND,
  type DocumentStatus,
  type VerifyResult,
} from '../protocol';
import type { ServerParts } from './parts';

export async function executeCommand(parts: ServerParts, params: ExecuteCommandParams): Promise<unknown> {
  if (params.command === VERIFY_OWNER_SECRET_COMMAND) {
    return verifyDocument(parts, String(params.arguments?.[0] ?? ''), true);
  }
  if (params.command !== SHOW_RULE_DOCUMENTATION_COMMAND) return null;
  const ruleId = String(params.arguments?.[0] ?? '');
  if (!getRule(ruleId) && ruleId !== CONFIG_FINDING) {
    parts.logger.warn(`No documentation for unknown rule "${ruleId}".`);
    return null;
  }
  await parts.client.showDocument(docsUrlOf(ruleId), `Documentation of ${ruleId}`);
  return null;
}

/**
 * A live check of a policy's embedded credentials, then a fresh analysis of the files that embed the same
 * credentials (`force` asks Capture again even when a recent answer exists).
 */
export async function verifyDocument(parts: ServerParts, uri: string, force: boolean): Promise<VerifyResult> {
  const doc = parts.documents.open.get(uri);
  if (!doc) return { performed: false, reason: 'the document is not open' };
  const result = await parts.analyzer.analysisOf(doc);
  if (result.kind !== 'policy') return { performed: false, reason: 'not a login policy' };
  const settings = await parts.settings.settingsFor(uri);
  const outcome = await parts.session.ownerSecrets.verify(result.analysis, settings.verify, force);
  parts.logger.info(
    `Live check for ${uri}: ${outcome.performed ? `Capture answered: ${outcome.outcome ?? ''}` : `not made: ${outcome.reason ?? ''}`}`,
  );
  if (outcome.performed) {
    const { clientId, secretSha256 } = identityOf(result.analysis.model);
    const others = clientId ? parts.session.index.filesOfOwner(clientId, secretSha256) : [];
    parts.channel.refresh(uri);
    parts.channel.refreshLater(others.map((file) => URI.file(file).toString()).filter((other) => other !== uri));
    parts.client.refreshCodeLenses();
  }
  return outcome;
}

/** The OIDC clients lens on the id (where the editor can list them), and the live check lenses when they are on. */
export async function codeLenses(parts: ServerParts, doc: TextDocument, result: DocumentAnalysis): Promise<CodeLens[]> {
  if (result.kind !== 'policy') return [];
  const settings = await parts.settings.settingsFor(doc.uri);
  // The clients lens opens a picker only VS Code's side has; other editors see the clients in the id hover.
  const id = result.analysis.model.string(PATHS.id);
  const clientUris =
    id && parts.caps.clientCommands.has(SHOW_POLICY_CLIENTS_COMMAND)
      ? parts.session.index.clientsUsing(id).map(({ file }) => URI.file(file).toString())
      : [];
  const idLenses = getIdLenses(doc, result.analysis, clientUris);
  const ownerSecrets = parts.session.ownerSecrets;
  const credentials = credentialsOf(result.analysis.model);
  // Nothing to verify in a file that holds only its secret's fingerprint.
  if (ownerSecrets.whyNot(settings.verify) || !credentials) return idLenses;
  const last = ownerSecrets.live.lastResult(credentials);
  return [...idLenses, ...getCodeLenses(doc, result.analysis, last, parts.clock.now())];
}

/** What the frozen-block actions need from the server: file names, client files, editor capabilities. */
export function policyActionEnv(parts: ServerParts, doc: TextDocument, analysis: Analysis): PolicyActionEnv {
  const { caps, session, documents } = parts;
  return {
    doc,
    analysis,
    canCreateFiles: caps.createFiles,
    changeAnnotations: caps.changeAnnotations,
    canFillSecrets: caps.clientCommands.has(FILL_SECRET_PLACEHOLDER_COMMAND),
    takenTitles: () => session.index.titles(),
    now: parts.clock.now(),
    newPolicyUri: () => {
      const file = fsPathOf(doc.uri);
      if (!file) return undefined;
      for (const name of newPolicyNames(file)) {
        const candidate = path.join(path.dirname(file), name);
        const uri = URI.file(candidate).toString();
        if (!existsSync(candidate) && !documents.isOpen(uri)) return uri;
      }
      return undefined;
    },
    clientsToRepoint: () => {
      // The analysis already knows which policy this one replaces: no need to look through the workspace again.
      const replaced = analysis.facts.workspace?.replaces;
      if (!replaced) return [];
      return session.index.clientsUsing(replaced.id).flatMap(({ file: clientFile }) => {
        const uri = URI.file(clientFile).toString();
        const open = documents.open.get(uri);
        if (open) return [{ uri, text: open.getText(), version: open.version }];
        try {
          return [{ uri, text: readFileSync(clientFile, 'utf8') }];
        } catch {
          return [];
        }
      });
    },
  };
}

/** How the server sees a document, for the VS Code status item. */
export function documentStatus(result: DocumentAnalysis | undefined): DocumentStatus {
  if (!result || result.kind === 'other') return { kind: 'other', errors: 0, warnings: 0, infos: 0 };
  const findings = result.kind === 'policy' ? result.analysis.findings : result.config.findings;
  const count = (severity: string): number => findings.filter((f) => f.severity === severity).length;
  return {
    kind: result.kind,
    ...(result.kind === 'policy' && result.config
      ? { configPath: result.config.path, configBroken: result.config.findings.length > 0 }
      : {}),
    errors: count('error'),
    warnings: count('warning'),
    infos: count('info') + count('hint'),
  };
}
