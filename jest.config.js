// Two projects: unit (pure code, no network) and integration (the real Fabric network, one at a time).
/** @type {import('jest').Config} */
const tsJest = ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }];

module.exports = {
  // The integration suites share one network and must not run at the same time.
  maxWorkers: 1,
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['<rootDir>/network/src/**/*.test.ts', '<rootDir>/chaincode/src/**/*.test.ts', '<rootDir>/test/unit/**/*.test.ts'],
    },
    {
      displayName: 'integration',
      rootDir: __dirname,
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/integration-setup.ts'],
    },
  ],
};
