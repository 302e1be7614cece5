import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * 组织生活会 (issue 21 item 1), every read and write by key:
 * - the year's meeting `${branchId}|${year}`: topics, the members when it was opened, `checks.<userId>` (when each
 *   submitted 对照检查), `talked.<userId>` (talks the member took part in) and `talkSeq` (the register's counter);
 * - a member's 对照检查 `${branchId}|${year}|${userId}`;
 * - a 谈心谈话 record `${branchId}|${year}|${n}`.
 */
const LifeMeetingSchema = new Schema(
  {
    _id: { type: String, required: true },
    branchId: { type: String, required: true },
    branchName: { type: String, required: true },
    branchPath: { type: [String], default: [] },
    year: { type: Number, required: true },
    topics: { type: [String], default: [] },
    /** [{ id, name }] */
    members: { type: Schema.Types.Mixed, default: [] },
    checks: { type: Schema.Types.Mixed, default: {} },
    talked: { type: Schema.Types.Mixed, default: {} },
    talkSeq: { type: Number, default: 0 },
    openedBy: { type: String, required: true },
    openedAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
export type LifeMeetingDoc = Omit<InferSchemaType<typeof LifeMeetingSchema>, 'members' | 'checks' | 'talked'> & {
  _id: string;
  members: { id: string; name: string }[];
  checks: Record<string, string>;
  talked: Record<string, number>;
};
export const LifeMeetingModel = model('LifeMeeting', LifeMeetingSchema, 'life_meetings');

const LifeCheckSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    text: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
export const LifeCheckModel = model('LifeCheck', LifeCheckSchema, 'life_checks');

const TalkSchema = new Schema(
  {
    _id: { type: String, required: true },
    n: { type: Number, required: true },
    talker: { type: Schema.Types.Mixed, required: true },
    talkee: { type: Schema.Types.Mixed, required: true },
    date: { type: String, required: true },
    summary: { type: String, required: true },
    by: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
export type TalkDoc = InferSchemaType<typeof TalkSchema> & {
  _id: string;
  talker: { id: string; name: string };
  talkee: { id: string; name: string };
};
export const TalkModel = model('LifeTalk', TalkSchema, 'life_talks');
