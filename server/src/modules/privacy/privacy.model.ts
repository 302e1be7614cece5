import { Schema, model } from 'mongoose';

/**
 * `_id` = userId: the member's answer to the 隐私保护指引, read by key on every gated request. `history` keeps each
 * earlier answer (version, decision, time) so the record shows what the member agreed to and when.
 */
const ConsentSchema = new Schema(
  {
    _id: { type: String, required: true },
    version: { type: String, required: true },
    decision: { type: String, enum: ['agree', 'refuse'], required: true },
    at: { type: Date, required: true },
    history: { type: [{ _id: false, version: String, decision: String, at: Date }], default: [] },
  },
  { versionKey: false },
);
export const ConsentModel = model('PrivacyConsent', ConsentSchema, 'privacy_consents');
