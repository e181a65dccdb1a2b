// A wrong value in a message (a setting, a command-line option): quoted when it is short or a near miss of an
// expected word (a typo the user wants to see, with the word meant), otherwise only described. A long value that is
// nothing like the expected words may be a secret typed or pasted in the wrong place, and a message written before
// anything has seen that secret could not mask it (DESIGN §10).
import { closestNames } from '../engine/suggest';
import { MIN_SECRET_LENGTH } from './redact';

export function shownValue(value: unknown, expected: readonly string[] = []): string {
  if (typeof value !== 'string')
    return value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
  const near = closestNames(value, expected);
  if (near.length > 0 && near[0] !== value) return `${JSON.stringify(value)} (did you mean "${near[0]}"?)`;
  if (value.length < MIN_SECRET_LENGTH || near.length > 0) return JSON.stringify(value);
  return `a ${value.length}-character value`;
}
