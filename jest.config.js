/** Jest: TypeScript through SWC (type-checking is `tsc --noEmit`, run first by `npm test`). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
  setupFilesAfterEnv: ['<rootDir>/tests/support/setup.ts'],
  modulePathIgnorePatterns: ['<rootDir>/cdktf.out', '<rootDir>/app-services'],
  testTimeout: 60000,
};
