// Cold start (REPORT §7.7): fresh processes, modes interleaved; esbuild bundles of P and D, the real server over LSP.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { REPO_ROOT, SCHEMA_PATH } from './contenders';
import { generatePolicy } from './generate';
import { median, min, msSince } from './stats';

export interface Bundles {
  readonly P: string;
  /** The same entry built like `npm run package` (--production: minified, no source map). */
  readonly Pmin: string;
  readonly D: string;
  readonly bytes: Record<'P' | 'Pmin' | 'D', number>;
}

/** Bundles bench/coldstart-entry-{p,d}.ts into out/bench/bundles/. */
export async function buildBundles(): Promise<Bundles> {
  const outdir = path.join(__dirname, 'bundles');
  mkdirSync(outdir, { recursive: true });
  const entry = (name: string): string => path.join(REPO_ROOT, 'bench', name);
  const P = path.join(outdir, 'cold-p.js');
  const Pmin = path.join(outdir, 'cold-p.min.js');
  const D = path.join(outdir, 'cold-d.js');
  // The options esbuild.mjs builds server/dist with (development build), and those of `npm run package`.
  const { bundleOptions } = (await import(pathToFileURL(path.join(REPO_ROOT, 'scripts/bundle-options.mjs')).href)) as {
    bundleOptions: (options: { production: boolean }) => esbuild.BuildOptions;
  };
  const development = bundleOptions({ production: false });
  await Promise.all([
    esbuild.build({ ...development, entryPoints: [entry('coldstart-entry-p.ts')], outfile: P }),
    esbuild.build({
      ...bundleOptions({ production: true }),
      entryPoints: [entry('coldstart-entry-p.ts')],
      outfile: Pmin,
    }),
    esbuild.build({ ...development, entryPoints: [entry('coldstart-entry-d.ts')], outfile: D }),
  ]);
  return { P, Pmin, D, bytes: { P: statSync(P).size, Pmin: statSync(Pmin).size, D: statSync(D).size } };
}

interface ChildTiming {
  readonly loadMs: number;
  readonly firstMs: number;
  readonly totalMs: number;
  readonly diagnostics: number;
  /** spawn → exit, measured by the parent. */
  readonly wallMs: number;
}

function runChild(args: readonly string[]): Promise<{ stdout: string; wallMs: number }> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallMs = msSince(start);
      if (code === 0) resolve({ stdout, wallMs });
      else reject(new Error(`child ${args.join(' ')} exited with ${code}: ${stderr}`));
    });
  });
}

async function bundleSample(bundle: string, fixture: string, schema?: string): Promise<ChildTiming> {
  const child = path.join(__dirname, 'coldstart-child.js');
  const { stdout, wallMs } = await runChild([child, bundle, fixture, ...(schema ? [schema] : [])]);
  return { ...(JSON.parse(stdout.trim()) as Omit<ChildTiming, 'wallMs'>), wallMs };
}

/** `node -e 0`, spawn → exit. */
async function bareSample(): Promise<number> {
  return (await runChild(['-e', '0'])).wallMs;
}

/**
 * Spawns `node server/dist/server.js --stdio`, sends initialize, then (after its result) initialized and didOpen, and
 * times spawn → the first textDocument/publishDiagnostics for the document. `initializationOptions` as given (the VS
 * Code client sends none that matter here; `{ debounceMs: 0 }` removes the server's change debounce).
 */
export function serverSample(
  serverPath: string,
  file: string,
  text: string,
  initializationOptions: object,
): Promise<{ ms: number; diagnostics: number }> {
  const uri = pathToFileURL(file).href;
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let buffer = Buffer.alloc(0);
    let result: { ms: number; diagnostics: number } | undefined;
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`server gave no diagnostics within 20 s: ${stderr}`));
    }, 20_000);
    const send = (message: object): void => {
      const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }), 'utf8');
      child.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
    };
    const handle = (message: { id?: number | string; method?: string; result?: unknown; params?: unknown }): void => {
      if (message.method !== undefined && message.id !== undefined) {
        send({ id: message.id, result: null }); // client/registerCapability and the like
        return;
      }
      if (message.id === 1 && message.method === undefined) {
        send({ method: 'initialized', params: {} });
        send({
          method: 'textDocument/didOpen',
          params: { textDocument: { uri, languageId: 'login-policy', version: 1, text } },
        });
        return;
      }
      if (message.method === 'textDocument/publishDiagnostics' && result === undefined) {
        const params = message.params as { uri: string; diagnostics: unknown[] };
        if (params.uri !== uri) return;
        result = { ms: msSince(start), diagnostics: params.diagnostics.length };
        send({ id: 2, method: 'shutdown', params: null });
        return;
      }
      if (message.id === 2 && message.method === undefined) send({ method: 'exit', params: null });
    };
    child.stdout.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const headerEnd = buffer.indexOf('\r\n\r\n');
        if (headerEnd < 0) return;
        const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString('ascii'))?.[1]);
        if (buffer.length < headerEnd + 4 + length) return;
        const body = buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
        buffer = buffer.subarray(headerEnd + 4 + length);
        handle(JSON.parse(body) as Parameters<typeof handle>[0]);
      }
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', () => {
      clearTimeout(timer);
      if (result) resolve(result);
      else reject(new Error(`server exited before publishing diagnostics: ${stderr}`));
    });
    send({
      id: 1,
      method: 'initialize',
      params: {
        processId: process.pid,
        rootUri: null,
        workspaceFolders: null,
        // What every editor client declares; without workspaceFolders the server's `initialized` handler fails.
        capabilities: { workspace: { workspaceFolders: true }, textDocument: { publishDiagnostics: {} } },
        initializationOptions,
      },
    });
  });
}

