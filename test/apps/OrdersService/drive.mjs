#!/usr/bin/env node
// Runs OrdersService under HTTP load as a heapgate scenario (checkpoint protocol on stdout/stdin):
//
//   node test/apps/OrdersService/drive.mjs [--leak name[,name]] [--rounds N] [--requests N] [--catalog-mb N]
//        [--warmup-requests N] [--connections N] [--dll path]
//
// Starts the upstream service and the orders service (both on 127.0.0.1, ports picked by the
// system), sends --warmup-requests requests with autocannon, then asks the orders service for the
// checkpoint "warmup" (it waits for the connections to close, forces full blocking GCs and prints
// "heapgate:checkpoint warmup", which is passed on). On "continue" it sends --requests more and asks
// for "round-1", and so on up to "round-N"; then prints "heapgate:done". "exit" or end of input
// stops both services and exits 0. Load figures go to stderr; any failed or non-2xx request ends
// the run with exit code 1.
//
// Requests cycle through POST /orders (a new order: price lookup, stock reservation upstream, an
// insert), GET /customers/{id}/orders and GET /catalog/{sku}, so a third of them place an order.
import { spawn } from 'node:child_process';
import { setTimeout } from 'node:timers';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const here = dirname(fileURLToPath(import.meta.url));
const children = [];
let stopping = false;

const { values: opts } = parseArgs({
  options: {
    leak: { type: 'string', default: '' },
    'catalog-mb': { type: 'string', default: '0' },
    rounds: { type: 'string', default: '3' },
    requests: { type: 'string', default: '500' },
    'warmup-requests': { type: 'string', default: '500' },
    connections: { type: 'string', default: '8' },
    dll: { type: 'string', default: join(here, 'bin', 'Release', 'net10.0', 'OrdersService.dll') },
  },
  strict: true,
});

function positive(name) {
  const n = Number(opts[name]);
  if (!Number.isInteger(n) || n <= 0)
    fail(2, `--${name} must be a positive whole number, got '${opts[name]}'`);
  return n;
}

function fail(code, message) {
  process.stderr.write(`drive: ${message}\n`);
  stopAll();
  process.exit(code);
}

const rounds = positive('rounds');
const perRound = positive('requests');
const warmupRequests = positive('warmup-requests');
const connections = positive('connections');
if (!existsSync(opts.dll)) fail(2, `${opts.dll} not found; build it with: dotnet build -c Release ${here}`);

function stopAll() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.stdin.end('exit\n');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }
  }
}
process.on('SIGTERM', () => {
  stopAll();
  process.exit(143);
});

/** Starts `dotnet <dll> ...args`; calls onLine for each stdout line; stderr passes through. */
function startService(args, onLine) {
  const child = spawn('dotnet', [opts.dll, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' },
  });
  children.push(child);
  child.stdin.on('error', () => {}); // the service may be gone already
  createInterface({ input: child.stdout }).on('line', onLine);
  child.on('exit', (code, signal) => {
    if (!stopping) fail(1, `service '${args[0]}' exited early (code ${code}, signal ${signal})`);
  });
  return child;
}

/** Resolves with the URL the service prints as "<mode>:listening <url>". */
function listening(mode, args, onOther = () => {}) {
  return new Promise((resolve) => {
    const child = startService([mode, ...args], (line) => {
      if (line.startsWith(`${mode}:listening `)) resolve({ child, url: line.slice(mode.length + 11).trim() });
      else onOther(line);
    });
  });
}

let checkpointReached = () => {};
const { url: upstreamUrl } = await listening('upstream', []);
const ordersArgs = ['--upstream', upstreamUrl];
if (opts.leak !== '') ordersArgs.push('--leak', opts.leak);
if (opts['catalog-mb'] !== '0') ordersArgs.push('--catalog-mb', opts['catalog-mb']);
const { child: orders, url } = await listening('orders', ordersArgs, (line) => {
  if (line.startsWith('heapgate:pid ')) {
    process.stdout.write(line + '\n');
  } else if (line.startsWith('heapgate:checkpoint ')) {
    process.stdout.write(line + '\n');
    checkpointReached();
  } else {
    process.stderr.write(line + '\n');
  }
});

let placed = 0;
const requests = [
  {
    method: 'POST',
    path: '/orders',
    headers: { 'content-type': 'application/json' },
    setupRequest: (req) => {
      placed++;
      const body = {
        customerId: placed % 100,
        sku: `SKU-${String(placed % 50).padStart(3, '0')}`,
        quantity: 1 + (placed % 3),
      };
      return { ...req, body: JSON.stringify(body) };
    },
  },
  { method: 'GET', setupRequest: (req) => ({ ...req, path: `/customers/${placed % 100}/orders` }) },
  {
    method: 'GET',
    setupRequest: (req) => ({ ...req, path: `/catalog/SKU-${String(placed % 50).padStart(3, '0')}` }),
  },
];

async function load(label, amount) {
  const result = await autocannon({ url, connections, amount, requests, timeout: 30 });
  const seconds = result.duration;
  const failed = result.errors + result.timeouts + result.non2xx;
  process.stderr.write(
    `drive: ${label}: ${result.requests.total} requests in ${seconds.toFixed(1)} s ` +
      `(${Math.round(result.requests.total / Math.max(seconds, 0.001))}/s, p99 ${result.latency.p99} ms), ` +
      `${failed} failed\n`,
  );
  if (failed > 0)
    fail(
      1,
      `${label}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx responses`,
    );
}

async function checkpoint(label) {
  const reached = new Promise((resolve) => (checkpointReached = resolve));
  orders.stdin.write(`checkpoint ${label}\n`);
  await reached;
  return nextCommand();
}

const commands = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
/** The collector's answer: true for "continue", false for "exit" or end of input. */
async function nextCommand() {
  for (;;) {
    const { value, done } = await commands.next();
    if (done) return false;
    const command = value.trim();
    if (command === 'continue') return true;
    if (command === 'exit') return false;
    if (command !== '') process.stderr.write(`drive: unknown command '${command}'\n`);
  }
}

async function run() {
  await load('warmup', warmupRequests);
  if (!(await checkpoint('warmup'))) return;
  for (let round = 1; round <= rounds; round++) {
    await load(`round-${round}`, perRound);
    if (!(await checkpoint(`round-${round}`))) return;
  }
  process.stdout.write('heapgate:done\n');
}

await run();
stopping = true;
stopAll();
await Promise.all(
  children.map(
    (child) => new Promise((resolve) => (child.exitCode !== null ? resolve() : child.on('exit', resolve))),
  ),
);
process.exit(0);
