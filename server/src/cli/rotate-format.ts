// How `rotate` shows a plan, its progress and its result: text for people (the plan on stdout, one progress line per
// step on stderr), or one JSON object. The plan's and the steps' words are the core's (identity-cloud/rotation/
// plan-text.ts, which VS Code shows too); built from the plan and the result only, never a secret or a whole
// fingerprint.
import type { RotationEvent, RotationResult } from '../identity-cloud/rotation/executor';
import { planLines, policyResultLine, stepLine } from '../identity-cloud/rotation/plan-text';
import type { RotationPlan } from '../identity-cloud/rotation/plan-types';
import { count } from '../identity-cloud/progress';

export { stepName } from '../identity-cloud/rotation/plan-text';

/** The plan as `rotate` prints it: the plan's words, then what happens next. */
export function planText(plan: RotationPlan, apply: boolean): string {
  const lines = [
    ...planLines(plan),
    '',
    apply ? 'Carrying it out:' : 'Nothing was changed. Run the same command with --apply to carry it out.',
  ];
  return `${lines.join('\n')}\n`;
}

/** One line per step on stderr: when it ends, or that an earlier run did it. Failures are the caller's one line. */
export function progressLine(event: RotationEvent): string | undefined {
  const line = stepLine(event);
  return line === undefined ? undefined : `login-policy-lint: ${line}\n`;
}

export function resultText(result: RotationResult): string {
  const lines: string[] = [];
  for (const p of result.policies) lines.push(policyResultLine(result.mode, p, ' (--delete-old deletes it)'));
  if (result.files.length > 0) lines.push(`Files: ${result.files.join(', ')}`);
  const timed = result.steps.filter((s) => s.ms !== undefined);
  const ms = timed.reduce((n, s) => n + (s.ms ?? 0), 0);
  lines.push(
    `${count(timed.length, 'step')} in ${ms} ms${timed.length < result.steps.length ? ` (${result.steps.length - timed.length} done by an earlier run)` : ''}; journal: ${result.policies.map((p) => p.journal).join(', ')}`,
  );
  return `${lines.join('\n')}\n`;
}

export function planJson(plan: RotationPlan): string {
  return `${JSON.stringify({ applied: false, plan }, null, 2)}\n`;
}

export function resultJson(plan: RotationPlan, result: RotationResult): string {
  return `${JSON.stringify({ applied: true, plan, result }, null, 2)}\n`;
}
