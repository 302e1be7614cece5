import { Schema, model } from 'mongoose';
import type { Inspection } from '@pioneer/shared';

/** One visit to a branch (巡查), by its id. */
const InspectionSchema = new Schema(
  {
    _id: { type: String, required: true },
    branchId: { type: String, required: true },
    /** The branch's ancestors, county first: where the visit is listed and counted. */
    path: { type: [String], required: true },
    half: { type: String, required: true },
    item: { type: Schema.Types.Mixed, required: true },
  },
  { versionKey: false },
);
export interface InspectionDoc {
  _id: string;
  branchId: string;
  path: string[];
  half: string;
  item: Inspection;
}
export const InspectionModel = model('Inspection', InspectionSchema, 'inspections');

/**
 * `<orgId>|<half>`: the visits under an org in a half-year, newest last, so the console's list is one key read.
 * Written for the branch and every ancestor when a visit is recorded.
 */
const IndexSchema = new Schema(
  { _id: { type: String, required: true }, items: { type: Schema.Types.Mixed, default: [] } },
  { versionKey: false },
);
export const InspectionIndexModel = model('InspectionIndex', IndexSchema, 'inspection_index');
export const inspectionIndexId = (orgId: string, half: string) => `${orgId}|${half}`;
