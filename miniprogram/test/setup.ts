import { cleanup } from '@testing-library/react';
import { resetTaroMock } from './__mocks__/tarojs-taro';

afterEach(() => {
  cleanup();
  resetTaroMock();
});
