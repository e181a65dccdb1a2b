// Control endpoints for the simulation: per-request faults, admin token expiry, simulated sign-ins and the
// sign-in load. No auth (like the rest of /__fake/): keep the fake on loopback.
import { FAULT_KINDS, faultSpecFrom, type FaultSpec, type FaultState } from './faults';
import { reply, type Reply } from './http-util';
import { SIGN_IN_FAILURES, type SignInCounter, type SignInLoad, type SignInResult } from './sign-in';

/** What these endpoints need from the server. */
export interface SimulationTarget {
  injectFault(spec: FaultSpec): number;
  removeFault(id: number): boolean;
  clearFaults(): void;
  faults(): FaultState[];
  expireTokens(): void;
  signIn(oidcClientId: string): SignInResult;
  signInCounters(): Record<string, SignInCounter>;
  resetSignInCounters(): void;
  startSignInLoad(options: { ratePerSecond?: number }): SignInLoad;
}

export const SIMULATION_HELP = {
  'GET /__fake/faults': 'the injected faults with what is left of them',
  'POST /__fake/faults': `add a fault: JSON or form {method?, path (pattern, * = one segment, ** = any), kind: ${FAULT_KINDS.join(' | ')}, times? (number or "always"), delayMs?, applied?}`,
  'DELETE /__fake/faults[?id=<id>]': 'remove one fault, or all',
  'POST /__fake/expire_tokens': 'every admin token issued so far stops working (403 Forbidden next)',
  'POST /__fake/sign_in?client_id=<oidc client id>': 'one simulated sign-in through that client: {ok, reason?}',
  'GET /__fake/sign_ins': 'attempts and failures per OIDC client',
  'DELETE /__fake/sign_ins': 'reset the sign-in counters',
  'POST /__fake/sign_in_load?rate=<per second>': 'sign in through every client at that total rate (default 200)',
  'GET /__fake/sign_in_load': 'the running load: attempted, failed, per client, first and last failure',
  'DELETE /__fake/sign_in_load': 'stop the load; answers its figures',
};

const problem = (status: number, error: string): Reply => reply(status, { error });

/** The one load started over HTTP, per target. */
const loads = new WeakMap<SimulationTarget, SignInLoad>();

export interface SimulationCall {
  method: string;
  /** The path after /__fake, without a trailing slash. */
  sub: string;
  params: ReadonlyMap<string, string>;
  body: string;
  contentType: string | undefined;
  allow: (...methods: string[]) => Reply | undefined;
}

/** Answers a simulation endpoint, or undefined when `sub` is not one. */
export function handleSimulationControl(target: SimulationTarget, call: SimulationCall): Reply | undefined {
  const { method, params, allow } = call;
  switch (call.sub) {
    case '/faults':
      return allow('GET', 'POST', 'DELETE') ?? faults(target, call);
    case '/expire_tokens':
      if (allow('POST')) return allow('POST');
      target.expireTokens();
      return reply(200, { expired: true });
    case '/sign_in': {
      const refused = allow('POST');
      if (refused) return refused;
      const clientId = params.get('client_id');
      if (!clientId) return problem(400, 'client_id is required');
      const result = target.signIn(clientId);
      return reply(200, result.ok ? result : { ...result, why: SIGN_IN_FAILURES[result.reason] });
    }
    case '/sign_ins':
      if (allow('GET', 'DELETE')) return allow('GET', 'DELETE');
      if (method === 'DELETE') target.resetSignInCounters();
      return reply(200, { clients: target.signInCounters() });
    case '/sign_in_load':
      return allow('GET', 'POST', 'DELETE') ?? signInLoad(target, method, params);
    default:
      return undefined;
  }
}

function faults(target: SimulationTarget, call: SimulationCall): Reply {
  if (call.method === 'GET') return reply(200, { faults: target.faults() });
  if (call.method === 'DELETE') {
    const id = call.params.get('id');
    if (id === undefined) target.clearFaults();
    else if (!target.removeFault(Number(id))) return problem(404, `no fault ${id}`);
    return reply(200, { faults: target.faults() });
  }
  let input: Record<string, unknown> = Object.fromEntries(call.params);
  if ((call.contentType ?? '').toLowerCase().startsWith('application/json')) {
    try {
      input = { ...input, ...(JSON.parse(call.body) as Record<string, unknown>) };
    } catch {
      return problem(400, 'the body is not JSON');
    }
  }
  try {
    const id = target.injectFault(faultSpecFrom(input));
    return reply(201, { id, faults: target.faults() });
  } catch (error) {
    return problem(400, (error as Error).message);
  }
}

function signInLoad(target: SimulationTarget, method: string, params: ReadonlyMap<string, string>): Reply {
  const running = loads.get(target);
  if (method === 'GET') return running ? reply(200, running.figures()) : problem(404, 'no sign-in load is running');
  if (method === 'DELETE') {
    if (!running) return problem(404, 'no sign-in load is running');
    loads.delete(target);
    return reply(200, running.stop());
  }
  if (running?.running) return problem(409, 'a sign-in load is running already; DELETE it first');
  const rate = Number(params.get('rate') ?? 200);
  if (!Number.isFinite(rate) || rate <= 0 || rate > 10_000) return problem(400, 'rate must be from 1 to 10000');
  const load = target.startSignInLoad({ ratePerSecond: rate });
  loads.set(target, load);
  return reply(201, load.figures());
}
