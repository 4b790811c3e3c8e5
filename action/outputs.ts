/** Output names, in one place (action.yml must list the same). */
import type { CheckReport } from '../src/report/checkReport.js';
import type { RunnerPort } from './port.js';

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
export function setCountOutputs(runner: RunnerPort, report: Pick<CheckReport, 'findings' | 'verdict'>): void {
  const by = (s: string) => report.findings.filter((f) => f.severity === s).length;
  runner.setOutput(Outputs.Status, report.verdict);
  runner.setOutput(Outputs.Findings, report.findings.length);
  runner.setOutput(Outputs.Errors, by('error'));
  runner.setOutput(Outputs.Warnings, by('warning'));
  runner.setOutput(Outputs.Notices, by('notice'));
}
