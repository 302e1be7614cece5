import { buildAdmin, buildCounty, buildSecretary } from './factories';

/** A county with the cast of the org tests: its admin (placed in 甲村), 乙镇's admin and 甲村's secretary. */
export async function countyWithStaff() {
  const county = await buildCounty();
  const admin = await buildAdmin({ of: county.county, branch: county.branchA });
  const townAdmin = await buildAdmin({ of: county.townB, branch: county.branchB });
  const secretaryA = await buildSecretary(county.branchA);
  return { county, admin, townAdmin, secretaryA };
}
