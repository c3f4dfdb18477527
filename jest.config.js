// The Lambdas run on Node 22; the SDK's warning about this machine's Node 20 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The user's EMBARGO_* settings stay out of the tests (see the file).
  setupFiles: ['<rootDir>/test/support/isolate-environment.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  // Integration tests start real local servers; give them room on a 2-core machine.
  testTimeout: 60000,
};
