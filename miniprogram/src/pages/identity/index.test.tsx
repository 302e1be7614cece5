import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { Commitment, CommitmentCard, WallPage } from '@pioneer/shared';
import Identity from './index';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';

const year = new Date().getFullYear();
const id = `u1|${year}`;
const encoded = `/commitments/${encodeURIComponent(id)}`;

function commitment(over: Partial<Commitment> = {}): Commitment {
  return {
    id,
    userId: 'u1',
    year,
    status: 'draft',
    items: [{ text: '带头参加志愿服务' }],
    reviewComment: null,
    submittedAt: null,
    reviewedAt: null,
    progress: [],
    evaluation: null,
    updatedAt: '2026-03-01T00:00:00.000Z',
    ...over,
  };
}
function entry(name: string, over: Partial<Commitment> = {}): CommitmentCard {
  return {
    card: {
      userId: `id-${name}`,
      name,
      photoUrl: null,
      branch: '红旗村党支部',
      partySince: 1990,
      dutyTitle: '网格员',
      badge: null,
      contact: '138****5678',
    },
    commitment: commitment({ id: `id-${name}|${year}`, userId: `id-${name}`, status: 'approved', ...over }),
  };
}
const wall = (items: CommitmentCard[], org = 'b1'): WallPage => ({
  org: { id: org, name: '红旗村党支部' },
  year,
  total: items.length,
  items,
  nextCursor: null,
  asOf: '2026-11-30T08:00:00.000Z',
});
const me = buildMe({
  identity: { dutyTitle: '党员中心户', partySince: 2001, contact: '13912345678', photoUrl: null, badge: null },
});

