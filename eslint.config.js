// Lint: TypeScript rules plus the context boundaries of DESIGN.md section 3.
import tseslint from 'typescript-eslint';

const noBackgroundFromContent = {
  patterns: [
    { group: ['dexie', 'dexie/*'], message: 'Content scripts never touch the database.' },
    { group: ['**/background/*', '**/background'], message: 'Content scripts never import background code (keys, db, capture pipeline).' },
    { group: ['**/package/*', '**/package'], message: 'Content scripts never import package code.' },
    { group: ['jszip'], message: 'Content scripts never build packages.' },
  ],
};

export default tseslint.config(
  { ignores: ['.output/**', '.wxt/**', 'node_modules/**', '.tmp/**', 'dist/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-globals': ['error', { name: 'chrome', message: 'Use the browser namespace (webextension-polyfill).' }],
    },
  },
  {
    files: ['utils/content/**', 'entrypoints/collector.ts'],
    rules: { 'no-restricted-imports': ['error', noBackgroundFromContent] },
  },
  {
    files: ['utils/verify/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/package/*', '**/package', '**/background/*'], message: 'The verifier is written against the package format and imports nothing from the exporter or the background.' }] }],
    },
  },
  {
    // verify.html renders what a package holds, which may be hostile: text nodes only, never HTML parsing.
    files: ['utils/verify/page/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'MemberExpression[property.name=/^(innerHTML|outerHTML)$/]', message: 'verify.html shows hostile strings: build DOM with h() (text nodes only).' },
        { selector: 'CallExpression[callee.property.name=/^(insertAdjacentHTML|write|writeln|createContextualFragment|setHTMLUnsafe|parseFromString)$/]', message: 'verify.html never parses HTML: build DOM with h().' },
        { selector: "CallExpression[callee.name='eval'], NewExpression[callee.name='Function']", message: 'No code from strings.' },
      ],
    },
  },
  {
    files: ['utils/shared/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/background/*', '**/content/*', '**/package/*', '**/verify/*', 'dexie'], message: 'Shared code depends on nothing context-specific.' }] }],
    },
  },
);
