// UI tests for the mini-program: jsdom + Testing Library, Taro replaced by small mocks (test/__mocks__).
// Run alone with `npx jest -c miniprogram/jest.config.js` from the repo root, or as the root config's
// 'miniprogram' project.
const path = require('node:path');

module.exports = {
  displayName: 'miniprogram',
  rootDir: __dirname,
  testEnvironment: 'jsdom',
  testMatch: ['<rootDir>/src/**/*.test.ts?(x)'],
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  globals: { API_BASE: '' },
  transform: {
    '^.+\\.[jt]sx?$': ['babel-jest', { configFile: path.join(__dirname, 'babel.config.js') }],
  },
  // NutUI and the helpers it imports ship ES modules only.
  transformIgnorePatterns: ['/node_modules/(?!(@nutui|@swc/helpers)/)'],
  moduleNameMapper: {
    '^@tarojs/components$': '<rootDir>/test/__mocks__/tarojs-components.tsx',
    '^@nutui/nutui-react-taro$': '<rootDir>/test/__mocks__/nutui.ts',
    '^@tarojs/taro$': '<rootDir>/test/__mocks__/tarojs-taro.ts',
    '\\.(css|scss|sass|less)$': '<rootDir>/test/__mocks__/style.ts',
    '^@pioneer/shared$': '<rootDir>/../shared/src/index.ts',
    '^@pioneer/shared/(.*)$': '<rootDir>/../shared/$1',
  },
};
