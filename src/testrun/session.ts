/**
 * The state of one `heapgate test` run: the checkpoints the test host asked for and the outcome of
 * each assertion, answering the library's requests one at a time. Collection and file I/O come in
 * through `TestSessionIO`, so the session itself runs in tests without a process.
 */
import { join } from 'node:path';
import { HeapgateError } from '../errors.js';
import type { HeapSnapshot } from '../model/snapshot.js';
import { renderCheckJson } from '../report/checkReport.js';
import { evaluateAssertion } from './evaluateAssertion.js';
import {
  PROTOCOL_VERSION,
  Request,
  type AssertRequest,
  type AssertionOutcome,
  type AssertionSpec,
  type CheckpointInfo,
  type CheckpointRequest,
  type Response,
} from './protocol.js';

export interface TestSessionIO {
  /** Writes a .gcdump of process `pid` to `file`; returns how long it took. */
  collect(pid: number, file: string): Promise<{ durationMs: number }>;
  /** Reads a snapshot with its object graph. */
  load(file: string): Promise<HeapSnapshot>;
  writeText(file: string, text: string): Promise<void>;
  now(): Date;
}

export interface AssertionRecord {
  id: string;
  test?: string;
  description?: string;
  spec: AssertionSpec;
  base?: string;
  head: string;
  outcome?: AssertionOutcome;
  /** Time to read the checkpoints and judge the assertion. */
  durationMs?: number;
  /** Set when the assertion could not be evaluated (bad rule, unknown checkpoint). */
  error?: string;
}

/** Snapshots kept in memory: a test compares the last few checkpoints, older ones are re-read. */
const LOADED_LIMIT = 3;

export class TestSession {
  readonly checkpoints: CheckpointInfo[] = [];
  readonly assertions: AssertionRecord[] = [];
  private readonly loaded = new Map<string, HeapSnapshot>();

  constructor(
    private readonly outDir: string,
    private readonly io: TestSessionIO,
    private readonly tool: string,
  ) {}

  /** Answers one request line; never throws (a bad request is an error response). */
  async handleLine(line: string): Promise<Response> {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      return { id: -1, ok: false, error: `not a JSON request: ${line.slice(0, 80)}` };
    }
    const parsed = Request.safeParse(json);
    const id =
      typeof json === 'object' && json !== null && 'id' in json && typeof json.id === 'number' ? json.id : -1;
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return {
        id,
        ok: false,
        error: `bad request: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
      };
    }
    try {
      return await this.handle(parsed.data);
    } catch (err) {
      if (err instanceof HeapgateError) return { id, ok: false, error: err.message };
      throw err;
    }
  }

  async handle(req: Request): Promise<Response> {
    switch (req.op) {
      case 'hello':
        return { id: req.id, ok: true, protocol: PROTOCOL_VERSION };
      case 'checkpoint':
        return { id: req.id, ok: true, checkpoint: await this.checkpoint(req) };
      case 'assert':
        return { id: req.id, ok: true, outcome: await this.assert(req) };
    }
  }

  private async checkpoint(req: CheckpointRequest): Promise<CheckpointInfo> {
    const id = `cp${this.checkpoints.length + 1}`;
    const file = join(this.outDir, 'checkpoints', `${id}-${safeFileName(req.name)}.gcdump`);
    const { durationMs } = await this.io.collect(req.pid, file);
    const reading = performance.now();
    const snapshot = await this.io.load(file);
    const readMs = Math.round(performance.now() - reading);
    const info: CheckpointInfo = {
      id,
      name: req.name,
      ...(req.test !== undefined ? { test: req.test } : {}),
      file,
      objects: snapshot.totals.objects,
      bytes: snapshot.totals.bytes,
      collectMs: Math.round(durationMs),
      readMs,
    };
    this.checkpoints.push(info);
    this.remember(id, snapshot);
    return info;
  }

  private async assert(req: AssertRequest): Promise<AssertionOutcome> {
    const record: AssertionRecord = {
      id: `a${this.assertions.length + 1}`,
      ...(req.test !== undefined ? { test: req.test } : {}),
      ...(req.description !== undefined ? { description: req.description } : {}),
      spec: req.assertion,
      ...(req.base !== undefined ? { base: req.base } : {}),
      head: req.head,
    };
    this.assertions.push(record);
    const started = performance.now();
    try {
      const head = this.checkpointById(req.head);
      const base = req.base === undefined ? undefined : this.checkpointById(req.base);
      const result = evaluateAssertion({
        spec: req.assertion,
        label: `assertion ${record.id}${req.test ? ` in ${req.test}` : ''}`,
        ...(req.description !== undefined ? { description: req.description } : {}),
        ...(base ? { base: { snapshot: await this.snapshot(base), name: base.name } } : {}),
        head: { snapshot: await this.snapshot(head), name: head.name },
        now: this.io.now(),
        tool: this.tool,
      });
      const report = join(this.outDir, 'assertions', `${record.id}.json`);
      await this.io.writeText(report, renderCheckJson(result.report));
      record.durationMs = Math.round(performance.now() - started);
      record.outcome = {
        passed: result.passed,
        verdict: result.report.verdict,
        message: result.message,
        report,
        snapshots: [...(base ? [base.file] : []), head.file],
      };
      return record.outcome;
    } catch (err) {
      if (err instanceof HeapgateError) record.error = err.message;
      throw err;
    }
  }

  private checkpointById(id: string): CheckpointInfo {
    const found = this.checkpoints.find((c) => c.id === id);
    if (!found)
      throw new HeapgateError(
        `no checkpoint '${id}' in this run (known: ${this.checkpoints.map((c) => c.id).join(', ') || 'none'})`,
      );
    return found;
  }

  private async snapshot(cp: CheckpointInfo): Promise<HeapSnapshot> {
    const cached = this.loaded.get(cp.id);
    if (cached) return cached;
    const snapshot = await this.io.load(cp.file);
    this.remember(cp.id, snapshot);
    return snapshot;
  }

  private remember(id: string, snapshot: HeapSnapshot): void {
    this.loaded.delete(id);
    this.loaded.set(id, snapshot);
    while (this.loaded.size > LOADED_LIMIT) {
      const oldest = this.loaded.keys().next().value;
      if (oldest === undefined) break;
      this.loaded.delete(oldest);
    }
  }
}

/** A checkpoint name as part of a file name: letters, digits, `.`, `-`, `_`; at most 60 characters. */
export function safeFileName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '');
  return (cleaned || 'checkpoint').slice(0, 60);
}
