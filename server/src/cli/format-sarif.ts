// SARIF 2.1.0 for code scanning: every rule with its docs as help text, every finding as a result.
import type * as Sarif from 'sarif';
import type { Severity } from '../engine/finding';
import { rules, ruleDocsPath } from '../engine/rules/index';
import { packageVersion, readPackageFile } from '../util/package-root';
import type { FileResult } from './results';
import { rangeOf } from './results';

const LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
  hint: 'note',
};

export function formatSarif(files: readonly FileResult[], cwd: string): string {
  const ruleIndex = new Map(rules.map((rule, i) => [rule.id, i]));
  const log: Sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'login-policy-lint',
            version: packageVersion(),
            informationUri: 'https://github.com/login-policy-lint/login-policy-lint',
            rules: rules.map((rule) => {
              const markdown = readPackageFile(ruleDocsPath(rule.id));
              return {
                id: rule.id,
                name: rule.id,
                shortDescription: { text: rule.docs.summary },
                defaultConfiguration: { level: LEVEL[rule.defaultSeverity] },
                ...(markdown ? { help: { text: rule.docs.summary, markdown } } : {}),
              };
            }),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: `${pathToUri(cwd)}/` } },
        results: files.flatMap((file) =>
          file.findings.map((finding): Sarif.Result => {
            const { start, end } = rangeOf(file, finding);
            return {
              ruleId: finding.ruleId,
              ruleIndex: ruleIndex.get(finding.ruleId) ?? -1,
              level: LEVEL[finding.severity],
              message: { text: finding.message },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: encodeURI(file.path), uriBaseId: 'SRCROOT' },
                    region: {
                      startLine: start.line + 1,
                      startColumn: start.character + 1,
                      endLine: end.line + 1,
                      endColumn: end.character + 1,
                    },
                  },
                },
              ],
            };
          }),
        ),
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function pathToUri(dir: string): string {
  const posix = dir.split('\\').join('/');
  return encodeURI(`file://${posix.startsWith('/') ? '' : '/'}${posix}`).replace(/\/$/, '');
}
