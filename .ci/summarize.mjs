// .ci/run's last line: `node .ci/summarize.mjs <label>=<vitest json or "-"> ... [image=ok|bad|skipped]`.
// Prints one line per pass, then the single summary line "N passed, N failed[, N skipped]". Exit 1 if anything
// failed, a pass left no report, or a pass ran zero tests (a pass that proves nothing must not look green).
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
for (const arg of process.argv.slice(2)) {
  const [label, value] = [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)];
  if (label === 'image') {
    if (value === 'ok') passed += 1;
    else if (value === 'bad') failed += 1;
    console.log(`image test: ${value}`);
    continue;
  }
  if (value === '-' || !existsSync(value)) {
    console.log(`${label}: no test report (the pass did not get to its tests)`);
    failed += 1;
    continue;
  }
  const r = JSON.parse(readFileSync(value, 'utf8'));
  // A test file that failed to load has no test results of its own: count it as one failure.
  const brokenFiles = (r.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0).length;
  const bad = r.numFailedTests + brokenFiles;
  console.log(`${label}: ${r.numPassedTests} passed, ${bad} failed, ${r.numPendingTests} skipped (${(r.testResults ?? []).length} test files)`);
  passed += r.numPassedTests;
  failed += bad;
  skipped += r.numPendingTests;
  if (r.numPassedTests === 0) {
    console.log(`${label}: ran zero tests`);
    failed += 1;
  }
}
console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ''));
process.exitCode = failed > 0 ? 1 : 0;
