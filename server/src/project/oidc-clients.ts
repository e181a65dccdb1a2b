// OIDC client configuration files (facts §3.4): which login policy each one uses. A file is one when it is a JSON
// object with a string `loginPolicy` and the shape of a client (`redirectURIs` or a `type` of public/confidential).
import type { Node } from 'jsonc-parser';
import picomatch from 'picomatch';
import { nodeAt } from '../engine/ast';
import { parse, withinMaxDepth } from '../engine/parse';

/** Where OIDC client files are looked for in a workspace. */
export const OIDC_CLIENT_PATTERNS = ['**/*.oidcclient.json', '**/clients/**/*.json'];

/** Compiled on first use (start-up time). */
let matchesClientPattern: picomatch.Matcher | undefined;

/** True for paths (with forward slashes) where the workspace scan looks for OIDC client files. */
export function isOidcClientFileName(posixPath: string): boolean {
  matchesClientPattern ??= picomatch(OIDC_CLIENT_PATTERNS, { dot: true });
  return matchesClientPattern(posixPath);
}

export interface OidcClientFile {
  readonly id?: string;
  readonly name?: string;
  readonly loginPolicy: string;
}

/** The client's summary, or undefined when the text is not an OIDC client configuration. */
export function readOidcClient(text: string): OidcClientFile | undefined {
  if (!text.includes('"loginPolicy"') || text.length > 1024 * 1024) return undefined;
  const strict = strictJson(text);
  if (strict !== undefined) return clientOf(strict);
  const root = rootOf(text);
  if (root?.type !== 'object') return undefined;
  const string = (key: string) => {
    const node = nodeAt(root, [key]);
    return node?.type === 'string' ? (node.value as string) : undefined;
  };
  const loginPolicy = string('loginPolicy');
  const type = string('type');
  const looksLikeClient =
    nodeAt(root, ['redirectURIs'])?.type === 'array' || type === 'public' || type === 'confidential';
  if (!loginPolicy || !looksLikeClient) return undefined;
  const id = string('id');
  const name = string('name');
  return { loginPolicy, ...(id ? { id } : {}), ...(name ? { name } : {}) };
}

/** A strict JSON text's value (most client files are that, and the native parser is many times faster). */
function strictJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined; // comments, trailing commas or errors: the tolerant parser decides
  }
}

/** The summary of a client file read by the native parser, by the same rules as the tree below. */
function clientOf(value: unknown): OidcClientFile | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !withinMaxDepth(value)) return undefined;
  const object = value as Record<string, unknown>;
  const string = (key: string) => (typeof object[key] === 'string' ? object[key] : undefined);
  const loginPolicy = string('loginPolicy');
  const type = string('type');
  const looksLikeClient = Array.isArray(object['redirectURIs']) || type === 'public' || type === 'confidential';
  if (!loginPolicy || !looksLikeClient) return undefined;
  const id = string('id');
  const name = string('name');
  return { loginPolicy, ...(id ? { id } : {}), ...(name ? { name } : {}) };
}

/** The `loginPolicy` value node of a client file's text, for re-pointing edits. */
export function loginPolicyNode(text: string): Node | undefined {
  const node = nodeAt(rootOf(text), ['loginPolicy']);
  return node?.type === 'string' ? node : undefined;
}

/**
 * The tree of a well-formed client file. A file with syntax errors is being edited or is broken: it is not counted
 * as a client, and no edit is computed on it. Repeated keys follow JSON: the last one counts.
 */
function rootOf(text: string): Node | undefined {
  const parsed = parse(text);
  return parsed.tooDeep || parsed.syntaxErrors.length > 0 ? undefined : parsed.root;
}
