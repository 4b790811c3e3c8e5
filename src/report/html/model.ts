/**
 * The data an HTML report page shows, embedded in the page as JSON and drawn by its inline script.
 * One shape for every report kind (check, soak, one snapshot): each section is optional.
 */

export const HTML_REPORT_SCHEMA_VERSION = 1;

/** Caps that keep a page small (≤ 5 MB for a million-object heap) and quick to draw. */
export const HTML_LIMITS = {
  /** Rows of the per-type table embedded in the page. */
  tableRows: 5000,
  /** Types in the treemap; the rest of the heap is one "other types" cell per namespace. */
  treemapTypes: 400,
  /** Namespaces in the treemap; the rest are one "other namespaces" cell. */
  treemapGroups: 60,
  /** Line charts in a soak report (totals plus the types that grow fastest or have findings). */
  charts: 12,
  /** Objects listed with their root path in a snapshot report. */
  retainers: 30,
} as const;

export type HtmlReportKind = 'check' | 'soak' | 'snapshot';
export type HtmlVerdict = 'pass' | 'fail' | 'warn' | 'inconclusive';

export interface HtmlPathStep {
  type: string;
  address?: string;
  /** Shallow bytes (absent on a folded run of one type). */
  size?: number;
  /** Consecutive objects of this type folded into the step (a linked list). */
  repeat?: number;
  /** Bytes this object keeps alive (dominator tree), when the graph was at hand. */
  retained?: number;
  /** Objects that reference this one, when the graph was at hand. */
  referrers?: number;
}

/** One retention path: a root, then the objects from the rooted one to the object held. */
export interface HtmlPath {
  /** e.g. "3,000 × HeapgateScenarios.Leaks.CacheEntry" or the object's address. */
  title: string;
  /** "static field s_entries", "strong handle", ... */
  root: string;
  count?: number;
  bytes?: number;
  retained?: number;
  steps: HtmlPathStep[];
}

export interface HtmlFinding {
  status: 'fail' | 'warn' | 'inconclusive' | 'suppressed';
  subject: string;
  /** "new type", "count growth", ... */
  check: string;
  actual: string;
  limit: string;
  /** "type-growth (builtin:default:26)" */
  rule: string;
  /** The leak's fingerprint and what it was computed from: "hg1-… (static field s_items → …)". */
  fingerprint?: string;
  message?: string;
  hint?: string;
  /** Why it is suppressed, for suppressed findings. */
  suppressedBy?: string;
  /** Retained bytes of the subject's instances, when evidence computed it. */
  retained?: number;
  paths: HtmlPath[];
}

export interface TreemapLeaf {
  name: string;
  value: number;
  /** Change against the baseline (check reports); colours the cell. */
  delta?: number;
}

export interface TreemapGroup {
  name: string;
  value: number;
  children: TreemapLeaf[];
}

export interface HtmlTreemap {
  title: string;
  /** What a cell's size is, in words ("retained bytes of top-level dominators"). */
  measure: string;
  total: number;
  groups: TreemapGroup[];
}

export type ColumnKind = 'text' | 'count' | 'bytes' | 'delta-count' | 'delta-bytes' | 'pct' | 'number';

export interface HtmlColumn {
  key: string;
  label: string;
  kind: ColumnKind;
}

export interface HtmlTable {
  title: string;
  columns: HtmlColumn[];
  /** Row values in column order; null where a value does not apply. */
  rows: (string | number | null)[][];
  /** Rows before the page's cap. */
  totalRows: number;
  sort: { column: number; descending: boolean };
  /** Index of a text column offered as a filter (a select of its distinct values). */
  facet?: number;
}

export interface HtmlChart {
  title: string;
  unit: 'count' | 'bytes';
  /** One label per point (checkpoint labels). */
  labels: string[];
  values: number[];
  /** Highlight: the type has a finding. */
  flagged?: boolean;
}

export interface HtmlReport {
  schemaVersion: typeof HTML_REPORT_SCHEMA_VERSION;
  kind: HtmlReportKind;
  title: string;
  tool: string;
  generatedAt: string;
  verdict?: HtmlVerdict;
  /** One-line headline under the title. */
  headline: string;
  /** Key facts shown as a small definition list. */
  facts: { label: string; value: string }[];
  /** Caveats: estimated data, rows left out to keep the page small. */
  notes: string[];
  findings?: HtmlFinding[];
  suppressed?: HtmlFinding[];
  /** Objects that keep the most memory alive, each with its root path (snapshot reports). */
  retainers?: HtmlPath[];
  treemap?: HtmlTreemap;
  table?: HtmlTable;
  charts?: HtmlChart[];
}
