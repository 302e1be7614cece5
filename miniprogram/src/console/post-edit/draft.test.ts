import { createBody, draftOf, draftProblem, patchBody, publishOrgs } from './draft';
import { buildMe } from '../../../test/api-mock';
import { post } from '../../../test/posts-fixtures';

describe('post form draft', () => {
  it('when a secretary fills the form, then the body has trimmed text, split skills and Shanghai day bounds', () => {
    const d = {
      ...draftOf(undefined, 'b1'),
      title: ' 法律咨询岗 ',
      description: ' 每周六上午 ',
      skills: '法律，调解、 法律',
      capacity: '3',
      startDay: '2025-12-01',
      endDay: '2025-12-31',
    };
    expect(draftProblem(d)).toBeNull();
    expect(createBody(d)).toEqual({
      title: '法律咨询岗',
      category: '政策宣讲',
      description: '每周六上午',
      skills: ['法律', '调解'],
      capacity: 3,
      orgId: 'b1',
      // 00:00 and 23:59:59 in Asia/Shanghai, whatever the phone's time zone.
      startsAt: '2025-11-30T16:00:00.000Z',
      endsAt: '2025-12-31T15:59:59.000Z',
    });
  });

  it('when something is plainly wrong, then it says what in the secretary’s words', () => {
    const ok = { ...draftOf(undefined, 'b1'), title: '岗位', description: '说明' };
    expect(draftProblem({ ...ok, title: '岗' })).toBe('请填写岗位名称（至少2个字）');
    expect(draftProblem({ ...ok, capacity: '0' })).toBe('岗位人数须为 1-1000 的整数');
    expect(draftProblem({ ...ok, capacity: '1.5' })).toBe('岗位人数须为 1-1000 的整数');
    expect(draftProblem({ ...ok, capacity: '1001' })).toBe('岗位人数须为 1-1000 的整数');
    expect(draftProblem({ ...ok, startDay: '2025-12-02', endDay: '2025-12-01' })).toBe('结束日期不能早于开始日期');
    expect(draftProblem({ ...ok, orgId: '' })).toBe('请选择发布范围');
  });

  it('when an existing post is edited, then its days come back in Shanghai time and the patch carries the status, not the org', () => {
    const d = draftOf(
      post({ startsAt: '2025-11-30T16:00:00.000Z', endsAt: '2025-12-31T15:59:59.000Z', status: 'closed' }),
      'x',
    );
    expect(d).toMatchObject({
      startDay: '2025-12-01',
      endDay: '2025-12-31',
      orgId: 'b1',
      status: 'closed',
      skills: '法律',
    });
    const body = patchBody(d);
    expect(body).toMatchObject({ status: 'closed', capacity: 3 });
    expect('orgId' in body).toBe(false);
  });

  it('when an admin who is also a secretary publishes, then both their branch and their subtree are offered', () => {
    const me = buildMe({
      roles: ['member', 'secretary', 'admin'],
      adminOrg: { id: 'c1', name: '青山县', type: 'county' },
    });
    expect(publishOrgs(me).map((o) => o.label)).toEqual(['红旗村党支部', '青山县']);
    expect(publishOrgs(buildMe({ roles: ['member'] }))).toEqual([]);
  });
});
