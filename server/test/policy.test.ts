import { can, defaultManagedOrgId, managedFilter, powersAfter, type Actor } from '../src/policy';

/** The policy's pure rules, without a database: what a change of org does to roles, and who decides an award. */
const county = { _id: 'county', path: [] as string[] };
const town = { _id: 'town', path: ['county'] };
const branch = { _id: 'branch', path: ['county', 'town', 'village'] };
const secretary: Actor = {
  id: 'sec',
  roles: ['member', 'secretary'],
  orgId: 'branch',
  orgPath: [...branch.path, 'branch'],
};
const townAdmin: Actor = {
  id: 'ta',
  roles: ['member', 'admin'],
  orgId: 'other',
  orgPath: ['county', 'town2', 'other'],
  adminOrgId: 'town',
};

describe('powersAfter: a change of org re-decides the branch-bound roles', () => {
  const before = {
    roles: ['member', 'secretary', 'cadre', 'admin'],
    orgId: 'a',
    adminOrgId: 'town',
    postedVillageId: 'v',
  };

  test('a move without roles drops secretary and cadre (and the village), keeps admin and its scope', () => {
    expect(powersAfter(before, { orgId: 'b' })).toEqual({
      roles: ['member', 'admin'],
      orgId: 'b',
      adminOrgId: 'town',
      postedVillageId: null,
      dropped: ['secretary', 'cadre'],
    });
  });

  test('the same request may grant them again; the village only when named again', () => {
    const after = powersAfter(before, { orgId: 'b', roles: ['member', 'secretary', 'cadre'] });
    expect(after).toMatchObject({
      roles: ['member', 'secretary', 'cadre'],
      adminOrgId: null,
      postedVillageId: null,
      dropped: [],
    });
    expect(powersAfter(before, { orgId: 'b', roles: ['cadre'], postedVillageId: 'v2' }).postedVillageId).toBe('v2');
  });

  test('no move keeps what is not changed; a role removed takes its scope', () => {
    expect(powersAfter(before, {})).toMatchObject({ roles: before.roles, adminOrgId: 'town', postedVillageId: 'v' });
    expect(powersAfter(before, { roles: ['member'] })).toMatchObject({ adminOrgId: null, postedVillageId: null });
  });
});

describe('award rules: the decider is never the beneficiary', () => {
  test('award.decide, points.adjust and 补录 refuse oneself', () => {
    expect(can(secretary, 'award.decide', { beneficiaryId: 'sec' })).toBe(false);
    expect(can(secretary, 'points.adjust', { _id: 'sec', orgId: 'branch', orgPath: secretary.orgPath })).toBe(false);
    expect(can(secretary, 'points.adjust', { _id: 'm', orgId: 'branch', orgPath: secretary.orgPath })).toBe(true);
    expect(can(secretary, 'activity.recordAttendance', { ...branch, beneficiaryId: 'sec' })).toBe(false);
  });

  test("a secretary's commitment is decided by an admin over the branch, not by a co-secretary", () => {
    const owner = { _id: 'sec2', roles: ['member', 'secretary'], orgId: 'branch', orgPath: secretary.orgPath };
    expect(can(secretary, 'commitment.review', owner)).toBe(false);
    expect(can({ ...townAdmin }, 'commitment.review', owner)).toBe(true);
    expect(can(secretary, 'commitment.review', { ...owner, roles: ['member'] })).toBe(true);
  });
});

describe('scopes', () => {
  test("the default managed org: an admin's subtree first, else the secretary's branch, else none", () => {
    expect(defaultManagedOrgId({ ...secretary, roles: ['member', 'secretary', 'admin'], adminOrgId: 'town' })).toBe(
      'town',
    );
    expect(defaultManagedOrgId(secretary)).toBe('branch');
    expect(defaultManagedOrgId({ roles: ['member'], orgId: 'branch', adminOrgId: 'county' })).toBeNull();
  });

  test('the managed filter covers every placement, and is null for someone who manages nothing', () => {
    expect(
      managedFilter(townAdmin, [
        { org: 'orgId', path: 'orgPath' },
        { org: 'memberOrgId', path: 'memberOrgPath' },
      ]),
    ).toEqual({ $or: [{ orgPath: 'town' }, { memberOrgPath: 'town' }] });
    expect(managedFilter({ roles: ['member'], orgId: 'branch' }, [{ org: 'orgId', path: 'orgPath' }])).toBeNull();
  });

  test("member.setRoles: every power before and after inside the actor's subtree", () => {
    expect(can(townAdmin, 'member.setRoles', { before: [branch], after: [branch, town] })).toBe(true);
    expect(can(townAdmin, 'member.setRoles', { before: [branch, county], after: [branch] })).toBe(false);
  });
});
