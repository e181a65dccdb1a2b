// The code actions that deal with the frozen identityStoreDetails: revert a changed value (or the whole block) to
// the deployed one, generate a new login policy (one previewable edit that creates the new file and reverts the
// old one), and re-point OIDC client files to a new policy. Built when asked for, not stored in diagnostics:
// their edits may carry a secret, written as a whole `"clientSecret": …` property so traces can mask it.
import { getNodeValue, modify } from 'jsonc-parser';
import {
  CodeActionKind,
  type AnnotatedTextEdit,
  type ChangeAnnotation,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type TextDocumentEdit,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../engine/analyze';
import { formatPath, keyOf, valueOf } from '../engine/ast';
import { documentFormatting, removeProperty } from '../engine/edits';
import type { TextEdit as EngineEdit } from '../engine/finding';
import { frozenDiff, type FrozenChange } from '../engine/immutable/frozen-diff';
import { newPolicyText } from '../engine/new-policy';
import { verdictOf } from '../engine/owner-secret/verdict';
import { PATHS } from '../engine/policy/paths';
import { samePolicyId } from '../engine/policy/policy-id';
import { placeholderClientId } from '../shared/secret-placeholder';
import { loginPolicyNode } from '../project/oidc-clients';
import { FILL_SECRET_PLACEHOLDER_COMMAND } from '../protocol';
import { boundClients, clientList } from './bound-clients';
import { isFingerprinted } from '../shared/fingerprint';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { toOffsetRange, toTextEdit } from './positions';

/** Diagnostics on which "Generate a new login policy" is the way out. */
const NEW_POLICY_RULES = new Set(['immutable-identity-store', 'stale-owner-secret', 'rotated-owner-secret']);

export const GENERATE_TITLE = 'Generate a new login policy';
const CREATE_ANNOTATION = 'login-policy.create';
const REVERT_ANNOTATION = 'login-policy.revert';

export interface ClientFile {
  readonly uri: string;
  readonly text: string;
  /** Set when the file is open in the editor. */
  readonly version?: number;
}

export interface PolicyActionEnv {
  readonly doc: TextDocument;
  readonly analysis: Analysis;
  /** The uri of a free file name beside the document for a new policy, or undefined (no file system). */
  readonly newPolicyUri: () => string | undefined;
  /** OIDC client files that use the policy this document replaces (for re-pointing). */
  readonly clientsToRepoint: () => readonly ClientFile[];
  readonly canCreateFiles: boolean;
  readonly changeAnnotations: boolean;
  /** The client runs FILL_SECRET_PLACEHOLDER_COMMAND (VS Code does; other editors do not have it). */
  readonly canFillSecrets: boolean;
  /** Titles of the workspace's policies: a generated title is none of them. */
  readonly takenTitles: () => ReadonlySet<string>;
  readonly now: Date;
}

export function getPolicyActions(env: PolicyActionEnv, params: CodeActionParams): CodeAction[] {
  const { analysis, doc } = env;
  const root = analysis.fullTree();
  if (!root || root.type !== 'object' || analysis.parsed.syntaxErrors.length > 0) return [];
  const wanted = (kind: string): boolean =>
    !params.context.only || params.context.only.some((only) => kind === only || kind.startsWith(`${only}.`));
  const ours = params.context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
  const actions: CodeAction[] = [];
  const baseline = analysis.facts.baseline;
  const applies = baseline !== undefined && samePolicyId(analysis.model.string(PATHS.id), baseline.id);
  const deployed = applies ? baseline.identityStoreDetails : undefined;
  const changes = applies ? frozenDiff(analysis.model, deployed) : [];

  if (wanted(CodeActionKind.QuickFix)) {
    for (const diagnostic of ours.filter((d) => d.code === 'immutable-identity-store')) {
      const { offset } = toOffsetRange(doc, diagnostic.range);
      // Removed keys all sit on their object's key: the message, which opens with the path, tells them apart.
      const message = typeof diagnostic.message === 'string' ? diagnostic.message : '';
      const change = changes.find((c) => c.range.offset === offset && message.startsWith(`"${formatPath(c.path)}"`));
      // A pulled snapshot holds the deployed secret only as its fingerprint: that is no value to put back by itself.
      const deployedValue = change?.deployed;
      const onlyFingerprint = typeof deployedValue === 'string' && isFingerprinted(deployedValue);
      const edits = change && !onlyFingerprint ? revertEdits(analysis.text, change) : undefined;
      if (change && edits) {
        const field = String(change.path[change.path.length - 1]);
        actions.push(quickFix(`Revert ${field} to the deployed value`, diagnostic, editOf(doc, edits)));
      }
    }
    if (changes.length > 0 && ours.some((d) => d.code === 'immutable-identity-store')) {
      actions.push({
        title: 'Revert all of identityStoreDetails to the deployed value',
        kind: CodeActionKind.QuickFix,
        edit: editOf(doc, revertAll(analysis.text, changes, deployed)),
      });
    }
    const fill = fillAction(env, ours);
    if (fill) actions.push(fill);
    const repoint = ours.find((d) => d.code === 'clients-on-replaced-policy');
    const newId = analysis.model.string(PATHS.id);
    if (repoint && newId) {
      const clients = env.clientsToRepoint();
      if (clients.length > 0) actions.push(repointAction(clients, newId, repoint));
    }
  }

  const reason = ours.find((d) => NEW_POLICY_RULES.has(String(d.code)));
  const kind = reason ? CodeActionKind.QuickFix : CodeActionKind.RefactorRewrite;
  if (env.canCreateFiles && wanted(kind)) {
    const generate = generateAction(env, changes, deployed);
    if (generate) actions.push({ ...generate, kind, ...(reason ? { diagnostics: [reason], isPreferred: true } : {}) });
  }
  return actions;
}

function quickFix(title: string, diagnostic: Diagnostic, edit: WorkspaceEdit): CodeAction {
  return { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit };
}

function editOf(doc: TextDocument, edits: readonly EngineEdit[]): WorkspaceEdit {
  return { changes: { [doc.uri]: edits.map((edit) => toTextEdit(doc, edit)) } };
}

/** Puts one value back as deployed: the whole property is rewritten, so a secret travels as `"clientSecret": …`. */
function revertEdits(text: string, change: FrozenChange): EngineEdit[] | undefined {
  switch (change.kind) {
    case 'changed': {
      const property = change.property!;
      const key = keyOf(property).value as string;
      return [
        {
          offset: property.offset,
          length: property.length,
          content: `${JSON.stringify(key)}: ${JSON.stringify(change.deployed)}`,
        },
      ];
    }
    case 'added':
      return [removeProperty(text, change.property!)];
    case 'removed':
      return modify(text, [...change.path], change.deployed, { formattingOptions: documentFormatting(text) });
  }
}

/**
 * Puts the whole block back. Value by value when nothing was removed, so comments and formatting in the block stay;
 * a removed key needs the block rewritten (separate inserts into one object would collide).
 */
function revertAll(text: string, changes: readonly FrozenChange[], deployed: unknown): EngineEdit[] {
  const added = changes.filter((c) => c.kind === 'added').map((c) => c.property!.parent);
  // Two removals in one object would overlap (each takes a comma): those need the rewrite too.
  if (changes.every((c) => c.kind !== 'removed') && new Set(added).size === added.length) {
    return changes.flatMap((c) => revertEdits(text, c) ?? []);
  }
  return modify(text, [...PATHS.identityStoreDetails], deployed, { formattingOptions: documentFormatting(text) });
}

/**
 * One edit, previewed before it applies: create the new policy beside the old one and, when the frozen block was
 * edited, put the old file's block back as deployed so the old file stays deployable.
 */
function generateAction(
  env: PolicyActionEnv,
  changes: readonly FrozenChange[],
  deployed: unknown,
): CodeAction | undefined {
  const { analysis, doc } = env;
  const root = analysis.fullTree()!;
  const storeProperty = analysis.model.property(PATHS.identityStoreDetails);
  const storeValue = storeProperty && valueOf(storeProperty);
  if (!storeValue) return undefined;
  const newUri = env.newPolicyUri();
  if (!newUri) return undefined;
  const edited = changes.length > 0;
  // A secret known not to be current would break the new policy from its first day: it gets the placeholder too; so
  // does a secret this file holds only as its fingerprint (a POST needs the secret itself).
  const verdict = verdictOf(analysis);
  const secretKind = verdict?.secret.kind;
  const placeholder = !edited || secretKind === 'stale' || secretKind === 'rotated' || verdict?.secretInFile === false;
  const content = newPolicyText({
    root,
    // The edited block goes to the new policy; else the old one, with the current secret to fill in.
    identityStoreDetails: getNodeValue(storeValue) as unknown,
    secretPlaceholder: placeholder,
    date: env.now,
    text: analysis.text,
    takenTitles: env.takenTitles(),
  });
  const fileName = decodeURIComponent(newUri.slice(newUri.lastIndexOf('/') + 1));
  const bound = boundClients(analysis.facts);
  const boundNote = bound.length
    ? ` OIDC clients bound to the old policy, to point at the new one once it has its id: ${clientList(bound)}.`
    : '';
  const oldName = decodeURIComponent(doc.uri.slice(doc.uri.lastIndexOf('/') + 1));
  // One annotation per file, so the preview (Ctrl+Enter in the quick-fix menu) groups the edit by what it does. No
  // needsConfirmation: VS Code would then leave the edits unchecked, and applying the fix would change nothing.
  const annotations: Record<string, ChangeAnnotation> = {
    [CREATE_ANNOTATION]: {
      label: `Create ${fileName}`,
      needsConfirmation: false,
      description:
        (!edited
          ? 'A new login policy for the current owner secret.'
          : placeholder
            ? 'A new login policy with the edited identityStoreDetails, for the current owner secret.'
            : 'A new login policy with the edited identityStoreDetails.') + boundNote,
    },
    [REVERT_ANNOTATION]: {
      label: `Revert ${oldName}`,
      needsConfirmation: false,
      description: 'identityStoreDetails back to the deployed value, so this file stays deployable.',
    },
  };
  const annotate = (edit: TextEdit, id: string): TextEdit | AnnotatedTextEdit =>
    env.changeAnnotations ? { ...edit, annotationId: id } : edit;
  const documentChanges: WorkspaceEdit['documentChanges'] = [
    {
      kind: 'create',
      uri: newUri,
      options: { overwrite: false, ignoreIfExists: false },
      ...(env.changeAnnotations ? { annotationId: CREATE_ANNOTATION } : {}),
    },
    {
      textDocument: { uri: newUri, version: null },
      edits: [
        annotate(
          { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: content },
          CREATE_ANNOTATION,
        ),
      ],
    } satisfies TextDocumentEdit,
  ];
  if (edited) {
    documentChanges.push({
      textDocument: { uri: doc.uri, version: doc.version },
      edits: revertAll(analysis.text, changes, deployed).map((e) => annotate(toTextEdit(doc, e), REVERT_ANNOTATION)),
    } satisfies TextDocumentEdit);
  }
  const clientId = analysis.model.string(PATHS.clientId);
  return {
    title: GENERATE_TITLE,
    // The server never holds the current secret; in VS Code this command fills the placeholder from SecretStorage.
    ...(placeholder && clientId && env.canFillSecrets
      ? {
          command: {
            title: 'Fill in the recorded owner secret',
            command: FILL_SECRET_PLACEHOLDER_COMMAND,
            // Generated by this very edit: the client fills it without asking again.
            arguments: [newUri, clientId, { generated: true }],
          },
        }
      : {}),
    edit: {
      documentChanges,
      ...(env.changeAnnotations
        ? {
            changeAnnotations: edited ? annotations : { [CREATE_ANNOTATION]: annotations[CREATE_ANNOTATION]! },
          }
        : {}),
    },
  };
}

/**
 * On the schema error of a secret placeholder: fill in the secret recorded in the editor. For a placeholder left
 * by a generation that ran before the secret was recorded.
 */
function fillAction(env: PolicyActionEnv, ours: readonly Diagnostic[]): CodeAction | undefined {
  const node = env.analysis.model.node(PATHS.clientSecret);
  const clientId = node?.type === 'string' ? placeholderClientId(node.value as string) : undefined;
  if (!env.canFillSecrets || !node || clientId === undefined) return undefined;
  const diagnostic = ours.find((d) => {
    const { offset } = toOffsetRange(env.doc, d.range);
    return d.code === 'schema' && offset === node.offset;
  });
  if (!diagnostic) return undefined;
  return {
    title: 'Fill in the recorded owner secret',
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: true,
    command: {
      title: 'Fill in the recorded owner secret',
      command: FILL_SECRET_PLACEHOLDER_COMMAND,
      arguments: [env.doc.uri, clientId],
    },
  };
}

function repointAction(clients: readonly ClientFile[], newId: string, diagnostic: Diagnostic): CodeAction {
  const documentChanges: TextDocumentEdit[] = [];
  for (const client of clients) {
    const edits = applyLoginPolicy(client.text, newId);
    if (!edits) continue;
    documentChanges.push({ textDocument: { uri: client.uri, version: client.version ?? null }, edits });
  }
  return {
    title: `Point ${documentChanges.length} OIDC client file${documentChanges.length === 1 ? '' : 's'} at this policy`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: { documentChanges },
  };
}

/** The edit that sets a client file's loginPolicy (the last one, as JSON reads it), in that file's own positions. */
function applyLoginPolicy(text: string, newId: string): TextEdit[] | undefined {
  const node = loginPolicyNode(text);
  if (!node) return undefined;
  const client = TextDocument.create('file:///client.json', 'json', 0, text);
  return [toTextEdit(client, { offset: node.offset, length: node.length, content: JSON.stringify(newId) })];
}
