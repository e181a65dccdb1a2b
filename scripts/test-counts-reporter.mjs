// A node:test reporter that writes what ran as one JSON object, for scripts/test.mjs to judge a step by: per test file
// its passed, failed, skipped and todo tests, and node's own totals. An exit code alone cannot tell "all passed" from
// "nothing ran" or "everything skipped".
export default async function* countsReporter(source) {
  const files = {};
  const totals = {};
  for await (const event of source) {
    const data = event.data;
    if (event.type === 'test:diagnostic' && data.nesting === 0) {
      // node's summary comes last, as "tests 12", "pass 11", …; a test's own diagnostic is overwritten by it.
      const match = /^(tests|suites|pass|fail|cancelled|skipped|todo) (\d+)$/.exec(data.message);
      if (match) totals[match[1]] = Number(match[2]);
      continue;
    }
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    if (data.details?.type === 'suite') continue;
    const file = (files[data.file ?? '(unknown file)'] ??= { pass: 0, fail: 0, skipped: 0, todo: 0 });
    if (data.skip !== undefined && data.skip !== false) file.skipped++;
    else if (data.todo !== undefined && data.todo !== false) file.todo++;
    else if (event.type === 'test:pass') file.pass++;
    else file.fail++;
  }
  yield `${JSON.stringify({ files, totals })}\n`;
}
