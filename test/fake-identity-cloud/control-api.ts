// The operator's console under /__fake/: state (never a secret), mode switch, secret reset, request log; faults,
// tokens and sign-ins are in control-simulation.ts.
import { handleSimulationControl, SIMULATION_HELP, type SimulationTarget } from './control-simulation';
import { reply, type Reply } from './http-util';
import { isHoursToLive, MAX_HOURS_TO_LIVE } from './store';
import { FAKE_MODES, type FakeMode, type FakeRequest, type FakeState } from './types';

export const CONTROL_PREFIX = '/__fake';

/** What the control endpoints need from the server. */
export interface ControlTarget extends SimulationTarget {
  state(): FakeState;
  readonly requests: readonly FakeRequest[];
  mode: FakeMode;
  setMode(mode: FakeMode): void;
  hasClient(clientId: string): boolean;
  resetSecretWithExpiry(clientId: string, hoursToLive: number): { secret: string; previousValidUntil: Date };
  clearRequests(): void;
}

export interface ControlCall {
  method: string;
  path: string;
  /** Query and form parameters. */
  params: ReadonlyMap<string, string>;
  body: string;
  contentType: string | undefined;
}

export const CONTROL_HELP = {
  'GET /__fake/state': 'clients with features, secret counts and expiries (never a secret), mode, request count',
  'GET /__fake/mode': 'the current mode',
  'POST /__fake/mode?set=<mode>': `switch mode: ${FAKE_MODES.join(' | ')} (applies to every path outside /__fake/)`,
  'POST /__fake/reset_secret?client_id=<id>&hours=<0-168>': 'reset a secret like clients/reset_secret; returns it',
  'GET /__fake/requests': 'every request received (method, path, client id, status, code, time; no secret)',
  'DELETE /__fake/requests': 'clear the request log',
  ...SIMULATION_HELP,
};

const json = reply;
const problem = (status: number, error: string): Reply => json(status, { error });

const isMode = (value: string | undefined): value is FakeMode => FAKE_MODES.some((m) => m === value);

export function handleControl(target: ControlTarget, call: ControlCall): Reply {
  const { method, path, params } = call;
  const sub = path.slice(CONTROL_PREFIX.length).replace(/\/+$/, '');
  const allow = (...methods: string[]): Reply | undefined =>
    methods.includes(method)
      ? undefined
      : json(405, { error: `${path} accepts ${methods.join(', ')}` }, { Allow: methods.join(', ') });

  switch (sub) {
    case '':
      return allow('GET') ?? json(200, { endpoints: CONTROL_HELP });
    case '/state':
      return allow('GET') ?? json(200, target.state());
    case '/mode': {
      const refused = allow('GET', 'POST');
      if (refused) return refused;
      if (method === 'GET') return json(200, { mode: target.mode });
      const mode = params.get('set');
      if (!isMode(mode)) return problem(400, `set must be one of: ${FAKE_MODES.join(', ')}`);
      target.setMode(mode);
      return json(200, { mode });
    }
    case '/reset_secret': {
      const refused = allow('POST');
      if (refused) return refused;
      const clientId = params.get('client_id');
      if (!clientId) return problem(400, 'client_id is required');
      const hoursText = params.get('hours');
      const hours = hoursText !== undefined && /^\d{1,3}$/.test(hoursText) ? Number(hoursText) : NaN;
      if (!isHoursToLive(hours)) return problem(400, `hours must be an integer from 0 to ${MAX_HOURS_TO_LIVE}`);
      if (!target.hasClient(clientId)) return problem(404, `no API client ${clientId}`);
      const { secret, previousValidUntil } = target.resetSecretWithExpiry(clientId, hours);
      return json(200, {
        client_id: clientId,
        new_secret: secret,
        hours_to_live: hours,
        previous_secrets_valid_until: previousValidUntil.toISOString(),
      });
    }
    case '/requests': {
      const refused = allow('GET', 'DELETE');
      if (refused) return refused;
      if (method === 'DELETE') {
        target.clearRequests();
        return json(200, { count: 0, requests: [] });
      }
      const requests = target.requests;
      return json(200, { count: requests.length, requests });
    }
    default:
      return (
        handleSimulationControl(target, { ...call, sub, allow }) ??
        problem(404, `no control endpoint ${path}; GET ${CONTROL_PREFIX}/ lists them`)
      );
  }
}
