// Plain CommonJS jest with SWC: Nest 11 is CommonJS, so no --experimental-vm-modules is needed,
// and SWC keeps transform time low on 2-core machines (type checking runs once, in `npm run typecheck`).
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  // content-disposition 3 (used by @fastify/static for the Swagger UI) and graphql-request 7 (a
  // front-end client the README shows) ship ESM only; jest's CommonJS runtime cannot require them,
  // so SWC compiles those packages for tests (graphql-request exports an `import` entry only).
  transform: { '^.+\\.ts$': swc, 'node_modules/(content-disposition|graphql-request)/.+\\.js$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition|graphql-request)/)'],
  moduleNameMapper: { '^graphql-request$': '<rootDir>/node_modules/graphql-request/build/entrypoints/main.js' },
  moduleFileExtensions: ['ts', 'js', 'json'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 30000,
  maxWorkers: 2,
};
