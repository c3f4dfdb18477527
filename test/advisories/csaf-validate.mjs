// Runs the CSAF 2.0 schema test and the mandatory tests (section 6.1) of
// @secvisogram/csaf-validator-lib on the JSON array of documents read from stdin, and prints one
// list of problems per document. A separate process because the library ships ES modules only.
import { Buffer } from 'node:buffer';
import validate from '@secvisogram/csaf-validator-lib/validate.js';
import * as basic from '@secvisogram/csaf-validator-lib/basic.js';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const documents = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const tests = Object.values(basic);
const results = [];
for (const document of documents) {
  const result = await validate(tests, document);
  results.push(
    result.tests.flatMap((t) =>
      t.errors.map((e) => `${t.name} ${e.instancePath || '/'} ${e.message}`),
    ),
  );
}
process.stdout.write(JSON.stringify(results));
