/**
 * Reader for SOS `gcroot` output into retention paths: the CLR 2.0 chain style
 * (`...:Root:  addr(Type)->`) and the sectioned style of CLR 4.x, native .NET Core SOS and the
 * current C# SOS (`HandleTable:` / `Thread x:` / `Finalizer Queue:` with `-> addr Type` links).
 */
import type { PathStep, RetentionPath, RootKind } from '../../model/evidence.js';
import { canonicalTypeName } from '../../model/typeNames.js';
import { HEX, normalizeAddress, parsePrompt, splitLines } from './text.js';

export interface GcRootResult {
  paths: RetentionPath[];
  /** The `Found N unique roots` figure when printed. */
  reportedRoots?: number;
}

// Applied to lines without trailing spaces, so no pattern ends in a lazy group followed by `\s*$`
// (quadratic over a long run of spaces).
const CHAIN = new RegExp(String.raw`^->\s+(${HEX})\s+([^]*)$`);
const HANDLE = new RegExp(String.raw`^\s+(${HEX})\s+\((.+?) handle(?:\s+RefCount:\s*\d+)?\)$`, 'i');
const FINALIZER_ENTRY = new RegExp(String.raw`^\s+(${HEX})(?:\s+\(finalizer root\))?$`, 'i');
const FRAME = new RegExp(String.raw`^\s{2,}(${HEX})\s+(?:(${HEX})\s+)?([^]+)$`);
const REGISTER = new RegExp(
  String.raw`^\s+([a-z][\w]*(?:[+-][0-9a-f]+)?):(?:\s*(${HEX}))?(?:\s+\(interior\))?$`,
  'i',
);
const FOUND = /^Found\s+([\d,.'\u00a0\u202f]+)\s+(?:unique\s+)?roots?\b/i;
const G1_ROOT = /^(.*?):Root:\s*(.*)$/;
const G1_LINK = new RegExp(String.raw`^(${HEX})\((.*?)\)(?:->)?$`);
const STATIC_ANNOTATION = '(static variable:';
const DEPENDENT_ANNOTATION = '(dependent handle)';

type Section = 'none' | 'stack' | 'handles' | 'finalizer' | 'older';

/** Parses gcroot text; unknown lines are skipped (captures are often edited). */
export function parseGcRoot(text: string): GcRootResult {
  const result: GcRootResult = { paths: [] };
  let section: Section = 'none';
  let frame: string | undefined;
  let current: RetentionPath | undefined;
  let staticIndex = -1;

  const finish = () => {
    if (current && current.steps.length > 0) {
      if (staticIndex > 0) current.steps = current.steps.slice(staticIndex);
      result.paths.push(current);
    }
    current = undefined;
    staticIndex = -1;
  };
  const start = (rootKind: RootKind, rootName?: string) => {
    finish();
    current = { rootKind, steps: [] };
    if (rootName) current.rootName = rootName;
  };
  const link = (address: string, rawType: string) => {
    if (!current) start(section === 'finalizer' ? 'finalizer queue' : 'other root');
    let type = rawType;
    const st = staticAnnotationAt(type);
    if (st >= 0 && current) {
      type = type.slice(0, st).trimEnd();
      current.rootKind = 'static field';
      // SOS guesses the field's name by a heuristic that names an unrelated static on current
      // runtimes (seen with dotnet-dump 10 on .NET 10), so the name is left out; the first step
      // is the object the static holds.
      delete current.rootName;
      // The links above a static are the runtime's statics storage, not the user's holder.
      staticIndex = current.steps.length;
    }
    if (type.endsWith(DEPENDENT_ANNOTATION)) type = type.slice(0, -DEPENDENT_ANNOTATION.length).trimEnd();
    const step: PathStep = { type: canonicalTypeName(type, 'sos'), address: normalizeAddress(address) };
    current?.steps.push(step);
  };

  for (const raw of splitLines(text)) {
    const line = raw.trimEnd();
    const t = line.trim();
    if (t === '') {
      finish();
      continue;
    }
    if (parsePrompt(raw)) {
      finish();
      section = 'none';
      continue;
    }
    const found = FOUND.exec(t);
    if (found) {
      finish();
      result.reportedRoots = Number(found[1].replace(/[^\d]/g, ''));
      continue;
    }
    if (/^HandleTable:$/i.test(t)) {
      finish();
      section = 'handles';
      continue;
    }
    if (/^Finalizer Queue:$/i.test(t)) {
      finish();
      section = 'finalizer';
      continue;
    }
    if (/^Older Generation:$/i.test(t)) {
      finish();
      section = 'older';
      continue;
    }
    const thread = /^Thread\s+([0-9a-f]+):$/i.exec(t);
    if (thread) {
      finish();
      section = 'stack';
      frame = undefined;
      continue;
    }
    const chain = CHAIN.exec(t);
    if (chain) {
      link(chain[1], chain[2]);
      continue;
    }
    const g1 = G1_ROOT.exec(t);
    if (g1) {
      start(...g1RootKind(g1[1]));
      const first = G1_LINK.exec(g1[2]);
      if (first) link(first[1], first[2]);
      continue;
    }
    const g1Link = G1_LINK.exec(t);
    if (g1Link && current) {
      link(g1Link[1], g1Link[2]);
      if (!line.endsWith('->')) finish();
      continue;
    }
    if (section === 'handles') {
      const h = HANDLE.exec(line);
      if (h) {
        start(handleKind(h[2]), `${h[2]} handle ${normalizeAddress(h[1])}`);
        continue;
      }
    }
    if (section === 'finalizer' && FINALIZER_ENTRY.test(line)) {
      start('finalizer queue');
      continue;
    }
    if (section === 'older' && FINALIZER_ENTRY.test(line)) {
      start('other root', 'older generation');
      continue;
    }
    if (section === 'stack') {
      const reg = REGISTER.exec(line);
      if (reg) {
        start('stack local', frame ? `${frame} (${reg[1]})` : reg[1]);
        continue;
      }
      const f = FRAME.exec(line);
      if (f) {
        frame = withoutSourceLocation(f[3]);
        continue;
      }
    }
  }
  finish();
  return result;
}

/** Where a trailing `(static variable: ...)` annotation starts (`[^)]*` inside), or -1. */
function staticAnnotationAt(type: string): number {
  if (!type.endsWith(')')) return -1;
  const at = type.lastIndexOf(STATIC_ANNOTATION);
  if (at < 0 || type.indexOf(')', at) !== type.length - 1) return -1;
  return at;
}

/** A frame name without a trailing `[/src/app/Program.cs @ 12]`. */
function withoutSourceLocation(frame: string): string {
  if (!frame.endsWith(']')) return frame;
  const open = frame.indexOf('[', frame.lastIndexOf(']', frame.length - 2) + 1);
  if (open < 0 || !frame.slice(open, -1).includes('@')) return frame;
  return frame.slice(0, open).trimEnd();
}

function handleKind(kind: string): RootKind {
  const k = kind.toLowerCase().trim();
  if (k === 'strong') return 'strong handle';
  if (k === 'pinned') return 'pinned handle';
  if (k === 'async pinned') return 'async pinned handle';
  if (k.startsWith('weak')) return 'weak handle';
  if (k.startsWith('ref counted') || k.startsWith('refcounted')) return 'ref-counted handle';
  if (k === 'dependent') return 'dependent handle';
  if (k === 'sized ref' || k === 'sizedref') return 'sized-ref handle';
  return 'other root';
}

/** `DOMAIN(0015a2b8):HANDLE(Pinned):3a11f0` or `ESI` / `ESP:12f3a4`. */
function g1RootKind(prefix: string): [RootKind, string?] {
  const handle = /HANDLE\(([^)]+)\)(?::([0-9a-f]+))?/i.exec(prefix);
  if (handle) {
    const kind = handle[1].replace(/([a-z])([A-Z])/g, '$1 $2');
    return [
      handleKind(kind),
      handle[2] ? `${kind.toLowerCase()} handle ${normalizeAddress(handle[2])}` : undefined,
    ];
  }
  if (/finaliz/i.test(prefix)) return ['finalizer queue'];
  return ['stack local', prefix.trim()];
}
