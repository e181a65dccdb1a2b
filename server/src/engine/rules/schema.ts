// schema: a type, required property or constant is wrong. The zod policy model decides; the model has already
// located each issue (value, or the key of the object that lacks a property).
import { defineRule } from '../rule';

export default defineRule({
  id: 'schema',
  defaultSeverity: 'error',
  docs: {
    summary: 'A type, required property or constant is wrong; the message names the path and what was expected.',
  },
  check({ model, report }) {
    for (const issue of model.issues) {
      if (issue.kind === 'unknown-key' || issue.kind === 'format') continue;
      report({ range: issue.range, message: issue.message });
    }
  },
});
