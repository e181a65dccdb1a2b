// Hovers: what a key or value is, whether it can change after creation, its format, an example and the vendor page,
// all from the zod schema's docs. Secrets are shown masked; loginURL values are read (region, customer, version).
import { findNodeAtOffset, type Node } from 'jsonc-parser';
import type { Hover, Position } from 'vscode-languageserver';
import { MarkupKind } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../engine/analyze';
import { formatPath, keyOf, pathOf, type JsonPath } from '../engine/ast';
import { verdictOf, type OwnerSecretVerdict } from '../engine/owner-secret/verdict';
import {
  ago,
  evidenceWords,
  fingerprintWords,
  howToKnowSecret,
  liveAnswerWords,
  until,
  utc,
} from '../engine/owner-secret/words';
import { PATHS } from '../engine/policy/paths';
import { boundClients, clientList } from './bound-clients';
import { configDocs, configSchema } from '../engine/config/schema';
import { parse } from '../engine/parse';
import { parseLoginUrl } from '../engine/policy/login-url';
import { CLAIM_MAPS, policyDocs, policySchema, type FieldDoc } from '../engine/policy/schema';
import { getRule } from '../engine/rules/index';
import { docOf, schemaAt } from '../engine/schema-walk';
import { isFingerprinted, secretFingerprint } from '../shared/fingerprint';
import { maskSecret } from '../shared/redact';
import { docsUrlOf } from './diagnostics';
import { toRange } from './positions';

/** The node under the cursor and the JSON path it stands for (a key stands for its property). */
interface Target {
  readonly node: Node;
  readonly path: JsonPath;
  readonly isKey: boolean;
}

function targetAt(root: Node | undefined, offset: number): Target | undefined {
  if (!root) return undefined;
  const node = findNodeAtOffset(root, offset, true);
  if (!node) return undefined;
  const parent = node.parent;
  if (parent?.type === 'property' && keyOf(parent) === node) {
    return { node, path: [...pathOf(node), node.value as string], isKey: true };
  }
  if (node.type === 'object' || node.type === 'array' || node.type === 'property') return undefined;
  return { node, path: pathOf(node), isKey: false };
}

export function getPolicyHover(doc: TextDocument, analysis: Analysis, position: Position): Hover | null {
  const target = targetAt(analysis.fullTree(), doc.offsetAt(position));
  if (!target) return null;
  const sections = policySections(target);
  const where = formatPath(target.path);
  if (where === 'id') {
    const clients = boundClients(analysis.facts);
    const used = clients.length
      ? `**Used by ${clients.length} OIDC client${clients.length === 1 ? '' : 's'} of this workspace:** ${clientList(clients, true)}`
      : '**Used by:** no OIDC client file of this workspace names this policy in its `loginPolicy`.';
    sections.splice(sections.length - 1, 0, used);
  }
  if (where === formatPath(PATHS.clientSecret) || where === formatPath(PATHS.clientId)) {
    const verdict = verdictOf(analysis);
    if (verdict)
      sections.splice(
        sections.length - 1,
        0,
        ...ownerSecretSections(verdict, analysis, where === formatPath(PATHS.clientId)),
      );
  }
  return sections.length ? hover(doc, target.node, sections) : null;
}

/** The state of the embedded owner credentials, how it was decided, and what to do next. */
function ownerSecretSections(verdict: OwnerSecretVerdict, analysis: Analysis, aboutClient: boolean): string[] {
  const { now } = analysis;
  const lines: string[] = [];
  const { owner, secret } = verdict;
  if (aboutClient || owner.kind === 'not-owner') {
    lines.push(
      owner.kind === 'owner'
        ? `**Owner client:** yes (${evidenceWords(owner.evidence, now)})`
        : owner.kind === 'not-owner'
          ? `**Owner client:** no: lacks the "owner" feature (${evidenceWords(owner.evidence, now)})`
          : '**Owner client:** not known',
    );
  }
  let next: string;
  switch (secret.kind) {
    case 'current':
      lines.push(`**Secret state:** current (${evidenceWords(secret.evidence, now)})`);
      next = 'nothing: the policy holds the current owner secret.';
      break;
    case 'rotated':
      lines.push(
        `**Secret state:** replaced, still accepted ${secret.validUntil ? `until ${utc(secret.validUntil)} (${until(secret.validUntil, now)})` : 'for the rest of its grace period'} (${evidenceWords(secret.evidence, now)})`,
      );
      next =
        'create a new login policy with the current secret and move its OIDC clients to it before the grace period ends.';
      break;
    case 'stale':
      lines.push(`**Secret state:** stale: sign-in through this policy fails (${evidenceWords(secret.evidence, now)})`);
      next = 'create a new login policy with the current secret and move its OIDC clients to it.';
      break;
    case 'check-failed':
      lines.push(
        `**Secret state:** unknown; the live check could not decide: ${secret.check.reason} (${ago(secret.check.checkedAt, now)})`,
      );
      next = `${howToKnowSecret(analysis.facts.editor, 'check-failed')}.`;
      break;
    default:
      lines.push('**Secret state:** not verified');
      next = `to know the current secret, ${howToKnowSecret(analysis.facts.editor, verdict.secretInFile ? 'unverified' : 'fingerprinted')}.`;
  }
  if (verdict.live && !(secret.kind !== 'unknown' && 'evidence' in secret && secret.evidence.kind === 'live')) {
    lines.push(`**Last live check:** ${liveAnswerWords(verdict.live)} (${ago(verdict.live.checkedAt, now)})`);
  }
  lines.push(`**Next:** ${next}`);
  return [lines.join('  \n')];
}

