/**
 * Findings as annotations a reviewer can click: each failing or warning finding points at the rule
 * that made it, on its line and column of the rules file in the workspace. Shipped rule sets
 * (`builtin:…`) have no file in the repository, so theirs carry none. Type names come from the
 * analysed process: control characters become spaces and @actions/core escapes the rest.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import type { Finding, GateOutcome } from '../src/rules/findings.js';
import { actualText, checkLabel, limitText } from '../src/report/describe.js';
import { shorten } from '../src/report/escape.js';
import { plain } from '../src/report/textTable.js';
import type { Annotation as AnnotationAt, RunnerPort } from './port.js';

/**
 * GitHub shows at most 10 annotations of each level per step; the gate's own failure is one error,
 * so findings use at most 9 of a level, the last saying how many more the job summary has.
 */
export const MAX_PER_LEVEL = 9;

type Level = 'error' | 'warning' | 'notice';

export interface Annotation {
  level: Level;
  message: string;
  properties: AnnotationAt;
}

/**
 * A rules file as a workspace-relative path for an annotation. `file` is as the rules were named
 * (relative to `base`, the working directory, or absolute); shipped sets and files outside the
 * workspace get none.
 */
export function annotationFile(file: string, workspace: string, base = workspace): { file?: string } {
  if (file.startsWith('builtin:')) return {};
  const rel = relative(workspace, resolve(base, file));
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? {} : { file: rel.split('\\').join('/') };
}

/** The annotations of a report's findings, most severe first, capped per level. */
export function findingAnnotations(
  report: Pick<GateOutcome, 'findings'>,
  scenario: string,
  where: { workspace: string; cwd: string },
): Annotation[] {
  const byLevel = new Map<Level, Annotation[]>();
  for (const f of report.findings) {
    const level = levelOf(f);
    if (!level) continue;
    const list = byLevel.get(level) ?? [];
    list.push({
      level,
      message: messageOf(f),
      properties: {
        title: plain(`heapgate ${scenario}: rule ${f.rule.id}`),
        ...located(f, where),
      },
    });
    byLevel.set(level, list);
  }
  const out: Annotation[] = [];
  for (const level of ['error', 'warning', 'notice'] as const) {
    const list = byLevel.get(level) ?? [];
    if (list.length <= MAX_PER_LEVEL) {
      out.push(...list);
      continue;
    }
    const shown = MAX_PER_LEVEL - 1;
    out.push(...list.slice(0, shown), {
      level,
      message: `… and ${list.length - shown} more ${level === 'error' ? 'failing' : level} findings: see the job summary`,
      properties: { title: plain(`heapgate ${scenario}`) },
    });
  }
  return out;
}

export function annotateFindings(
  runner: RunnerPort,
  report: Pick<GateOutcome, 'findings'>,
  scenario: string,
  where: { workspace: string; cwd: string },
): void {
  for (const a of findingAnnotations(report, scenario, where)) runner[a.level](a.message, a.properties);
}

/** fail: error; warn: the rule's severity (warning or notice); inconclusive findings stay in the summary. */
function levelOf(f: Finding): Level | undefined {
  if (f.status === 'fail') return 'error';
  if (f.status === 'warn') return f.severity === 'notice' ? 'notice' : 'warning';
  return undefined;
}

function messageOf(f: Finding): string {
  const actual = actualText(f);
  const limit = limitText(f);
  const parts = [
    `${shorten(f.subject)}: ${checkLabel(f)}${actual ? ` ${actual}` : ''}${limit ? `, limit ${limit}` : ''}`,
  ];
  if (f.message) parts.push(f.message);
  return plain(parts.join(' — '));
}

function located(f: Finding, where: { workspace: string; cwd: string }): AnnotationAt {
  const file = annotationFile(f.rule.file, where.workspace, where.cwd);
  return file.file ? { file: file.file, startLine: f.rule.line, startColumn: f.rule.col } : {};
}
