// duplicate-key: a key appears twice in one object. JSON readers, the API included, keep only the last value,
// so the earlier one is silently ignored.
import { defineRule } from '../rule';

export default defineRule({
  id: 'duplicate-key',
  defaultSeverity: 'error',
  docs: { summary: 'A key appears twice in one object.' },
  check({ parsed, report }) {
    for (const { name, offset, length } of parsed.duplicateKeys) {
      report({
        range: { offset, length },
        message: `Duplicate key "${name}": this object already has one. The API keeps only the last value, so the earlier one is ignored.`,
      });
    }
  },
});
