import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { PRIVACY_VERSION, privacySections, type PrivacyStatus } from '@pioneer/shared/src/privacy';
import Privacy from './index';
import PrivacyPopup, { armPrivacyCheck } from '../../components/PrivacyPopup';
import { login, mockApi, ok } from '../../../test/api-mock';
import { answerPrivacy } from '../../services/privacy-prompt';

const facts = { controller: '青山县（县委组织部）', contact: '县委组织部 0571-88888888', retentionDays: 90 };
function status(over: Partial<PrivacyStatus> = {}): PrivacyStatus {
  return {
    version: PRIVACY_VERSION,
    facts,
    sections: privacySections(facts),
    consent: null,
    needsConsent: true,
    disabled: [],
    ...over,
  };
}
const refused = status({
  consent: { version: PRIVACY_VERSION, decision: 'refuse', at: '2026-11-29T02:00:00.000Z' },
  needsConsent: false,
  disabled: ['location', 'photos', 'phone'],
});
const agreed = status({
  consent: { version: PRIVACY_VERSION, decision: 'agree', at: '2026-11-29T02:00:00.000Z' },
  needsConsent: false,
});

describe('隐私保护指引 page', () => {
  beforeEach(() => login());

  it('shows what is collected, who sees it, how long, the county as controller and the contact, and asks for an answer', async () => {
    mockApi({ 'GET /privacy': ok(status()) });
    render(<Privacy />);
    const page = await screen.findByTestId('privacy-page');
    for (const words of [
      '青山县（县委组织部）',
      '位置信息',
      '138****5678',
      '保存 90 天',
      '县委组织部 0571-88888888',
      '注销账号',
    ])
      expect(page.textContent).toContain(words);
    expect((await screen.findByTestId('privacy-state')).textContent).toContain('尚未答复');
  });

  it('when I refuse, my answer is sent with the version and the page says which features are off', async () => {
    const sent = mockApi({ 'GET /privacy': ok(status()), 'POST /privacy/consent': ok(refused) });
    render(<Privacy />);
    fireEvent.click(await screen.findByTestId('privacy-page-refuse'));
    await waitFor(() => expect(screen.getByTestId('privacy-disabled').textContent).toContain('驻村打卡'));
    expect(sent.find((r) => r.method === 'POST')?.data).toEqual({ version: PRIVACY_VERSION, decision: 'refuse' });
    expect(screen.getByTestId('privacy-disabled').textContent).toContain('上传照片');
    expect(screen.getByTestId('privacy-state').textContent).toContain('拒绝');
    // Changing one's mind is one tap.
    expect(screen.getByTestId('privacy-page-agree')).toBeTruthy();
  });

  it('an answer to an older version asks again', async () => {
    mockApi({
      'GET /privacy': ok(
        status({
          consent: { version: '2025-01-01.1', decision: 'agree', at: '2025-01-01T02:00:00.000Z' },
          disabled: ['location', 'photos', 'phone'],
        }),
      ),
    });
    render(<Privacy />);
    expect((await screen.findByTestId('privacy-state')).textContent).toContain('指引已更新');
  });
});

describe('privacy popup (first use, WeChat privacy check)', () => {
  beforeEach(() => login());
  afterEach(() => act(() => answerPrivacy(false)));

  it('a member who has not answered this version sees it once; 同意 sends the answer and closes it', async () => {
    const sent = mockApi({ 'GET /privacy': ok(status()), 'POST /privacy/consent': ok(agreed) });
    armPrivacyCheck();
    render(<PrivacyPopup />);
    const popup = await screen.findByTestId('privacy-popup');
    expect(popup.textContent).toContain('不同意也可以继续使用');
    expect(popup.textContent).toContain('驻村打卡');
    fireEvent.click(screen.getByTestId('privacy-agree'));
    await waitFor(() => expect(screen.queryByTestId('privacy-popup')).toBeNull());
    expect(sent.filter((r) => r.method === 'POST').map((r) => r.data)).toEqual([
      { version: PRIVACY_VERSION, decision: 'agree' },
    ]);
  });

  it('a member who already answered this version is not asked', async () => {
    const sent = mockApi({ 'GET /privacy': ok(agreed) });
    armPrivacyCheck();
    render(<PrivacyPopup />);
    await waitFor(() => expect(sent.length).toBe(1));
    expect(screen.queryByTestId('privacy-popup')).toBeNull();
  });
});
