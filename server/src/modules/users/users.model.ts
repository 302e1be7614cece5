import { Schema, model, type InferSchemaType } from 'mongoose';
import { MEMBER_STATUSES, ROLES } from '@pioneer/shared';

const IdentitySchema = new Schema(
  {
    dutyTitle: { type: String, default: null },
    partySince: { type: Number, default: null },
    /** Sealed at rest (privacy/field-crypto.ts); every reply to anyone but the owner masks it. */
    contact: { type: String, default: null },
    /** The last four digits, for 党员管理's search by phone tail without decrypting every member. */
    contactTail: { type: String, default: null },
    photoUrl: { type: String, default: null },
    badge: { type: String, default: null },
  },
  { _id: false },
);

const UserSchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    avatarUrl: { type: String, default: '' },
    roles: { type: [String], enum: ROLES, default: ['member'] },
    /** The member's branch; null until they join one. */
    orgId: { type: String, default: null },
    /** The branch's ancestors and the branch itself, county first: the scopes the member's points count in. */
    orgPath: { type: [String], default: [], index: true },
    postedVillageId: { type: String, default: null },
    /** The Shanghai days the current (or last) posting began and ended: no 缺勤 outside them (issue 15). */
    postedSince: { type: String, default: null },
    postedUntil: { type: String, default: null },
    adminOrgId: { type: String, default: null },
    identity: { type: IdentitySchema, default: () => ({}) },
    hideFromRankings: { type: Boolean, default: false },
    careMode: { type: Boolean, default: false },
    /** 人员类别 (正式党员/预备党员, ROSTER_CATEGORIES): from the roster row, or set by an admin; null if never given. */
    category: { type: String, default: null },
    /** 党籍: active, or 停止党籍/出党/去世 — kept for history, off lists, boards and member counts (MEMBER_STATUSES). */
    status: { type: String, enum: MEMBER_STATUSES, default: 'active' },
    /** 组织关系转接 of this member, oldest first (ids in the transfers collection): the member's history by key. */
    transferIds: { type: [String], default: [] },
    /** 注销账号 (issue 24): personal fields erased; the id stays as the anonymous id of the ledger and totals. */
    closedAt: { type: Date, default: null },
    /**
     * The member's answer to the 隐私保护指引 as the gates need it ({ version, decision }; null: no answer), kept here
     * so a gated write reads it with the member the session already read (issue 17). The record with its history is
     * privacy_consents; both are written by privacy/consent.service.ts. Absent on members from before the copy:
     * the gate reads the record for them until the start-up copy (privacy/consent-copy.ts) has run.
     */
    privacyConsent: { type: Schema.Types.Mixed, default: null },
  },
  { versionKey: false, timestamps: true },
);

export type UserDoc = InferSchemaType<typeof UserSchema> & { _id: string };
export const UserModel = model('User', UserSchema);

/** Login key: `wx:<openid>` -> user, so sign-in is a key lookup however many members there are. */
const LoginSchema = new Schema(
  { _id: { type: String, required: true }, userId: { type: String, required: true } },
  { versionKey: false, timestamps: true },
);
export const LoginModel = model('Login', LoginSchema);
