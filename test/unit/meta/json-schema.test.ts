// The exported JSON Schemas are generated from the zod models; the committed files must be up to date.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { generatedSchemaFiles } from '../../../server/src/engine/json-schema';

const root = path.resolve(__dirname, '../../../..');

describe('exported JSON Schemas', () => {
  for (const [file, content] of Object.entries(generatedSchemaFiles())) {
    it(`${file} is up to date (run npm run build to regenerate)`, () => {
      assert.equal(readFileSync(path.join(root, file), 'utf8'), content);
    });
  }

  it('describes every field of a policy, with its format and vendor page', () => {
    const schema = JSON.parse(readFileSync(path.join(root, 'schemas/login-policy.schema.json'), 'utf8')) as {
      properties: Record<string, { description?: string; properties?: Record<string, unknown> }>;
      required: string[];
    };
    assert.deepEqual([...schema.required].sort(), ['identityStoreDetails', 'loginURL', 'title']);
    for (const [key, field] of Object.entries(schema.properties))
      assert.ok(field.description, `${key} has a description`);
  });
});
