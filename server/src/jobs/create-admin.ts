import { newId } from '../db/ids';
import { OrgModel } from '../modules/orgs/orgs.model';
import { LoginModel, UserModel } from '../modules/users/users.model';

export interface CreateAdminInput {
  county: string;
  openid: string;
  name: string;
}

/**
 * The one-off start of a production county: its root org (created if missing) and an admin bound to a WeChat
 * openid, who then builds the org tree and invites secretaries from the app. Safe to run twice.
 */
export async function createCountyAdmin(input: CreateAdminInput): Promise<{ countyId: string; userId: string }> {
  // A deliberate scan: run once, by hand, on an empty or tiny org collection.
  let county = await OrgModel.findOne({ type: 'county', name: input.county }).lean();
  if (!county) {
    const id = newId();
    await OrgModel.create({ _id: id, name: input.county, type: 'county', parentId: null, path: [] });
    county = (await OrgModel.findById(id).lean())!;
  }
  const login = await LoginModel.findById(`wx:${input.openid}`).lean();
  const userId = login?.userId ?? newId();
  if (!login) {
    await UserModel.create({ _id: userId, name: input.name, roles: ['member', 'admin'], adminOrgId: county._id });
    await LoginModel.create({ _id: `wx:${input.openid}`, userId });
  } else {
    await UserModel.updateOne({ _id: userId }, { $addToSet: { roles: 'admin' }, $set: { adminOrgId: county._id } });
  }
  return { countyId: county._id, userId };
}
