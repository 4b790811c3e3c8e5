/**
 * A test-only reader of Visual Studio TRX result files (what `dotnet test --logger trx` writes),
 * independent of heapgate: each test's name, outcome, failure or skip message and result files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TrxResult {
  testName: string;
  outcome: string;
  message: string;
  resultFiles: string[];
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');
}

export function parseTrx(xml: string): TrxResult[] {
  const results: TrxResult[] = [];
  for (const m of xml.matchAll(/<UnitTestResult\b([^>]*?)(?:\/>|>([\s\S]*?)<\/UnitTestResult>)/g)) {
    const attrs = m[1];
    const body = m[2] ?? '';
    const attr = (name: string) => unescapeXml(new RegExp(`\\b${name}="([^"]*)"`).exec(attrs)?.[1] ?? '');
    const message =
      /<Message>([\s\S]*?)<\/Message>/.exec(body)?.[1] ??
      /<StdOut>([\s\S]*?)<\/StdOut>/.exec(body)?.[1] ??
      '';
    results.push({
      testName: attr('testName'),
      outcome: attr('outcome'),
      message: unescapeXml(message),
      resultFiles: [...body.matchAll(/<ResultFile path="([^"]*)"/g)].map((f) => unescapeXml(f[1])),
    });
  }
  return results;
}

/** Every result of the .trx files in `dir` (one per test project run). */
export function readTrxDir(dir: string): TrxResult[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.trx'))
    .flatMap((f) => parseTrx(readFileSync(join(dir, f), 'utf8')));
}
