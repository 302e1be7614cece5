import { Types } from 'mongoose';

/** Ids are 24-hex strings: ObjectId-shaped, but stored as strings so derived keys (`${period}|${scope}|${user}`) compose. */
export function newId(): string {
  return new Types.ObjectId().toHexString();
}
