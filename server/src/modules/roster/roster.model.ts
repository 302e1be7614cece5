import { Schema, model } from 'mongoose';
import { phoneLookup } from '../privacy/field-crypto';

/**
 * One roster row per phone within a county: `_id` = `roster|<countyId>|<HMAC of the phone>` (never the number
 * itself; `phone` is sealed, privacy/field-crypto.ts), so re-importing and binding read by key and a phone is unique
 * in its county. `userId` is the member the row created; `hash` the row as last written (a row
 * whose hash is unchanged is "unchanged"; null while its member is being written, so a crash re-writes it).
 */
const RosterRowSchema = new Schema(
  {
    _id: { type: String, required: true },
    countyId: { type: String, required: true },
    phone: { type: String, required: true },
    userId: { type: String, required: true },
    name: { type: String, required: true },
    branchId: { type: String, required: true },
    category: { type: String, required: true },
    joinedAt: { type: String, default: null },
    duty: { type: String, default: '' },
    role: { type: String, required: true },
    villageId: { type: String, default: null },
    hash: { type: String, default: null },
    boundAt: { type: Date, default: null },
  },
  { versionKey: false, timestamps: true },
);
export type RosterRowDoc = {
  _id: string;
  countyId: string;
  phone: string;
  userId: string;
  name: string;
  branchId: string;
  category: string;
  joinedAt: string | null;
  duty: string;
  role: string;
  villageId: string | null;
  hash: string | null;
  boundAt: Date | null;
};
export const RosterRowModel = model('RosterRow', RosterRowSchema);
export const rosterKey = (countyId: string, phone: string) => `roster|${countyId}|${phoneLookup(phone)}`;

/**
 * An upload by its random key: the parsed rows, the dry run's report, then the confirmed import's progress (the
 * page polls it by key). Kept server-side for 30 minutes so confirm re-validates exactly the rows the admin saw.
 */
const RosterImportSchema = new Schema(
  {
    _id: { type: String, required: true },
    actorId: { type: String, required: true },
    countyId: { type: String, required: true },
    fileName: { type: String, required: true },
    state: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    total: { type: Number, default: 0 },
    done: { type: Number, default: 0 },
    counts: { type: Schema.Types.Mixed, default: () => ({ created: 0, updated: 0, unchanged: 0, error: 0 }) },
    rows: { type: Schema.Types.Mixed, default: () => [] },
    report: { type: Schema.Types.Mixed, default: () => [] },
    error: { type: String, default: null },
  },
  { versionKey: false, timestamps: true },
);
export const RosterImportModel = model('RosterImport', RosterImportSchema);

/**
 * Locks by insert: `row|<rosterId>` (a roster row gets one person) and `person|<userId>` (a person binds once).
 * A duplicate key means someone else won.
 */
const RosterLockSchema = new Schema(
  { _id: { type: String, required: true }, by: { type: String, required: true } },
  { versionKey: false, timestamps: true },
);
export const RosterLockModel = model('RosterLock', RosterLockSchema);

/** Key docs: `phone|<userId>` a phone WeChat vouched for (weapp), `bindq|<branchId>` the branch's H5 requests. */
const RosterKeySchema = new Schema(
  { _id: { type: String, required: true }, data: { type: Schema.Types.Mixed, default: () => ({}) } },
  { versionKey: false, timestamps: true, minimize: false },
);
export const RosterKeyModel = model('RosterKey', RosterKeySchema);