export interface ModeSummary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly samples: readonly number[];
}

function summary(samples: readonly number[]): ModeSummary {
  return { median: median(samples), min: min(samples), max: samples.reduce((a, b) => Math.max(a, b), 0), samples };
}

export interface BundleMode {
  readonly bundleBytes: number;
  readonly load: ModeSummary;
  readonly first: ModeSummary;
  readonly total: ModeSummary;
  readonly wall: ModeSummary;
  readonly diagnostics: number;
}

export interface ServerMode {
  readonly raw: ModeSummary;
  /** median(raw) − median(node -e 0). */
  readonly netMs: number;
  readonly diagnostics: number;
  readonly initializationOptions: object;
}

export interface ColdStartResult {
  readonly n: number;
  readonly fixtureBytes: number;
  readonly P: BundleMode;
  readonly Pmin: BundleMode;
  /** P's bundle on the 1 KB policy with errors (first diagnostics are not empty). */
  readonly Perrors: BundleMode;
  readonly D: BundleMode;
  /** P total / D total, medians. */
  readonly ratioPD: number;
  /** spawn → first publishDiagnostics, as the VS Code client starts the server (default debounce). */
  readonly server: ServerMode | undefined;
  /** The same with `initializationOptions.debounceMs = 0`. */
  readonly serverNoDebounce: ServerMode | undefined;
  readonly bareNode: ModeSummary;
  readonly durationMs: number;
}

export async function runColdStart(n: number): Promise<ColdStartResult> {
  const started = process.hrtime.bigint();
  const bundles = await buildBundles();
  const dir = mkdtempSync(path.join(tmpdir(), 'lpl-bench-'));
  try {
    const valid = generatePolicy('1KB', false);
    const errors = generatePolicy('1KB', true);
    const validFile = path.join(dir, 'policy-1KB.loginpolicy.json');
    const errorsFile = path.join(dir, 'policy-1KB-errors.loginpolicy.json');
    writeFileSync(validFile, valid.text);
    writeFileSync(errorsFile, errors.text);
    const serverPath = path.join(REPO_ROOT, 'server/dist/server.js');
    let hasServer = true;
    try {
      statSync(serverPath);
    } catch {
      hasServer = false;
    }
    type Mode = 'P' | 'Pmin' | 'Perrors' | 'D' | 'server' | 'server0' | 'bare';
    const servers = hasServer ? (['server', 'server0'] as const) : [];
    const modes: Mode[] = ['P', 'D', 'Pmin', 'Perrors', ...servers, 'bare'];
    const timings: Record<'P' | 'Pmin' | 'Perrors' | 'D', ChildTiming[]> = { P: [], Pmin: [], Perrors: [], D: [] };
    const serverOptions = { server: {}, server0: { debounceMs: 0 } };
    const serverMs: Record<'server' | 'server0', number[]> = { server: [], server0: [] };
    const serverDiagnostics = { server: 0, server0: 0 };
    const bareMs: number[] = [];
    for (let i = 0; i < n; i++) {
      const order = modes.map((_, k) => modes[(k + i) % modes.length]!);
      for (const mode of order) {
        switch (mode) {
          case 'P':
            timings.P.push(await bundleSample(bundles.P, validFile));
            break;
          case 'Pmin':
            timings.Pmin.push(await bundleSample(bundles.Pmin, validFile));
            break;
          case 'Perrors':
            timings.Perrors.push(await bundleSample(bundles.P, errorsFile));
            break;
          case 'D':
            timings.D.push(await bundleSample(bundles.D, validFile, SCHEMA_PATH));
            break;
          case 'server':
          case 'server0': {
            const s = await serverSample(serverPath, validFile, valid.text, serverOptions[mode]);
            serverMs[mode].push(s.ms);
            serverDiagnostics[mode] = s.diagnostics;
            break;
          }
          case 'bare':
            bareMs.push(await bareSample());
            break;
        }
      }
    }
    const mode = (key: keyof typeof timings, bytes: number): BundleMode => {
      const t = timings[key];
      return {
        bundleBytes: bytes,
        load: summary(t.map((x) => x.loadMs)),
        first: summary(t.map((x) => x.firstMs)),
        total: summary(t.map((x) => x.totalMs)),
        wall: summary(t.map((x) => x.wallMs)),
        diagnostics: t[t.length - 1]?.diagnostics ?? 0,
      };
    };
    const P = mode('P', bundles.bytes.P);
    const D = mode('D', bundles.bytes.D);
    const bareNode = summary(bareMs);
    const serverMode = (key: 'server' | 'server0'): ServerMode | undefined => {
      if (!hasServer) return undefined;
      const raw = summary(serverMs[key]);
      const netMs = raw.median - bareNode.median;
      return { raw, netMs, diagnostics: serverDiagnostics[key], initializationOptions: serverOptions[key] };
    };
    return {
      n,
      fixtureBytes: valid.bytes,
      P,
      Pmin: mode('Pmin', bundles.bytes.Pmin),
      Perrors: mode('Perrors', bundles.bytes.P),
      D,
      ratioPD: P.total.median / D.total.median,
      server: serverMode('server'),
      serverNoDebounce: serverMode('server0'),
      bareNode,
      durationMs: msSince(started),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
