// The Lambdas run on Node 22; the SDK's warning about this machine's Node 20 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const ESM_PACKAGES = [
  '@octokit',
  'universal-user-agent',
  'before-after-hook',
  'json-with-bigint',
  'content-type',
  'email-reply-parser',
].join('|');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The user's EMBARGO_* settings stay out of the tests (see the file).
  setupFiles: ['<rootDir>/test/support/isolate-environment.ts'],
  // Each run's GnuPG homes in one folder, their agents stopped at the end (gnupg-homes.ts).
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  transform: {
    '^.+\\.ts$': ['@swc/jest'],
    // Octokit and its helpers ship ES modules only; jest runs CommonJS, so they are compiled too.
    [`node_modules/(?:${ESM_PACKAGES})/.+\\.js$`]: ['@swc/jest'],
  },
  transformIgnorePatterns: [`/node_modules/(?!(?:${ESM_PACKAGES})/)`],
  // Integration tests start real local servers; give them room on a 2-core machine.
  testTimeout: 60000,
};
