// babel-preset-taro: used by the Taro build and by babel-jest for the UI tests.
module.exports = {
  presets: [['taro', { framework: 'react', ts: true, compiler: 'webpack5' }]],
};
