/** Output names, in one place (action.yml must list the same). */
import * as core from '@actions/core';
import type { CheckReport } from '../src/report/checkReport.js';

export const Outputs = {
  Status: 'status',
  Findings: 'findings',
  Errors: 'errors',
  Warnings: 'warnings',
  Notices: 'notices',
  ReportMarkdown: 'report-markdown',
  ResultJson: 'result-json',
  BaselineArtifact: 'baseline-artifact',
  ComparedCommit: 'compared-commit',
} as const;

/** Findings per rule severity; suppressed findings are not counted. */
export function setCountOutputs(report: Pick<CheckReport, 'findings' | 'verdict'>): void {
  const by = (s: string) => report.findings.filter((f) => f.severity === s).length;
  core.setOutput(Outputs.Status, report.verdict);
  core.setOutput(Outputs.Findings, report.findings.length);
  core.setOutput(Outputs.Errors, by('error'));
  core.setOutput(Outputs.Warnings, by('warning'));
  core.setOutput(Outputs.Notices, by('notice'));
}
