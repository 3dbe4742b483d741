// Three projects: unit (network tooling, gateway routes and the monitor's detectors, no network), chaincode (contracts on an in-memory peer), integration (the real network, one suite at a time).
/** @type {import('jest').Config} */
// Fabric's state folders hold Raft snapshots (*.snap) Jest would take for its own.
const ignoreState = ['<rootDir>/.regchain/', '<rootDir>/.regchain-test/', '<rootDir>/.regchain-docker/', '<rootDir>/.regchain-hosts/'];
// Sources of the shared package, not its build, so a test sees an edit at once.
const moduleNameMapper = {
  '^@regchain/common$': '<rootDir>/common/src/index.ts',
  '^@regchain/common/node$': '<rootDir>/common/src/node.ts',
  '^@regchain/fabric$': '<rootDir>/fabric/src/index.ts',
};
const tsJest = ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }];

module.exports = {
  // The integration suites share one network and must not run at the same time.
  maxWorkers: 1,
  // Tests that open an embedded database (PGlite: about 1.5 s, more on a busy machine) get the time it takes.
  testTimeout: 30_000,
  projects: [
    {
      displayName: 'unit',
      rootDir: __dirname,
      testTimeout: 30_000,
      modulePathIgnorePatterns: ignoreState,
      moduleNameMapper,
      testEnvironment: 'node',
      // google-protobuf (under fabric-gateway) sets globals; Jest's clean-up between files would wrap them recursively.
      testEnvironmentOptions: { globalsCleanup: 'off' },
      transform: { '^.+\\.ts$': tsJest },
      testMatch: [
        '<rootDir>/network/src/**/*.test.ts',
        '<rootDir>/gateway/src/**/*.test.ts',
        '<rootDir>/common/src/**/*.test.ts',
        '<rootDir>/fabric/src/**/*.test.ts',
        '<rootDir>/monitor/src/**/*.test.ts',
        '<rootDir>/test/unit/**/*.test.ts',
      ],
    },
    {
      displayName: 'chaincode',
      rootDir: __dirname,
      modulePathIgnorePatterns: ignoreState,
      moduleNameMapper,
      testEnvironment: 'node',
      // google-protobuf (under fabric-gateway) sets globals; Jest's clean-up between files would wrap them recursively.
      testEnvironmentOptions: { globalsCleanup: 'off' },
      transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/chaincode/tsconfig.json' }] },
      testMatch: ['<rootDir>/chaincode/src/**/*.test.ts'],
      setupFiles: ['<rootDir>/chaincode/src/test/setup.ts'],
    },
    {
      displayName: 'integration',
      rootDir: __dirname,
      modulePathIgnorePatterns: ignoreState,
      moduleNameMapper,
      testEnvironment: 'node',
      // google-protobuf (under fabric-gateway) sets globals; Jest's clean-up between files would wrap them recursively.
      testEnvironmentOptions: { globalsCleanup: 'off' },
      transform: { '^.+\\.ts$': tsJest },
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      // The multi-host suite needs its own network (a host per org): it runs in the test command's third pass only.
      testPathIgnorePatterns: ['/node_modules/', ...(process.env.REGCHAIN_RUNTIME === 'hosts' ? [] : ['/test/integration/hosts\\.test\\.ts$'])],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/integration-setup.ts'],
    },
  ],
};
