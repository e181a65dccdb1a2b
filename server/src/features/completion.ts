// Completion of keys (with their docs, inserting `"key": value` skeletons) and of values (constants, login URL
// forms, severities), driven by the same documented zod schemas as validation and hovers.
import { getLocation, type Node } from 'jsonc-parser';
import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type Position,
  type Range,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type * as z from 'zod/mini';
import { nodeAt, type JsonPath } from '../engine/ast';
import { configDocs, configSchema } from '../engine/config/schema';
import { parse } from '../engine/parse';
import { PATHS } from '../engine/policy/paths';
import { SELF_HREF } from '../engine/policy/patterns';
import { policyDocs, policySchema } from '../engine/policy/schema';
import { rules } from '../engine/rules/index';
import { docOf, kindOf, literalsOf, schemaAt, shapeOf } from '../engine/schema-walk';
import { toRange } from './positions';

type Schema = z.core.$ZodType;

interface Docs {
  readonly label: string;
  readonly description: string;
  readonly example?: string;
  readonly secret?: boolean;
}

interface Language {
  readonly schema: Schema;
  readonly docs: z.core.$ZodRegistry<Docs>;
  /** Extra keys for an object path (rule ids under "rules"). */
  readonly keysAt?: (path: JsonPath) => { name: string; detail: string }[] | undefined;
  /** Value items for a path, beyond the schema's literals. */
  readonly valuesAt: (path: JsonPath, root: Node | undefined) => ValueItem[];
}

interface ValueItem {
  readonly label: string;
  /** Snippet text, including quotes for strings. */
  readonly snippet: string;
  readonly detail?: string;
}

export function getPolicyCompletions(doc: TextDocument, position: Position): CompletionItem[] {
  return complete(doc, position, {
    schema: policySchema,
    docs: policyDocs,
    valuesAt: (path, root) => {
      const key = path.join('.');
      if (key === PATHS.loginURL.join('.')) return loginUrlForms(root);
      if (key === PATHS.entityType.join('.'))
        return [{ label: '"user"', snippet: '"${1:user}"', detail: 'the usual entity type' }];
      if (key === PATHS.domain.join('.')) {
        return [
          {
            label: '"….janraincapture.com"',
            snippet: '"${1:app}.${2|us,eu|}.janraincapture.com"',
            detail: 'Capture domain',
          },
        ];
      }
      return [];
    },
  });
}

export function getConfigCompletions(doc: TextDocument, position: Position): CompletionItem[] {
  return complete(doc, position, {
    schema: configSchema,
    docs: configDocs,
    keysAt: (path) =>
      path.length === 1 && path[0] === 'rules'
        ? rules.map((rule) => ({ name: rule.id, detail: `${rule.defaultSeverity} by default: ${rule.docs.summary}` }))
        : undefined,
    valuesAt: (path) => {
      if (path.length === 1 && path[0] === 'baseline') {
        return [
          { label: '{ "git": "HEAD" }', snippet: '{ "git": "${1:HEAD}" }', detail: 'compare with git (default)' },
          {
            label: '{ "dir": "deployed" }',
            snippet: '{ "dir": "${1:deployed}" }',
            detail: 'a folder of <id>.json snapshots',
          },
          { label: '"none"', snippet: '"none"', detail: 'no baseline' },
        ];
      }
      return [];
    },
  });
}

function complete(doc: TextDocument, position: Position, language: Language): CompletionItem[] {
  const text = doc.getText();
  const offset = doc.offsetAt(position);
  const location = getLocation(text, offset);
  const root = parse(text).root;
  const previous = location.previousNode;
  if (location.isAtPropertyKey) {
    const objectPath = location.path.slice(0, -1);
    const replace = previous?.type === 'string' ? toRange(doc, previous) : { start: position, end: position };
    const needsColon = !previous || !/^\s*:/.test(text.slice(previous.offset + previous.length));
    const needsComma = /^\s*"/.test(text.slice(previous ? previous.offset + previous.length : offset)) && needsColon;
    return keyItems(language, objectPath, root, previous, replace, needsColon, needsComma);
  }
  const replace: Range =
    previous && previous.type !== 'property' && previous.type !== 'object' && previous.type !== 'array'
      ? toRange(doc, previous)
      : { start: position, end: position };
  return valueItems(language, location.path, root, replace);
}

