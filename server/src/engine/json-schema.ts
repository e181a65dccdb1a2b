// Exports the zod models as JSON Schema (draft 2020-12) for editors that only speak JSON Schema. The build writes
// schemas/login-policy.schema.json and schemas/loginpolicyrc.schema.json; a test fails when they are out of date.
import * as z from 'zod/mini';
import { configDocs, configSchema } from './config/schema';
import { policyDocs, policySchema } from './policy/schema';

interface Doc {
  readonly label: string;
  readonly description: string;
  readonly format?: string;
  readonly example?: string;
  readonly source?: string;
  readonly mutable?: boolean;
}

function exportSchema(schema: z.core.$ZodType, docs: z.core.$ZodRegistry<Doc>, id: string, title: string): object {
  const json = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    metadata: z.registry<Record<string, never>>(),
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      const doc = docs.get(zodSchema);
      if (!doc) return;
      const notes = [doc.description];
      if (doc.mutable === false) notes.push('Cannot change once the policy exists.');
      if (doc.format) notes.push(`Format: ${doc.format}.`);

      jsonSchema.title = doc.label;
      jsonSchema.description = [...notes, ...(doc.source ? [`See ${doc.source}`] : [])].join(' ').replace(/`/g, '');
      (jsonSchema as Record<string, unknown>)['markdownDescription'] = [
        ...notes,
        ...(doc.source ? [`[Vendor documentation](${doc.source})`] : []),
      ].join('\n\n');
      if (doc.example !== undefined) jsonSchema.examples = [JSON.parse(doc.example) as unknown];
    },
  }) as Record<string, unknown>;
  return { ...json, $schema: json['$schema'], $id: id, title };
}

export function policyJsonSchema(): object {
  return exportSchema(
    policySchema,
    policyDocs,
    'https://github.com/login-policy-lint/login-policy-lint/schemas/login-policy.schema.json',
    'Akamai Identity Cloud Hosted Login login policy',
  );
}

export function configJsonSchema(): object {
  return exportSchema(
    configSchema,
    configDocs,
    'https://github.com/login-policy-lint/login-policy-lint/schemas/loginpolicyrc.schema.json',
    'login-policy-lint configuration (.loginpolicyrc.json)',
  );
}

/** The files the build writes, by path relative to the package root. */
export function generatedSchemaFiles(): Record<string, string> {
  return {
    'schemas/login-policy.schema.json': `${JSON.stringify(policyJsonSchema(), null, 2)}\n`,
    'schemas/loginpolicyrc.schema.json': `${JSON.stringify(configJsonSchema(), null, 2)}\n`,
  };
}
