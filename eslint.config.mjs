// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const FEATURE_MODULES = 'auth|tickets|channels|sla|routing|metrics|knowledge-base';

/**
 * The one door (src/common/database): everything else reaches tenant data through
 * TenantTransactions and work that spans stores through AllStores, so PostgreSQL's row-level
 * security sees the store of every tenant statement.
 */
const theOneDoor = {
  'no-restricted-imports': [
    'error',
    {
      paths: [
        {
          name: 'typeorm',
          importNames: ['DataSource', 'Repository', 'QueryRunner'],
          message: 'Only src/common/database holds the connection: use TenantTransactions (one store) or AllStores (work that spans stores).',
        },
        {
          name: '@nestjs/typeorm',
          importNames: ['InjectRepository', 'InjectDataSource', 'getDataSourceToken', 'getRepositoryToken'],
          message: 'Only src/common/database holds the connection: use TenantTransactions (one store) or AllStores (work that spans stores).',
        },
      ],
    },
  ],
  'no-restricted-syntax': [
    'error',
    { selector: "CallExpression[callee.property.name='createQueryRunner']", message: 'Connections are opened by src/common/database only.' },
    { selector: "CallExpression[callee.name='getRepository']", message: 'Take the manager from TenantTransactions or AllStores.' },
    { selector: "MemberExpression[object.name='dataSource']", message: 'Only src/common/database holds the DataSource.' },
    { selector: "MemberExpression[object.property.name='dataSource']", message: 'Only src/common/database holds the DataSource.' },
  ],
};

export default tseslint.config(
  // The client's typed documents are generated from schema.gql (clients/typescript/codegen.mjs).
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'clients/typescript/src/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,js,mjs}'],
    rules: {
      // The code base types JSON rows and provider payloads loosely on purpose; typing them all is a rewrite of its own.
      '@typescript-eslint/no-explicit-any': 'off',
      // `_name` marks a value taken only to be left out (rest siblings, positional parameters).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  { files: ['jest.config.js'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } } },
  { files: ['clients/typescript/codegen.mjs'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
  { files: ['**/*.ts'], ignores: ['src/common/database/**'], rules: theOneDoor },
  {
    // Exempt from the door: migrations are the schema (run through src/common/database), tests and
    // benchmarks boot their own database and legitimately inspect it as its owner.
    files: ['migrations/**', 'test/**', 'bench/**'],
    rules: { 'no-restricted-imports': 'off', 'no-restricted-syntax': 'off' },
  },
  {
    // Fakes and servers in tests name themselves before they exist (closures that capture them).
    files: ['test/**'],
    rules: { 'prefer-const': 'off' },
  },
  {
    // Tests stand in for library functions of any shape.
    files: ['test/**', '**/*.spec.ts'],
    rules: { '@typescript-eslint/no-unsafe-function-type': 'off' },
  },
  {
    // Rooms that keep to themselves: common is small and boring and knows no feature.
    files: ['src/common/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(\\.\\./)+(${FEATURE_MODULES}|app-schema|app\\.module|create-app|cli|main)(/|$)`,
              message: 'src/common imports no feature module: pass what it needs in from the composition root.',
            },
          ],
        },
      ],
    },
  },
  {
    // auth sits beside tickets at the centre: shared enums and validators live in src/common.
    files: ['src/auth/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ regex: '^(\\.\\./)+tickets(/|$)', message: 'src/auth does not import src/tickets; move what both need to src/common.' }] }],
    },
  },
);
