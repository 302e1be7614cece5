import ExcelJS from 'exceljs';
import { ATTACHMENT_MAX_BYTES, type NoticeDetail, type UploadedAttachment } from '@pioneer/shared';
import { bearer, client } from './support/client';
import { startCountyApp, type TestApp } from './support/harness';
import { buildMember, buildSecretary, type County } from './support/factories';
import { png } from './support/images';
import { docx, pdf, zipOf } from './support/office-files';
import { UploadModel } from '../src/modules/uploads/uploads.model';
import { binary } from './support/download';

/**
 * 通知公告's attachments (issue 19 item 1): a PDF, DOCX, XLSX or picture up to 20 MB, its kind taken from its bytes
 * (a renamed file is refused or stored as what it is), uploaded by who may publish; listed on the notice with name
 * and size; downloaded only by those the notice is for (and who runs its org), never through the public photo route.
 */
let t: TestApp;
let county: County;
let sec: { id: string };
let member: { id: string };
let cadre: { id: string };
let outsider: { id: string };
let otherSec: { id: string };
const as = (id: string) => client(t, id);
const uploadAs = (who: string, data: Buffer, filename: string) =>
  t.http().post('/api/v1/notices/attachments').set(bearer(t, who)).attach('file', data, { filename });
const uploads = () => UploadModel.countDocuments({});
const download = (who: string, id: string, index: number) =>
  as(who).get(`/notices/${id}/attachments/${index}`).buffer(true).parse(binary);

async function xlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('名单').addRow(['支部', '人数']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  sec = await buildSecretary(county.branchA, '甲书记');
  member = await buildMember({ branch: county.branchA, name: '甲党员' });
  cadre = await buildMember({ branch: county.branchA, roles: ['member', 'cadre'], name: '甲驻村' });
  outsider = await buildMember({ branch: county.branchB, name: '乙党员' });
  otherSec = await buildSecretary(county.branchB, '乙书记');
}, 60_000);
afterAll(async () => t.close());

test('the kind comes from the bytes: renamed or foreign files are refused, too large is refused, members cannot upload', async () => {
  const before = await uploads();
  const text = await uploadAs(sec.id, Buffer.from('这不是PDF'), '通知.pdf');
  expect(text.status).toBe(415);
  expect(text.body.error.message).toBe('附件只能是 PDF、Word（docx）、Excel（xlsx）文件或图片');
  expect((await uploadAs(sec.id, Buffer.from('MZ\x90\x00 program'), '表格.xlsx')).status).toBe(415);
  // A real ZIP that is no Office document, and an old .doc (OLE) renamed .docx.
  expect((await uploadAs(sec.id, zipOf({ 'a.txt': 'x' }), '材料.docx')).status).toBe(415);
  const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600)]);
  expect((await uploadAs(sec.id, ole, '旧格式.docx')).status).toBe(415);
  const big = Buffer.concat([pdf(), Buffer.alloc(ATTACHMENT_MAX_BYTES + 1 - pdf().length)]);
  const tooLarge = await uploadAs(sec.id, big, '大文件.pdf');
  expect(tooLarge.status).toBe(413);
  expect(tooLarge.body.error.message).toBe('附件不能超过 20 MB');
  expect((await uploadAs(member.id, pdf(), '通知.pdf')).status).toBe(403);
  expect(await uploads()).toBe(before);

  // Exactly 20 MB is accepted; a PNG named .pdf is stored as the picture it is.
  const limit = Buffer.concat([pdf(), Buffer.alloc(ATTACHMENT_MAX_BYTES - pdf().length)]);
  const atLimit = await uploadAs(sec.id, limit, '满额.pdf');
  expect(atLimit.status).toBe(201);
  expect(atLimit.body).toMatchObject({ kind: 'pdf', bytes: ATTACHMENT_MAX_BYTES, name: '满额.pdf' });
  const renamed = await uploadAs(sec.id, png(4, 4), '照片.pdf');
  expect(renamed.body).toMatchObject({ kind: 'png', name: '照片.png' });
});

test('listed on the notice with name and size; downloaded by its readers only; never by the public photo route', async () => {
  const files: UploadedAttachment[] = [];
  for (const [data, name] of [
    [pdf(), '关于开展主题党日的通知.pdf'],
    [docx(), '报名表.docx'],
    [await xlsx(), '党员名单.xlsx'],
  ] as const) {
    const r = await uploadAs(sec.id, data, name);
    expect(r.status).toBe(201);
    files.push(r.body as UploadedAttachment);
  }
  expect(files.map((f) => f.kind)).toEqual(['pdf', 'docx', 'xlsx']);
  // Someone else's upload cannot be attached (its id is not a secret to keep, but it is not theirs).
  const foreign = (await uploadAs(otherSec.id, pdf(), '别人的.pdf')).body as UploadedAttachment;
  const stolen = await as(sec.id).post('/notices', {
    title: '带附件',
    body: '<p>见附件</p>',
    attachments: [{ id: foreign.id, name: 'x.pdf' }],
  });
  expect(stolen.status).toBe(400);
  expect(stolen.body.error.message).toBe('第1个附件不存在，请重新上传');

  const published = await as(sec.id).post('/notices', {
    title: '主题党日安排',
    body: '<p>见附件</p>',
    attachments: files.map((f) => ({ id: f.id, name: f.name })),
  });
  expect(published.status).toBe(201);
  const id = published.body.id as string;
  const detail = (await as(member.id).get(`/notices/${id}`)).body as NoticeDetail;
  expect(detail.attachments).toEqual(files.map((f, index) => ({ index, name: f.name, kind: f.kind, bytes: f.bytes })));
  // Used by a notice: the daily sweep of unused uploads leaves them.
  expect((await UploadModel.findById(files[0]!.id).lean())?.state).toBe('used');

  const got = await download(member.id, id, 1);
  expect(got.status).toBe(200);
  expect(got.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  expect(got.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('报名表.docx')}`);
  expect(Buffer.compare(got.body as Buffer, docx())).toBe(0);
  expect((await download(sec.id, id, 0)).status).toBe(200);
  const refused = await download(outsider.id, id, 0);
  expect(refused.status).toBe(403);
  expect((await download(outsider.id, id, 0)).body.length).toBeLessThan(200);
  expect((await download(member.id, id, 5)).status).toBe(404);
  const [month, name] = files[0]!.id.split('/');
  expect((await t.http().get(`/api/v1/uploads/${month}/${name}`)).status).toBe(400);

  // A notice for cadres only: a plain member of the branch neither opens it nor downloads its files.
  const forCadres = await uploadAs(sec.id, pdf(), '驻村干部须知.pdf');
  const cadreNotice = await as(sec.id).post('/notices', {
    title: '驻村干部须知',
    body: '<p>见附件</p>',
    audience: 'cadres',
    attachments: [{ id: forCadres.body.id, name: '驻村干部须知.pdf' }],
  });
  expect((await download(member.id, cadreNotice.body.id, 0)).status).toBe(403);
  expect((await download(cadre.id, cadreNotice.body.id, 0)).status).toBe(200);
});
