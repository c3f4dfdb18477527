#!/usr/bin/env node
// The admin CLI, run from the TypeScript sources (no build step).
// The Lambdas run on Node 22; the SDK's warning about a local Node 20 is noise for the CLI.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('tsx/cjs');
const { runCli } = require('../infra/cli/embargo-cli.ts');

// Exit when the command is done: AWS SDK clients keep idle connections open that would
// otherwise hold the process (stdout and stderr are synchronous for files and pipes on Linux).
runCli(process.argv).then((code) => process.exit(code));
