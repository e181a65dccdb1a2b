// duplicate-key: a key appears twice in one object. Most JSON readers keep only the last value and silently drop
// the earlier one; which one the API would use is not documented.
import { defineRule } from '../rule';

export default defineRule({
  id: 'duplicate-key',
  defaultSeverity: 'error',
  docs: { summary: 'A key appears twice in one object.' },
  runsOn: 'parsed',
  check({ parsed, report }) {
    for (const { name, offset, length } of parsed.duplicateKeys) {
      report({
        range: { offset, length },
        message: `Duplicate key "${name}": this object already has one. Most JSON readers keep only the last value, so which one the API uses is not guaranteed.`,
      });
    }
  },
});
