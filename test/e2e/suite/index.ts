// The module VS Code loads as extensionTestsPath: runs the mocha suite inside the extension host. The same file
// serves code-server (test/e2e/run-codeserver.mjs) and @vscode/test-electron (test/e2e/run-electron.mjs).
// E2E_SUITE=vsix runs only the checks of the packaged extension.
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  // Suites that need their own editor set-up run alone: the packaged .vsix, the untrusted workspace.
  const special: Record<string, string> = { vsix: 'vsix.test.js', untrusted: 'untrusted.test.js' };
  const only = special[process.env['E2E_SUITE'] ?? ''];
  const grep = process.env['E2E_GREP'];
  if (grep) mocha.grep(grep);
  for (const file of readdirSync(__dirname).sort()) {
    if (!file.endsWith('.test.js')) continue;
    if (only ? file !== only : Object.values(special).includes(file)) continue;
    mocha.addFile(path.join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const passes = runner.stats?.passes ?? 0;
      // A run in which no test ran is a failure, never a pass (no test file found, or E2E_GREP matched nothing).
      const failed = passes + failures === 0 ? 1 : failures;
      if (passes + failures === 0) console.error(`No test ran (E2E_SUITE=${process.env['E2E_SUITE'] ?? ''}).`);
      // The last line: the runners read it as the result (test-electron's runner reads the file instead).
      console.log(`${passes} passed, ${failed} failed`);
      const resultFile = process.env['E2E_RESULT_FILE'];
      if (resultFile) writeFileSync(resultFile, JSON.stringify({ passed: passes, failed }));
      if (failed > 0) reject(new Error(`${failed} tests failed.`));
      else resolve();
    });
  });
}
