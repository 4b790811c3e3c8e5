/// <reference lib="dom" />
/**
 * Chromium's own DevTools heap-snapshot machinery, driven headless: the page is one of the
 * browser's bundled `devtools://devtools/bundled/` resources, so it may start DevTools'
 * HeapSnapshotWorker, and files are streamed into it the way the Memory panel's Load does (a
 * loader, `write` per chunk, `close`, `buildSnapshot` with a second worker for dominators). The
 * worker's message protocol (dispositions `createLoader`, `method`, `factory`,
 * `setupForSecondaryInit`) and the methods called (`aggregatesWithFilter`, `aggregatesForDiff`,
 * `calculateSnapshotDiff`, `createRetainingEdgesProvider`, `serializeItemsRange`) are the ones
 * the Memory panel itself uses; they are DevTools internals, so a Chromium update may rename them.
 */
import { open } from 'node:fs/promises';
import type { Browser, Page } from 'puppeteer-core';

const WORKER =
  'devtools://devtools/bundled/entrypoints/heap_snapshot_worker/heap_snapshot_worker-entrypoint.js';
/** Characters per `write`, as the panel reads a file in pieces. */
const CHUNK = 1 << 20;

export interface Aggregate {
  name: string;
  count: number;
  self: number;
  maxRet: number;
  distance: number;
  idxs: number[];
}

export interface ClassDiff {
  name: string;
  addedCount: number;
  removedCount: number;
  countDelta: number;
  addedSize: number;
  removedSize: number;
  sizeDelta: number;
}

export interface SerializedEdge {
  name: string;
  type: string;
  node: { id: number; name: string; distance: number; nodeIndex: number; selfSize: number; type: string };
}

interface WorkerMessage {
  disposition: string;
  objectId?: number;
  methodName?: string;
  methodArguments?: unknown[];
  newObjectId?: number;
}

export class DevToolsHeapSnapshots {
  /** console.error/warn messages and uncaught errors of the page and its workers. */
  readonly problems: string[] = [];
  private nextObjectId = 1;

  private constructor(readonly page: Page) {}

  static async open(browser: Browser): Promise<DevToolsHeapSnapshots> {
    const page = await browser.newPage();
    const dt = new DevToolsHeapSnapshots(page);
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warn') dt.problems.push(`console.${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) =>
      dt.problems.push(`page error: ${e instanceof Error ? e.message : String(e)}`),
    );
    await page.goto(WORKER);
    await page.evaluate(async (url) => {
      type Pending = Map<number, [(v: unknown) => void, (e: Error) => void]>;
      function start(): Promise<{ call: (msg: object, transfer?: Transferable[]) => Promise<unknown> }> {
        const worker = new Worker(url, { type: 'module' });
        const pending: Pending = new Map();
        let callId = 0;
        return new Promise((resolve, reject) => {
          worker.onerror = (e) => reject(new Error(`the heap snapshot worker failed: ${e.message}`));
          worker.onmessage = (ev: MessageEvent) => {
            const data = ev.data as {
              callId?: number;
              result?: unknown;
              error?: string;
              errorCallStack?: string;
            };
            if (ev.data === 'workerReady') {
              resolve({
                call: (msg, transfer = []) =>
                  new Promise((res, rej) => {
                    const id = callId++;
                    pending.set(id, [res, rej]);
                    worker.postMessage({ ...msg, callId: id }, transfer);
                  }),
              });
              return;
            }
            const p = data.callId === undefined ? undefined : pending.get(data.callId);
            if (!p) return; // progress and status updates
            pending.delete(data.callId!);
            if (data.error) p[1](new Error(`${data.error}\n${data.errorCallStack ?? ''}`));
            else p[0](data.result);
          };
        });
      }
      const [main, second] = await Promise.all([start(), start()]);
      (globalThis as unknown as { heapgateDevTools: object }).heapgateDevTools = {
        call: main.call,
        async build(loaderId: number, snapshotId: number) {
          await main.call({
            disposition: 'method',
            objectId: loaderId,
            methodName: 'close',
            methodArguments: [],
          });
          const channel = new MessageChannel();
          await second.call({ disposition: 'setupForSecondaryInit', objectId: snapshotId }, [channel.port2]);
          return main.call(
            {
              disposition: 'factory',
              objectId: loaderId,
              methodName: 'buildSnapshot',
              methodArguments: [],
              newObjectId: snapshotId,
            },
            [channel.port1],
          );
        },
      };
    }, WORKER);
    return dt;
  }

  private call(msg: WorkerMessage): Promise<unknown> {
    return this.page.evaluate(
      (m) =>
        (
          globalThis as unknown as { heapgateDevTools: { call: (m: object) => Promise<unknown> } }
        ).heapgateDevTools.call(m),
      msg as unknown as Record<string, unknown>,
    );
  }

  /** Loads a .heapsnapshot file as the Memory panel's Load does; returns the snapshot's object id. */
  async load(file: string): Promise<number> {
    const loader = this.nextObjectId++;
    const snapshot = this.nextObjectId++;
    await this.call({ disposition: 'createLoader', objectId: loader });
    const handle = await open(file);
    try {
      for await (const chunk of handle.createReadStream({ encoding: 'utf8', highWaterMark: CHUNK })) {
        await this.call({
          disposition: 'method',
          objectId: loader,
          methodName: 'write',
          methodArguments: [chunk],
        });
      }
    } finally {
      await handle.close();
    }
    const built = await this.page.evaluate(
      (l, s) =>
        (
          globalThis as unknown as { heapgateDevTools: { build: (l: number, s: number) => Promise<unknown> } }
        ).heapgateDevTools.build(l, s),
      loader,
      snapshot,
    );
    if (built !== true) throw new Error(`DevTools did not build a snapshot from ${file}`);
    return snapshot;
  }

  method<T>(objectId: number, methodName: string, ...methodArguments: unknown[]): Promise<T> {
    return this.call({ disposition: 'method', objectId, methodName, methodArguments }) as Promise<T>;
  }

  /** The Summary view's rows: one aggregate per class. */
  async summary(snapshot: number): Promise<Map<string, Aggregate>> {
    const byKey = await this.method<Record<string, Aggregate>>(snapshot, 'aggregatesWithFilter', {});
    return new Map(Object.values(byKey).map((a) => [a.name, a]));
  }

  /** The Comparison view's rows: `snapshot` against `base`. */
  async comparison(base: number, snapshot: number): Promise<Map<string, ClassDiff>> {
    const baseAggregates = await this.method<object>(base, 'aggregatesForDiff', '[]');
    const diff = await this.method<Record<string, ClassDiff>>(
      snapshot,
      'calculateSnapshotDiff',
      `s${base}`,
      baseAggregates,
    );
    return new Map(Object.values(diff).map((d) => [d.name, d]));
  }

  /** The Retainers view of one node: the edges that hold it, as the panel lists them. */
  async retainers(snapshot: number, nodeIndex: number): Promise<SerializedEdge[]> {
    const provider = this.nextObjectId++;
    await this.call({
      disposition: 'factory',
      objectId: snapshot,
      methodName: 'createRetainingEdgesProvider',
      methodArguments: [nodeIndex],
      newObjectId: provider,
    });
    const range = await this.method<{ items: SerializedEdge[] }>(provider, 'serializeItemsRange', 0, 1000);
    return range.items;
  }
}
