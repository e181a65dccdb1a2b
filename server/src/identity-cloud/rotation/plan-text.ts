// A rotation plan and its progress in words, for people: what `rotate` prints and what VS Code shows in its preview and
// progress notification, the same words in both. Built from the plan and the events only, which hold ids, titles and
// calls, never a secret or a whole fingerprint.
import { count } from '../progress';
import type { RotationEvent, RotationResult } from './executor';
import type { PlannedStep, RotationPlan, SecretSource } from './plan-types';

const SOURCE: Record<SecretSource, string> = {
  env: 'LOGIN_POLICY_NEW_OWNER_SECRET',
  stdin: 'stdin',
  typed: 'the secret typed into VS Code',
  reset: 'the reset (never shown)',
};

/**
 * The plan in words, every line but the closing one (which says what happens next: the CLI's --apply, the editor's
 * Rotate button).
 */
export function planLines(plan: RotationPlan): string[] {
  const lines: string[] = [];
  const verb = plan.mode === 'abort' ? 'Abort' : plan.resuming ? 'Resume the rotation' : 'Rotation';
  lines.push(
    `${verb} plan for owner client ${plan.ownerClientId} (Capture ${plan.domain}), customer ${plan.customerId}`,
  );
  if (plan.mode === 'rotate') {
    const check = plan.newSecret.check;
    const verdict = !check
      ? plan.reset && !plan.reset.at
        ? 'proven after the reset'
        : 'the new policy holds it'
      : check.state === 'accepted'
        ? check.notCurrent
          ? `Capture accepts it for now, but it is not the owner client's current secret (${check.notCurrent})`
          : 'Capture accepts it'
        : `Capture does not accept it (${check.why})`;
    lines.push(`  new secret: from ${SOURCE[plan.newSecret.source]}; ${verdict}`);
    if (plan.reset) {
      lines.push(
        plan.reset.at
          ? `  reset: made ${plan.reset.at}; the old secret works ${hours(plan.reset.hoursToLive)} after it`
          : `  reset: the old secret keeps working ${hours(plan.reset.hoursToLive)}; it is embedded in ${plan.reset.affected.join(', ')}`,
      );
    }
  }
  for (const p of plan.policies) {
    lines.push('');
    const state = !p.exists
      ? 'deleted'
      : p.dead
        ? `its secret is refused by Capture now (${p.oldSecret.why}): sign-in through its ${count(p.toMove.length, 'OIDC client')} is failing now; they move first, before anything optional`
        : p.oldSecret.state === 'accepted'
          ? 'its secret works now'
          : `its secret: ${p.oldSecret.why}`;
    lines.push(`  "${p.oldTitle}" (${p.oldId}): ${state}`);
    if (plan.mode === 'rotate') {
      const settings = [
        p.pushClaims === undefined ? undefined : `push claims ${p.pushClaims ? 'on' : 'off'}`,
        p.allowedResponseTypes === undefined ? undefined : `response types ${p.allowedResponseTypes.join(', ')}`,
      ].filter((s) => s !== undefined);
      lines.push(
        `    new policy: "${p.newTitle}"${p.newId ? ` (${p.newId}, created)` : ''}${settings.length ? `; ${settings.join('; ')}` : ''}`,
      );
      lines.push(`    moves ${clientList(p.toMove)}`);
      if (p.moved.length > 0) lines.push(`    already moved: ${clientList(p.moved)}`);
      if (p.deleteOld) lines.push('    then the old policy is deleted');
    } else {
      lines.push(
        `    moves back ${clientList(plan.steps.flatMap((s) => (s.kind === 'move-back' && s.policyId === p.oldId ? [s.client!] : [])))}`,
      );
    }
    lines.push(`    journal: ${p.journal}`);
  }
  lines.push('', 'Steps, in order (each API call):');
  for (const [i, step] of plan.steps.entries()) {
    const mark =
      step.progress === 'done'
        ? ' (done)'
        : step.progress === 'started'
          ? ' (started by an earlier run)'
          : step.progress === 'failed'
            ? ' (failed in an earlier run)'
            : '';
    lines.push(`  ${String(i + 1).padStart(3)}. ${step.title}${mark}`);
    if (step.progress !== 'done') for (const call of callLines(step.calls)) lines.push(`         ${call}`);
  }
  const untouched = plan.untouched;
  if (untouched.policies.length > 0 || untouched.clients > 0) {
    lines.push('', 'Untouched:');
    for (const p of untouched.policies) {
      lines.push(`  "${p.title}" (${p.id}): ${p.note}; ${count(p.clients, 'OIDC client')}`);
    }
    lines.push(`  ${count(untouched.clients, 'other OIDC client')} (bound to none of these policies)`);
  }
  for (const note of plan.notes) lines.push(`Note: ${note}`);
  return lines;
}

/** The calls of a step; calls on one path are joined ("GET, PUT, GET /…/clients/{id}"). */
function callLines(calls: readonly string[]): string[] {
  const split = calls.map((c) => /^(\S+) (\S+)(.*)$/.exec(c));
  const paths = new Set(split.map((m) => m?.[2]));
  if (calls.length > 1 && paths.size === 1 && split.every((m) => m && m[3] === '')) {
    return [`${split.map((m) => m![1]).join(', ')} ${split[0]![2]}`];
  }
  return [...calls];
}

function clientList(clients: readonly { id: string; name: string }[]): string {
  if (clients.length === 0) return 'no OIDC client';
  const shown = clients.slice(0, 8).map((c) => `"${c.name}" (${c.id})`);
  return `${count(clients.length, 'OIDC client')}: ${shown.join(', ')}${clients.length > 8 ? `, and ${clients.length - 8} more` : ''}`;
}

/** One line per step, when it ends or that an earlier run did it: `[5/16] re-point …: done in 3 ms`. */
export function stepLine(event: RotationEvent): string | undefined {
  const at = `[${event.index + 1}/${event.total}]`;
  switch (event.phase) {
    case 'start':
    case 'fail':
      return undefined;
    case 'skip':
      return `${at} ${event.step.title}: done by an earlier run`;
    case 'end':
      return `${at} ${event.step.title}: ${event.note ? `${event.note}, ` : ''}done in ${event.ms} ms`;
  }
}

/**
 * What a run did to one policy, in one sentence. `keptHint`: how the old policy could be deleted too, in the words of
 * the tool that ran it (the CLI's `--delete-old`).
 */
export function policyResultLine(
  mode: RotationResult['mode'],
  p: RotationResult['policies'][number],
  keptHint = '',
): string {
  if (mode === 'abort') {
    return `Aborted the rotation of "${p.oldTitle}" (${p.oldId}): ${count(p.clients, 'OIDC client')} moved back; the new policy ${p.newDeleted ? 'is deleted' : p.newId ? 'is kept (other clients use it)' : 'was not created'}.`;
  }
  return `Rotated "${p.oldTitle}" (${p.oldId}) to "${p.newTitle}" (${p.newId ?? 'not created'}): ${count(p.clients, 'OIDC client')} re-pointed${p.oldDeleted ? '; the old policy is deleted' : `; the old policy is kept${keptHint}`}.`;
}

export function stepName(step: PlannedStep, index: number, total: number): string {
  return `step ${index + 1} of ${total} (${step.title})`;
}

function hours(n: number): string {
  return n === 1 ? 'for 1 hour' : `for ${n} hours`;
}
