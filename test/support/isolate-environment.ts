/*
 * Jest loads this before every test file: the user's own `EMBARGO_*` settings (a data
 * directory, a configuration, a deployed function) must not reach code under test.
 * Child processes get the same through `isolatedEnv` (local-process.ts).
 */
for (const name of Object.keys(process.env)) {
  if (name.startsWith('EMBARGO_')) delete process.env[name];
}
