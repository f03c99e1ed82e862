// The console output of `npm run test:contract` (vitest run test/contract/ --reporter=./test/contract/reporter.ts),
// for someone checking their own server: not vitest's stack trace per failed check (a server that breaks a rule
// in many requests makes thousands of lines of those), but the totals, each failure on one line, and, as the last
// line, the path of report.md, which holds each failure's request and response in full (report.ts).
//
// The contract checks' results come from the report.json that contract.test.ts writes when it ends. The suite's
// own unit tests (the enumerator, the response checks) get a line per file and per failure, and errors outside
// the checks (Prism did not start, a file did not load) a line each, so that nothing goes unseen.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Reporter, TestModule, TestSpecification, Vitest } from 'vitest/node';
import { root } from '../../scripts/paths.mjs';
import { consoleSummary, type Summary } from './report.js';
import { reportDirFromEnv } from './target.js';

const CONTRACT_FILE = /(^|[/\\])contract\.test\.ts$/;

const firstLine = (text: string | undefined, width = 200) => {
  const line = (text ?? '').split('\n').find((l) => l.trim()) ?? '';
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
};

export default class ContractReporter implements Reporter {
  private vitest?: Vitest;
  private started = Date.now();

  onInit(vitest: Vitest) {
    this.vitest = vitest;
    this.started = Date.now();
  }

  private print(line: string) {
    if (this.vitest) this.vitest.logger.log(line);
    else console.log(line);
  }

  onTestRunStart(specifications: ReadonlyArray<TestSpecification>) {
    const files = specifications.map((s) => relative(root, s.moduleId)).join(', ');
    this.print(`Contract suite: running ${files || 'no test files'} (a line per failure at the end; the report goes to ${reportDirFromEnv()})`);
  }

  // The checks' own console output (contract.test.ts logs its report path) is left out: the summary ends the run.
  onUserConsoleLog() {}

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<{ message?: string; name?: string }>) {
    const lines: string[] = [];
    let contractRan = false;
    for (const module of testModules) {
      const file = relative(root, module.moduleId);
      const contract = CONTRACT_FILE.test(module.moduleId);
      contractRan ||= contract;
      const errors = [...module.errors(), ...[...module.children.allSuites()].flatMap((s) => s.errors())];
      for (const error of errors) lines.push(`${file}: error outside the checks: ${firstLine(error.message)}`);
      if (contract) continue;
      // The suite's own unit tests: a line for the file, and one per failed test.
      const tests = [...module.children.allTests()];
      const failed = tests.filter((t) => t.result().state === 'failed');
      const passed = tests.filter((t) => t.result().state === 'passed').length;
      lines.push(`${file}: ${passed} passed, ${failed.length} failed${tests.length - passed - failed.length ? `, ${tests.length - passed - failed.length} skipped` : ''}`);
      for (const t of failed) {
        const result = t.result();
        const message = result.state === 'failed' ? result.errors[0]?.message : undefined;
        lines.push(`  ✗ ${t.fullName}: ${firstLine(message)}`);
      }
    }
    for (const error of unhandledErrors) lines.push(`unhandled error: ${firstLine(`${error.name ?? 'Error'}: ${error.message ?? ''}`)}`);

    const dir = reportDirFromEnv();
    const jsonPath = join(dir, 'report.json');
    const mdPath = join(dir, 'report.md');
    let summary: Summary | undefined;
    if (existsSync(jsonPath)) {
      const read = JSON.parse(readFileSync(jsonPath, 'utf8')) as Summary;
      // Only this run's report (an older one may lie there).
      if (Date.parse(read.startedAt) >= this.started - 1000) summary = read;
    }
    if (summary) lines.push(...consoleSummary(summary, mdPath));
    else if (contractRan) lines.push(`No contract report was written by this run (see the errors above). Report: ${mdPath}`);
    else lines.push(`contract.test.ts did not run: no contract report. Report: ${mdPath}`);
    for (const line of lines) this.print(line);
  }
}
