// Lint rules, including the layering of DESIGN.md: a folder tells where its code runs.
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'
import vueParser from 'vue-eslint-parser'

const uiLibs = ['vue', 'vue-router', 'pinia', 'konva', 'echarts', 'vue-echarts']
const noElectron = { name: 'electron', message: "Only main/electron/ and preload/ may import 'electron'." }

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test-results/**', 'bench/.out/**'] },
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parser: vueParser, parserOptions: { parser: tseslint.parser, sourceType: 'module' } },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noElectron, ...uiLibs.map((name) => ({ name, message: 'core/ is plain TypeScript: no UI libraries.' }))],
        patterns: [{ group: ['**/main/**', '**/renderer/**', '**/preload/**'], message: 'core/ never imports from main/, renderer/ or preload/.' }],
      }],
    },
  },
  {
    files: ['core/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noElectron, ...uiLibs.map((name) => ({ name, message: 'The contract is shared by every process.' }))],
        patterns: [{ group: ['**/main/**', '**/renderer/**', '**/preload/**', '../project/**', '../imaging/**', '../train/**', '../balance/**', 'better-sqlite3', 'sharp', '@tensorflow/*'], message: 'core/contract depends on zod only.' }],
      }],
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/electron/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noElectron, ...uiLibs.map((name) => ({ name, message: 'main/ runs in Node: no UI libraries.' }))],
        patterns: [{ group: ['**/renderer/**', '**/preload/**'], message: 'main/ never imports the renderer or preload.' }],
      }],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.vue'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noElectron, 'better-sqlite3', 'sharp', 'fs', 'node:fs', 'path', 'node:path', 'child_process'],
        patterns: [
          { group: ['**/main/**', '**/preload/**', '**/core/project/**', '**/core/imaging/**', '**/core/train/**', '**/core/balance/**'], message: 'The renderer imports only core/contract.' },
        ],
      }],
    },
  },
)
