import { Schema, model } from 'mongoose';
import { STUDY_TOPICS } from '@pioneer/shared';

/**
 * What every published study item (article or video) carries: the schema pieces both models spread, so the two
 * kinds keep one shape for where an item sits, who placed it and when, and one shape of catalogue and counters.
 */
export const itemHead = {
  _id: { type: String, required: true },
  title: { type: String, required: true },
  topic: { type: String, enum: STUDY_TOPICS, required: true },
} as const;

export const itemPlace = {
  orgId: { type: String, required: true },
  /** Ancestors of the org (not the org itself). */
  orgPath: { type: [String], default: [] },
  countyId: { type: String, required: true },
  createdBy: { type: String, required: true },
  publishedAt: { type: Date, required: true },
} as const;

/** A catalogue line's fields both kinds share (the summary a list shows, no body or file). */
export const lineFields = {
  id: String,
  title: String,
  topic: String,
  source: String,
  orgId: String,
  orgPath: [String],
  orgName: String,
  publishedAt: Date,
} as const;

/**
 * A county's catalogue, `_id` = the county: every item's line keyed by its id in one document, so a list is one key
 * read and publishing or editing one line is a `$set` of `items.<id>`, atomic on the key.
 */
export const catalogueModel = <T extends Schema>(name: string, collection: string, line: T) =>
  model(
    name,
    new Schema(
      { _id: { type: String, required: true }, items: { type: Map, of: line, default: {} } },
      { versionKey: false },
    ),
    collection,
  );

/** Counters per item for the console, `_id` = the item: moved by `$inc` on the key. */
export const statsModel = (name: string, collection: string) =>
  model(
    name,
    new Schema(
      {
        _id: { type: String, required: true },
        opens: { type: Number, default: 0 },
        completions: { type: Number, default: 0 },
        completedMs: { type: Number, default: 0 },
      },
      { versionKey: false },
    ),
    collection,
  );
