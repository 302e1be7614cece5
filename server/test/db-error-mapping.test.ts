/**
 * Which driver errors mean "the database is away" (503 DB_UNAVAILABLE, retry) rather than a bug (500). The classes
 * are the driver's own, built as the driver builds them when the engine dies under a write.
 */
import mongoose from 'mongoose';
import { isDatabaseUnreachable, toAppError } from '../src/http/errors';
import { engineState } from '../src/db/engine-state';

const { MongoNetworkError, MongoBulkWriteError, MongoServerError } = mongoose.mongo;
const emptyResult = {
  insertedCount: 0,
  matchedCount: 0,
  modifiedCount: 0,
  deletedCount: 0,
  upsertedCount: 0,
  upsertedIds: {},
  insertedIds: {},
};

describe('database errors mapped to 503 or not', () => {
  it('a bulk write whose socket was reset is the database being away, not a bug', () => {
    const lost = new MongoNetworkError('read ECONNRESET');
    const bulk = new MongoBulkWriteError(lost, emptyResult as never);
    expect(isDatabaseUnreachable(bulk)).toBe(true);
    expect(toAppError(bulk).code).toBe('DB_UNAVAILABLE');
  });

  it('a raw socket error and a network error are unreachable; a duplicate key is a conflict', () => {
    expect(toAppError(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })).code).toBe('DB_UNAVAILABLE');
    expect(toAppError(new MongoNetworkError('connection closed')).code).toBe('DB_UNAVAILABLE');
    expect(toAppError(new MongoServerError({ message: 'E11000 duplicate key', code: 11000 })).code).toBe('CONFLICT');
  });

  it('a bulk write refused by the server for its content stays a 500, and a cyclic cause does not loop', () => {
    const refused = new MongoBulkWriteError({ message: 'bad', code: 2 }, emptyResult as never);
    expect(toAppError(refused).code).toBe('INTERNAL');
    const a: Record<string, unknown> = { name: 'Error' };
    a.cause = { name: 'Error', cause: a };
    expect(isDatabaseUnreachable(a)).toBe(false);
  });
});

describe('while the engine is known to be down', () => {
  afterEach(() => {
    engineState.started(null);
    engineState.reconciled();
  });

  it('any driver error is the outage (503), and the same error with the engine up stays a 500', () => {
    const odd = new MongoServerError({ message: 'operation was interrupted', code: 11601 });
    expect(toAppError(odd).code).toBe('INTERNAL');
    engineState.down();
    expect(toAppError(odd).code).toBe('DB_UNAVAILABLE');
    expect(toAppError(new Error('a bug of ours')).code).toBe('INTERNAL');
  });
});