function policySections(target: Target): string[] {
  const { path, node, isKey } = target;
  const name = String(path[path.length - 1]);
  if (path.length === 3 && path[0] === 'customClaims' && (CLAIM_MAPS as readonly string[]).includes(String(path[1]))) {
    const where = path[1] === 'id_token' ? 'in the ID token' : 'by the userinfo endpoint';
    const attribute: unknown = isKey ? node.parent?.children?.[1]?.value : node.value;
    const claim = `**Custom claim \`${name}\`**: returned ${where}, read from the Capture attribute ${typeof attribute === 'string' ? `\`${attribute}\`` : '(not a string)'}.`;
    const doc = docOf(policyDocs, schemaAt(policySchema, path));
    return doc ? [claim, ...fieldSections(doc, undefined)] : [claim];
  }
  const doc = docOf(policyDocs, schemaAt(policySchema, path));
  if (!doc) {
    return isKey
      ? [`**\`${name}\`** is not a property of the login policy model at \`${formatPath(path.slice(0, -1))}\`.`]
      : [];
  }
  const heading = `**\`${name}\`** · ${doc.label}`;
  const value = valueSections(doc, path, isKey ? node.parent?.children?.[1] : node);
  return [heading, ...fieldSections(doc, value)];
}

function fieldSections(doc: FieldDoc, value: string[] | undefined): string[] {
  const facts = [
    `**Can change after creation:** ${doc.mutable ? 'yes (PUT)' : 'no — frozen; changing it needs a new login policy'}`,
    ...(doc.format ? [`**Format:** ${doc.format}`] : []),
    ...(doc.example && !doc.secret ? [`**Example:** \`${doc.example}\``] : []),
  ];
  return [doc.description, ...(value ?? []), facts.join('  \n'), `[Vendor documentation](${doc.source})`];
}

function valueSections(doc: FieldDoc, path: JsonPath, value: Node | undefined): string[] | undefined {
  if (value?.type !== 'string') return undefined;
  const text = value.value as string;
  if (doc.secret) {
    // A fingerprint is not secret, but a short form is enough to tell it apart and keeps the hover readable.
    if (isFingerprinted(text)) {
      return [
        `**Value:** not stored here: the file holds only the secret's fingerprint (${fingerprintWords(secretFingerprint(text))}), as \`login-policy-lint pull\` writes it. The secret's state is judged by that fingerprint.`,
      ];
    }
    return [`**Value:** \`${maskSecret(text)}\` (masked)`];
  }
  if (formatPath(path) === 'loginURL') {
    const url = parseLoginUrl(text);
    if (!url) return ['**Value:** not an absolute URL'];
    const version = url.version ? `Hosted Login v${url.version}` : 'not a Hosted Login login path';
    return [
      [
        `**Region:** ${url.region ?? 'custom host'}`,
        `**Customer id:** ${url.customerId ? `\`${url.customerId}\`` : 'not found'}`,
        `**Version:** ${version}`,
      ].join('  \n'),
    ];
  }
  return undefined;
}

export function getConfigHover(doc: TextDocument, position: Position): Hover | null {
  const root = parse(doc.getText()).root;
  const target = targetAt(root, doc.offsetAt(position));
  if (!target) return null;
  const { path, isKey } = target;
  const name = String(path[path.length - 1]);
  if (path.length === 2 && path[0] === 'rules' && isKey) {
    const rule = getRule(name);
    if (!rule) return hover(doc, target.node, [`**\`${name}\`** is not a known rule.`]);
    return hover(doc, target.node, [
      `**Rule \`${rule.id}\`** (default: ${rule.defaultSeverity})`,
      rule.docs.summary,
      `[Rule documentation](${docsUrlOf(rule.id)})`,
    ]);
  }
  const doc2 = docOf(configDocs, schemaAt(configSchema, path));
  if (!doc2) return null;
  const facts = [
    ...(doc2.format ? [`**Format:** ${doc2.format}`] : []),
    ...(doc2.example ? [`**Example:** \`${doc2.example}\``] : []),
  ];
  return hover(doc, target.node, [
    `**\`${name}\`** · ${doc2.label}`,
    doc2.description,
    ...(facts.length ? [facts.join('  \n')] : []),
  ]);
}

function hover(doc: TextDocument, node: Node, sections: readonly string[]): Hover {
  return {
    contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n') },
    range: toRange(doc, node),
  };
}
