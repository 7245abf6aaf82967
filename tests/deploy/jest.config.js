/**
 * Jest for the deploy tier only (`npm run test:deploy`, through tests/deploy/run.sh): its
 * files end in `.deploy.ts`, so the main configuration's `*.test.ts` never picks them up.
 */
const main = require('../../jest.config.js');

module.exports = {
  ...main,
  rootDir: '../..',
  roots: ['<rootDir>/tests/deploy'],
  testMatch: ['**/*.deploy.ts'],
  // Applies, rollouts and destroys against real API servers take minutes.
  testTimeout: 15 * 60 * 1000,
  maxWorkers: 1,
};
