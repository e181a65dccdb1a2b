// Answers of the Hosted Login and Configuration APIs: JSON, errors as one string in `{"errors": ...}` (facts §9.9).
import type { Reply } from '../http-util';
import { BodyError } from './fields';

export const json = (body: unknown, status = 200): Reply => ({ status, body });

export const apiError = (status: number, errors: string): Reply => ({ status, body: { errors } });

/** Assumed for bad Basic credentials on the token endpoint and the Configuration API (DESIGN §13). */
export const unauthorized = (): Reply => apiError(401, 'Unauthorized');
/** Documented for an expired admin token (facts §3.2); also a missing or unknown one here. */
export const forbidden = (): Reply => apiError(403, 'Forbidden');
/** Assumed for an unknown id (DESIGN §13). */
export const notFound = (): Reply => apiError(404, 'Not Found');

export function methodNotAllowed(allowed: readonly string[]): Reply {
  return { ...apiError(405, 'Method Not Allowed'), headers: { Allow: allowed.join(', ') } };
}

/** Runs a handler whose body checks throw BodyError: those become 400 with the check's text. */
export function answering(handler: () => Reply): Reply {
  try {
    return handler();
  } catch (error) {
    if (error instanceof BodyError) return apiError(400, error.message);
    throw error;
  }
}
