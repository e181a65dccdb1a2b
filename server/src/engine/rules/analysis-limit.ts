// analysis-limit: the document was not analysed because it is too large, binary, or nested far deeper than any
// login policy. One info finding instead of a hang, a crash or thousands of meaningless errors. The editor's cap on
// findings per file (analyze's maxFindings) reports under this id too.
import { defineRule } from '../rule';

export default defineRule({
  id: 'analysis-limit',
  defaultSeverity: 'info',
  docs: {
    summary:
      'The file is too large, binary, or nested too deeply to be checked, or has more findings than the editor is sent.',
  },
  runsOn: 'any',
  check({ limit, report }) {
    if (!limit) return;
    const range = { offset: 0, length: 0 };
    switch (limit.kind) {
      case 'size':
        report({
          range,
          message: `Not checked: this file is ${sizeOf(limit.size)}, over the ${sizeOf(limit.max)} limit (login policies are about 1 KB).`,
        });
        return;
      case 'binary':
        report({ range, message: 'Not checked: this file is binary, not a JSON login policy.' });
        return;
      case 'depth':
        report({
          range,
          message: `Not checked: values are nested more than ${limit.max} levels deep (login policies are 4 levels deep).`,
        });
    }
  },
});

/** "5.0 MiB", "12.0 KiB", "80 characters" (the limit counts characters; for JSON text that is about bytes). */
function sizeOf(chars: number): string {
  if (chars >= 1024 * 1024) return `${(chars / (1024 * 1024)).toFixed(1)} MiB`;
  if (chars >= 1024) return `${(chars / 1024).toFixed(1)} KiB`;
  return `${chars} characters`;
}
