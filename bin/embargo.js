#!/usr/bin/env node
// The admin CLI, run from the TypeScript sources (no build step).
require('tsx/cjs');
const { runCli } = require('../infra/cli/embargo-cli.ts');

runCli(process.argv).then((code) => {
  process.exitCode = code;
});