describe('亮身份', () => {
  beforeEach(() => login());

  it('when I have no commitment yet, then I see my card in full and can write and submit items', async () => {
    let current: Commitment | null = null;
    const sent = mockApi({
      'GET /me': ok(me),
      'GET /commitments/mine': () => ok({ year, commitment: current }),
      'PUT /commitments/mine': (req) => {
        current = commitment({ items: (req.data as { items: { text: string }[] }).items });
        return ok({ year, commitment: current });
      },
      [`POST ${encoded}/submit`]: () => {
        current = commitment({ ...current!, status: 'submitted' });
        return ok(current);
      },
      'GET /commitments/wall': ok(wall([])),
    });
    render(<Identity />);
    expect((await screen.findByTestId('my-card-contact')).textContent).toContain('13912345678');
    expect(screen.getByTestId('my-card-duty').textContent).toContain('党员中心户');
    fireEvent.change(await screen.findByTestId('commit-input-0'), { target: { value: '每月走访两户困难群众' } });
    fireEvent.click(screen.getByTestId('commit-add-item'));
    fireEvent.change(screen.getByTestId('commit-input-1'), { target: { value: '带头做好垃圾分类' } });
    fireEvent.click(screen.getByTestId('commit-submit'));
    await waitFor(() => expect(screen.getByTestId('commit-status').textContent).toBe('待审核'));
    expect(sent.find((r) => r.method === 'PUT')!.data).toEqual({
      year,
      items: [{ text: '每月走访两户困难群众' }, { text: '带头做好垃圾分类' }],
    });
    expect(sent.some((r) => r.method === 'POST' && r.path === `${encoded}/submit`)).toBe(true);
    expect(screen.getAllByTestId('commit-item').map((e) => e.textContent)).toEqual([
      '1. 每月走访两户困难群众',
      '2. 带头做好垃圾分类',
    ]);
  });

  it('when the secretary returned it, then the comment shows and the items can be edited', async () => {
    mockApi({
      'GET /me': ok(me),
      'GET /commitments/mine': ok({
        year,
        commitment: commitment({ status: 'returned', reviewComment: '请写得更具体' }),
      }),
      'GET /commitments/wall': ok(wall([])),
    });
    render(<Identity />);
    expect((await screen.findByTestId('commit-return-comment')).textContent).toBe('书记退回意见：请写得更具体');
    expect((screen.getByTestId('commit-input-0') as HTMLTextAreaElement).value).toBe('带头参加志愿服务');
  });

  it('when 0 items are left, then it asks for one and sends nothing', async () => {
    const sent = mockApi({
      'GET /me': ok(me),
      'GET /commitments/mine': ok({ year, commitment: null }),
      'GET /commitments/wall': ok(wall([])),
    });
    render(<Identity />);
    fireEvent.click(await screen.findByTestId('commit-save'));
    expect((await screen.findByTestId('commit-error')).textContent).toBe('请至少填写1条承诺');
    expect(sent.some((r) => r.method === 'PUT')).toBe(false);
  });

  it('when approved, then I can add a progress record', async () => {
    const sent = mockApi({
      'GET /me': ok(me),
      'GET /commitments/mine': ok({ year, commitment: commitment({ status: 'approved' }) }),
      [`POST ${encoded}/progress`]: { statusCode: 201, data: commitment({ status: 'approved' }) },
      'GET /commitments/wall': ok(wall([])),
    });
    render(<Identity />);
    fireEvent.change(await screen.findByTestId('progress-text'), { target: { value: '走访了张大爷' } });
    fireEvent.click(screen.getByTestId('progress-submit'));
    await waitFor(() =>
      expect(sent.find((r) => r.path === `${encoded}/progress`)?.data).toEqual({ text: '走访了张大爷', photoUrls: [] }),
    );
  });

  it('the wall shows cards with masked contacts and switches to the county', async () => {
    const sent = mockApi({
      'GET /me': ok(me),
      'GET /commitments/mine': ok({ year, commitment: null }),
      'GET /commitments/wall': (req) =>
        ok(
          req.query.org === 'c1'
            ? wall([entry('县里人')], 'c1')
            : wall([
                entry('李三', {
                  progress: [{ id: 'p1', text: '修好了路灯', photoUrls: [], at: '2026-04-01T02:00:00.000Z' }],
                }),
              ]),
        ),
    });
    render(<Identity />);
    const entries = await screen.findAllByTestId('wall-entry');
    expect(entries[0]!.textContent).toContain('李三');
    expect(entries[0]!.textContent).toContain('联系：138****5678');
    expect(entries[0]!.textContent).toContain('修好了路灯');
    fireEvent.click(screen.getByTestId('wall-scope-county'));
    await waitFor(() => expect(screen.getByTestId('wall-entry').textContent).toContain('县里人'));
    expect(sent.filter((r) => r.path === '/commitments/wall').map((r) => r.query.org)).toEqual(['b1', 'c1']);
  });

  it('when I have not joined a branch, then my card is not labelled 共产党员 (issue 15)', async () => {
    const stranger = buildMe({
      roles: ['member'],
      org: null,
      identity: { dutyTitle: null, partySince: null, contact: null, photoUrl: null, badge: null },
    });
    mockApi({ 'GET /me': ok(stranger), 'GET /commitments/wall': ok(wall([])) });
    render(<Identity />);

    const card = await screen.findByTestId('my-card');
    expect(card.textContent).toContain('张建国');
    expect(card.textContent).not.toContain('共产党员');
    expect(screen.getByText('加入党支部后即可填写年度承诺。')).toBeTruthy();
  });

  it('when I am in a branch, then my card carries the 共产党员 badge', async () => {
    mockApi({
      'GET /me': ok(me),
      'GET /commitments/wall': ok(wall([])),
      'GET /commitments/mine': ok({ year, commitment: null }),
    });
    render(<Identity />);

    expect((await screen.findByTestId('my-card')).textContent).toContain('共产党员');
  });

  it('when I edit my card, then 入党年份 opens the numeric keyboard', async () => {
    mockApi({
      'GET /me': ok(me),
      'GET /commitments/wall': ok(wall([])),
      'GET /commitments/mine': ok({ year, commitment: null }),
    });
    render(<Identity />);
    fireEvent.click(await screen.findByTestId('card-edit'));

    expect(screen.getByTestId('card-since').getAttribute('type')).toBe('number');
  });

  it('when I edit my card, then PATCH /me carries the identity fields', async () => {
    const sent = mockApi({
      'GET /me': ok(me),
      'PATCH /me': ok(me),
      'GET /commitments/mine': ok({ year, commitment: null }),
      'GET /commitments/wall': ok(wall([])),
    });
    render(<Identity />);
    fireEvent.click(await screen.findByTestId('card-edit'));
    fireEvent.change(screen.getByTestId('card-duty'), { target: { value: '网格员' } });
    fireEvent.change(screen.getByTestId('card-since'), { target: { value: '1998' } });
    fireEvent.click(screen.getByTestId('card-save'));
    await waitFor(() =>
      expect(sent.find((r) => r.method === 'PATCH')?.data).toEqual({
        identity: { dutyTitle: '网格员', partySince: 1998, contact: '13912345678', photoUrl: '' },
      }),
    );
  });
});
