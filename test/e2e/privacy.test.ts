/**
 * End-to-end (issue 24): the first-use privacy popup (refuse, then agree on the guide page), 我的数据 with its Excel
 * download, correcting one's contact, and closing the account, in the H5 app (Chromium) against the real server.
 */
import ExcelJS from 'exceljs';
import type { Me } from '@pioneer/shared';
import type { PrivacyStatus } from '@pioneer/shared/src/privacy';
import { ConsentModel } from '../../server/src/modules/privacy/privacy.model';
import { UserModel } from '../../server/src/modules/users/users.model';
import { api, byId, click, devLogin, shot, startE2E, stepper, stopE2E, until, visibleText, type E2E } from './support';

jest.setTimeout(240_000);

let e: E2E;
let token: string;
let me: Me;
const step = stepper(() => e?.timings);
const modalButton = (text: string) => e.page.getByText(text, { exact: true }).filter({ visible: true });

beforeAll(async () => {
  e = await startE2E();
}, 420_000);
afterAll(() => stopE2E(e, 'privacy'));

describe('privacy in the H5 app', () => {
  step(
    'a member who has not answered the guide is asked on first use; refusing keeps the app and says what is off',
    async () => {
      // The demo's people come with consent; this one has not answered yet.
      const user = await UserModel.findOne({ name: '陈党员' }).lean();
      await ConsentModel.deleteOne({ _id: user!._id });
      token = await devLogin(e, 'demo-member', '陈党员');
      me = await api<Me>(e, 'GET', '/me', token);
      await until(
        e,
        'popup',
        () => byId(e, 'privacy-popup').count(),
        (n) => n === 1,
      );
      expect(await visibleText(e, 'privacy-popup')).toContain('不同意也可以继续使用');
      await shot(e, 'privacy-01-popup');
      await click(e, 'refuse', byId(e, 'privacy-refuse'));
      await until(
        e,
        'refusal modal',
        () => modalButton('确定').count(),
        (n) => n > 0,
      );
      await shot(e, 'privacy-02-refused');
      await click(e, 'close modal', modalButton('确定'));
      const s = await api<PrivacyStatus>(e, 'GET', '/privacy', token);
      expect(s.consent?.decision).toBe('refuse');
      expect(s.disabled).toEqual(['location', 'photos', 'phone']);
      expect(await byId(e, 'privacy-popup').count()).toBe(0);
      // The app stays usable.
      expect(await visibleText(e, 'home-greeting')).toContain('陈党员');
    },
  );

  step(
    'the guide, opened from 我的, names the county and the retention; agreeing there turns the features on',
    async () => {
      await e.page.goto(`${e.app.baseUrl}/#/pages/mine/index`);
      await click(e, 'mine: privacy', byId(e, 'link-privacy'));
      await until(
        e,
        'guide',
        () => visibleText(e, 'privacy-page'),
        (t) => t.includes(me.org!.path[0]!.name) && t.includes('保存 90 天'),
      );
      expect(await visibleText(e, 'privacy-disabled')).toContain('驻村打卡');
      await shot(e, 'privacy-03-guide');
      await click(e, 'agree', byId(e, 'privacy-page-agree'));
      await until(
        e,
        'agreed',
        () => visibleText(e, 'privacy-state'),
        (t) => t.includes('同意'),
      );
      expect((await api<PrivacyStatus>(e, 'GET', '/privacy', token)).disabled).toEqual([]);
      await e.page.evaluate('window.scrollTo(0, document.body.scrollHeight)');
      await shot(e, 'privacy-04-agreed');
    },
  );

  step('我的数据 lists what is stored, downloads it as Excel, and corrects the contact', async () => {
    await e.page.goto(`${e.app.baseUrl}/#/pages/mine/index`);
    await click(e, 'mine: my data', byId(e, 'link-my-data'));
    await until(
      e,
      'sections',
      () => visibleText(e, 'mydata-sections'),
      (t) => t.includes('个人资料（1 条）') && t.includes('积分明细'),
    );
    await shot(e, 'privacy-05-mydata');
    const [xlsx] = await Promise.all([
      e.page.waitForEvent('download'),
      click(e, 'download xlsx', byId(e, 'mydata-xlsx')),
    ]);
    expect(xlsx.suggestedFilename()).toBe('我的数据.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile((await xlsx.path())!);
    expect(JSON.stringify(book.getWorksheet('个人资料')!.getSheetValues())).toContain('陈党员');

    await byId(e, 'mydata-contact').locator('input').fill('13700009999');
    await click(e, 'save', byId(e, 'mydata-save'));
    await until(
      e,
      'contact saved',
      async () => (await api<Me>(e, 'GET', '/me', token)).identity.contact,
      (c) => c === '13700009999',
    );
  });

  step(
    'closing the account needs the word and a confirmation; then the session ends and the name is gone',
    async () => {
      await byId(e, 'mydata-close-word').locator('input').fill('注销');
      await e.page.evaluate('window.scrollTo(0, document.body.scrollHeight)');
      await shot(e, 'privacy-06-close');
      await click(e, 'close', byId(e, 'mydata-close-button'));
      await until(
        e,
        'confirm modal',
        () => modalButton('确定注销').count(),
        (n) => n > 0,
      );
      await shot(e, 'privacy-07-confirm');
      await click(e, 'confirm close', modalButton('确定注销'));
      await until(
        e,
        'login page',
        async () => e.page.url(),
        (u) => u.includes('pages/login'),
      );
      await shot(e, 'privacy-08-closed');
      const res = await fetch(`${e.app.baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(401);
      const doc = await UserModel.findById(me.id).lean();
      expect(doc).toMatchObject({ name: '已注销党员', identity: { contact: null } });
    },
  );
});
