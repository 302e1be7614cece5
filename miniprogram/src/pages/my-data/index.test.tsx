import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { MyData } from '@pioneer/shared/src/privacy';
import MyDataPage from './index';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';

const data: MyData = {
  exportedAt: '2026-11-29T08:00:00.000Z',
  privacyVersion: '2026-11-29.1',
  sections: [
    { key: 'users', title: '个人资料', rows: [{ _id: 'u1', name: '张建国', identity: { contact: '13812345678' } }] },
    { key: 'checkins', title: '驻村打卡', rows: [{ _id: 'c1', day: '2026-11-28', withinFence: true }] },
    { key: 'ledger', title: '积分明细', rows: [] },
  ],
};

describe('我的数据 page', () => {
  beforeEach(() => login());

  it('lists every kind of record stored about me with counts, and offers Excel and JSON downloads', async () => {
    mockApi({ 'GET /me': ok(buildMe()), 'GET /me/data': ok(data) });
    render(<MyDataPage />);
    const sections = await screen.findByTestId('mydata-sections');
    expect(sections.textContent).toContain('个人资料（1 条）');
    expect(sections.textContent).toContain('驻村打卡（1 条）');
    expect(sections.textContent).toContain('积分明细（0 条）');
    expect(sections.textContent).toContain('13812345678');
    expect(screen.getByTestId('mydata-xlsx')).toBeTruthy();
    expect(screen.getByTestId('mydata-json')).toBeTruthy();
  });

  it('corrects my name and contact with one PATCH /me', async () => {
    const sent = mockApi({
      'GET /me': ok(buildMe()),
      'GET /me/data': ok(data),
      'PATCH /me': ok(buildMe({ name: '张建华' })),
    });
    render(<MyDataPage />);
    const name = (await screen.findByTestId('mydata-name')) as HTMLInputElement;
    fireEvent.input(name, { target: { value: '张建华' } });
    fireEvent.input(screen.getByTestId('mydata-contact'), { target: { value: '13900001111' } });
    fireEvent.click(screen.getByTestId('mydata-save'));
    await waitFor(() => expect(sent.some((r) => r.method === 'PATCH')).toBe(true));
    expect(sent.find((r) => r.method === 'PATCH')!.data).toEqual({
      name: '张建华',
      identity: { contact: '13900001111' },
    });
  });

  it('closes the account only after the typed word and a confirmation, then signs out', async () => {
    const sent = mockApi({
      'GET /me': ok(buildMe()),
      'GET /me/data': ok(data),
      'POST /me/close': ok({ closed: true }),
    });
    render(<MyDataPage />);
    fireEvent.click(await screen.findByTestId('mydata-close-button'));
    expect(sent.some((r) => r.path === '/me/close')).toBe(false);
    expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '请输入“注销”两字确认' }));

    fireEvent.input(screen.getByTestId('mydata-close-word'), { target: { value: '注销' } });
    fireEvent.click(screen.getByTestId('mydata-close-button'));
    await waitFor(() => expect(sent.some((r) => r.path === '/me/close')).toBe(true));
    expect(sent.find((r) => r.path === '/me/close')!.data).toEqual({ confirm: '注销' });
    expect(Taro.showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '注销账号' }));
    await waitFor(() => expect(Taro.getStorageSync('token')).toBe(''));
  });
});