function keyItems(
  language: Language,
  objectPath: JsonPath,
  root: Node | undefined,
  editing: Node | undefined,
  replace: Range,
  needsColon: boolean,
  needsComma: boolean,
): CompletionItem[] {
  const object = nodeAt(root, objectPath);
  const existing = new Set(
    (object?.type === 'object' ? object.children! : [])
      .map((property) => property.children![0]!)
      .filter((key) => key !== editing && !(editing && key.offset === editing.offset))
      .map((key) => key.value as string),
  );
  const schema = schemaAt(language.schema, objectPath);
  const extra = language.keysAt?.(objectPath);
  const candidates = extra
    ? extra.map(({ name, detail }) => ({
        name,
        detail,
        documentation: detail,
        schema: undefined as Schema | undefined,
      }))
    : Object.entries(schema ? shapeOf(schema) : {}).map(([name, child]) => {
        const doc = docOf(language.docs, child);
        return { name, detail: doc?.label ?? '', documentation: doc?.description ?? '', schema: child };
      });
  return candidates
    .filter(({ name }) => !existing.has(name) && name !== '$schema')
    .map(({ name, detail, documentation, schema: child }, i) => ({
      label: name,
      kind: CompletionItemKind.Property,
      detail,
      documentation: { kind: MarkupKind.Markdown, value: documentation },
      sortText: String(i).padStart(3, '0'),
      filterText: `"${name}"`,
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: {
        range: replace,
        newText: `"${name}"${needsColon ? `: ${child ? valueSkeleton(child, language, [...objectPath, name]) : '"$1"'}` : ''}${needsComma ? ',' : ''}`,
      },
    }));
}

/** The value a key completion inserts: a constant when there is one, else a placeholder of the right type. */
function valueSkeleton(schema: Schema, language: Language, path: JsonPath): string {
  const literals = literalsOf(schema);
  if (literals.length === 1) return JSON.stringify(literals[0]);
  if (literals.length > 1) return `\${1|${literals.map((l) => JSON.stringify(l)).join(',')}|}`;
  const known = language.valuesAt(path, undefined)[0];
  if (known) return known.snippet;
  switch (kindOf(schema)) {
    case 'object':
    case 'record':
      return '{\n\t$1\n}';
    case 'array':
      return '[$1]';
    case 'boolean':
      return '${1|true,false|}';
    case 'number':
      return '${1:0}';
    default:
      return '"$1"';
  }
}

function valueItems(language: Language, path: JsonPath, root: Node | undefined, replace: Range): CompletionItem[] {
  const schema = schemaAt(language.schema, path);
  const items: ValueItem[] = [
    ...(schema ? literalsOf(schema).map((l) => ({ label: JSON.stringify(l), snippet: JSON.stringify(l) })) : []),
    ...language.valuesAt(path, root),
  ];
  const doc = schema ? docOf(language.docs, schema) : undefined;
  return items.map((item, i) => ({
    label: item.label,
    kind: CompletionItemKind.Value,
    detail: item.detail ?? doc?.label,
    ...(doc ? { documentation: { kind: MarkupKind.Markdown, value: doc.description } } : {}),
    sortText: String(i).padStart(3, '0'),
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range: replace, newText: item.snippet },
  }));
}

/** v2 and v1 login URLs, with the customer id of `_links.self.href` when the file has one. */
function loginUrlForms(root: Node | undefined): ValueItem[] {
  const href: unknown = nodeAt(root, PATHS.selfHref)?.value;
  const customer = typeof href === 'string' ? SELF_HREF.exec(href)?.[1] : undefined;
  const id = customer ? customer.replace(/[$}\\]/g, '') : '${2:customerId}';
  return [
    {
      label: 'Hosted Login v2 URL',
      snippet: `"https://v1.api.\${1|us,eu,jp|}.janrain.com/${id}/auth-ui/v2/login"`,
      detail: 'https://v1.api.{region}.janrain.com/{customerId}/auth-ui/v2/login',
    },
    {
      label: 'Hosted Login v1 URL',
      snippet: `"https://v1.api.\${1|us,eu,jp|}.janrain.com/${id}/auth-ui/login"`,
      detail: 'https://v1.api.{region}.janrain.com/{customerId}/auth-ui/login (v1)',
    },
  ];
}
