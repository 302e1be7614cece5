import { Schema, model } from 'mongoose';

/**
 * County settings, one document per (kind, county), always read and written by `_id` only:
 * - `ranking|<countyId>`: `{ visibility }`
 * - `rules|<countyId>`: `{ versions: [{ effectiveFrom, rules }] }`, append-only (history is never rewritten)
 * - `hidden|<countyId>`: `{ users: [userId] }`, members of the county who opted out of public boards
 */
const SettingSchema = new Schema(
  {
    _id: { type: String, required: true },
    visibility: { type: String, default: undefined },
    versions: { type: [Schema.Types.Mixed], default: undefined },
    users: { type: [String], default: undefined },
  },
  { versionKey: false, timestamps: true, strict: false },
);

export const SettingModel = model('Setting', SettingSchema);
