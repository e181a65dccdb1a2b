// Standalone fake Identity Cloud seeded with the demo (demo-seed.ts: the vendor-page owner client, three login
// policies, one of them stale, OIDC clients bound to them): `npm run fake-cloud`.
import { DEMO, demoOptions, seedDemo } from './demo-seed';
import { GRACE_OWNER, LOGIN_CLIENT, SCENARIO_ENTITY_TYPES, VENDOR_OWNER } from './scenario';
import { FAKE_MODES, FakeIdentityCloud, type FakeRequest } from './server';

const USAGE = 'usage: node out/test/fake-identity-cloud/main.js [--port N]   (default: a free port)';

function parsePort(args: readonly string[]): number | undefined {
  let port: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    const value = arg === '--port' ? args[++i] : arg.startsWith('--port=') ? arg.slice('--port='.length) : null;
    if (value === null) throw new Error(`unknown argument ${arg}`);
    if (value === undefined || !/^\d+$/.test(value) || Number(value) > 65535) throw new Error('--port needs 0-65535');
    port = Number(value);
  }
  return port;
}

function logLine(r: FakeRequest): void {
  const time = new Date().toISOString().slice(11, 19);
  const client = r.clientId === undefined ? '' : ` client=${r.clientId}`;
  const outcome = r.status === 0 ? 'no answer' : `${r.status}${r.code === undefined ? '' : ` code ${r.code}`}`;
  console.log(`${time} ${r.method} ${r.path}${client} -> ${outcome}`);
}

async function main(): Promise<void> {
  let port: number | undefined;
  try {
    port = parsePort(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const now = new Date();
  const cloud = await FakeIdentityCloud.start({ ...demoOptions(now), port: port ?? 0, onRequest: logLine });
  seedDemo(cloud);
  const graceEnds = new Date(now.getTime() + GRACE_OWNER.graceHours * 3_600_000).toISOString();
  const u = cloud.url;
  const state = cloud.state();
  const policyLines = state.loginPolicies.flatMap((p) => [
    `  ${p.id}  ${p.title}  owner secret ${p.ownerCredentials === 'accepted' ? 'accepted' : 'REJECTED (stale)'}`,
    ...p.clients.map((id) => {
      const client = state.oidcClients.find((c) => c.id === id);
      return `    OIDC client ${id}  ${client?.name ?? ''}  sign-in ${client?.signInWorks ? 'works' : 'FAILS'}`;
    }),
  ]);
  console.log(
    [
      `Fake Identity Cloud listening on ${u}: Hosted Login configuration API, Configuration API and Capture API`,
      'THIS IS A FAKE. Every id and secret below is made up for this demo and printed on purpose.',
      '',
      'To point login-policy-lint at it (copy into your shell):',
      `  export LOGIN_POLICY_API_BASE=${u}`,
      `  export LOGIN_POLICY_CUSTOMER_ID=${DEMO.customerId}`,
      `  export LOGIN_POLICY_REGION=${DEMO.region}`,
      `  export LOGIN_POLICY_CONFIG_CLIENT_ID=${DEMO.configClient.id}`,
      `  export LOGIN_POLICY_CONFIG_CLIENT_SECRET=${DEMO.configClient.secret}`,
      `  export LOGIN_POLICY_OWNER_CLIENT_ID=${VENDOR_OWNER.clientId}`,
      `  export LOGIN_POLICY_OWNER_CLIENT_SECRET=${VENDOR_OWNER.currentSecret}`,
      `and allow the Capture host for the live check: "verify": {"allowedHosts": ["http://${cloud.host}"]}`,
      '',
      `Customer ${DEMO.customerId}, Capture application ${DEMO.applicationId}. The owner secret was reset with`,
      'hours_to_live 0, so the policy still holding the old one is stale and sign-ins through its clients fail:',
      ...policyLines,
      '',
      `Policy "domain": ${cloud.host}   (plain HTTP on loopback: allow it explicitly as a test host)`,
      `Entity types: ${SCENARIO_ENTITY_TYPES.join(', ')}`,
      '',
      'Seeded API clients:',
      `  ${VENDOR_OWNER.clientId}  owner  (vendor page: changing an owner client secret)`,
      `    current   ${VENDOR_OWNER.currentSecret}`,
      `    expired   ${VENDOR_OWNER.expiredSecret}  (policies holding it are stale: 402)`,
      `  ${GRACE_OWNER.clientId}  owner  (secret reset with hours_to_live ${GRACE_OWNER.graceHours})`,
      `    current   ${GRACE_OWNER.currentSecret}`,
      `    previous  ${GRACE_OWNER.previousSecret}  (still valid until ${graceEnds})`,
      `  ${LOGIN_CLIENT.clientId}  login_client, not an owner (403 client_permission_error)`,
      `    current   ${LOGIN_CLIENT.secret}`,
      '',
      'Hosted Login configuration API (Bearer token from the token endpoint):',
      `  POST ${u}/${DEMO.customerId}/login/token         Basic config client, grant_type=client_credentials`,
      `  GET  ${u}/${DEMO.customerId}/config/loginPolicies[/ID[/pushClaims|/allowedResponseTypes]]`,
      `  GET  ${u}/${DEMO.customerId}/config/clients[/ID]`,
      'Configuration API (Basic, owner client):',
      `  GET  ${u}/config/${DEMO.applicationId}/clients[/ID]   PUT .../ID/secret {"hoursToLive": H}`,
      'Capture API (HTTP 200, check "stat"):',
      `  POST ${u}/entityType.list          Basic auth, owner only`,
      `  POST ${u}/clients/list             [has_features=["owner"]]`,
      `  POST ${u}/clients/reset_secret     for_client_id=ID&hours_to_live=0-168`,
      'Control endpoints:',
      `  GET  ${u}/__fake/state`,
      `  POST ${u}/__fake/mode?set=${FAKE_MODES.join('|')}`,
      `  POST ${u}/__fake/reset_secret?client_id=ID&hours=0-168`,
      `  GET  ${u}/__fake/requests`,
      `  POST ${u}/__fake/sign_in?client_id=ID      GET ${u}/__fake/sign_ins`,
      `  POST ${u}/__fake/faults                     GET ${u}/__fake/ lists them all`,
      'Try:',
      `  curl -s -X POST -u ${VENDOR_OWNER.clientId}:${VENDOR_OWNER.expiredSecret} ${u}/entityType.list`,
      `  curl -s -X POST ${u}/__fake/sign_in?client_id=${DEMO.clients.web.id}`,
      '',
      'Ctrl-C to stop.',
    ].join('\n'),
  );

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    console.log('Stopping the fake Identity Cloud.');
    void cloud.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  console.error(`fake Identity Cloud failed to start${code ? ` (${code})` : ''}: ${(error as Error).message}`);
  process.exit(1);
});
