import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';

// The shared workspace is TypeScript source (no build step): Taro must compile it like our own code.
const sharedSrc = path.resolve(__dirname, '../../shared/src');

/**
 * Taro build config. One file for both targets; the output folder is chosen by TARO_ENV
 * so weapp and h5 builds never overwrite each other.
 */
export default defineConfig<'webpack5'>(async (_merge, { mode }) => {
  const taroEnv = process.env.TARO_ENV ?? 'weapp';
  const isH5 = taroEnv === 'h5';
  // H5 is served by the API server itself (same origin), so relative '/api/v1' is right there.
  // The mini-program needs an absolute host; override both with TARO_APP_API_BASE at build time.
  const apiBase = process.env.TARO_APP_API_BASE ?? (isH5 ? '' : 'http://127.0.0.1:3000');

  const config: UserConfigExport<'webpack5'> = {
    projectName: 'pioneer',
    date: '2025-11-25',
    // NutUI's styles are written for a 375px design; ours for 750.
    designWidth(input) {
      const file = (input as { file?: string } | undefined)?.file;
      if (file && file.replace(/\\+/g, '/').includes('@nutui')) return 375;
      return 750;
    },
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${taroEnv}`,
    plugins: [],
    defineConstants: {
      API_BASE: JSON.stringify(apiBase),
    },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: mode !== 'production' || process.env.TARO_CACHE === '1' },
    mini: {
      compile: { include: [sharedSrc] },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' },
        },
      },
    },
    h5: {
      compile: { include: [sharedSrc] },
      publicPath: '/',
      staticDirectory: 'static',
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      router: { mode: 'hash' },
      // Taro splits only initial chunks, so every lazily loaded page carried its own copy of React's JSX runtime,
      // Taro components and NutUI (~100 KB each). Split shared modules of async pages too.
      webpackChain(chain) {
        chain.optimization.merge({ splitChunks: { chunks: 'all' } });
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' },
        },
      },
    },
  };
  return config;
});
