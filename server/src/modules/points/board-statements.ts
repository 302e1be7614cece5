import { parseScopeKey } from './keys';
import { rowBlock, rowUpdate } from './board-blocks';
import type { BoardItem } from './board-rows';
import { boardPeriodsGoneBy } from './periods-gone';
import type { KeyedStatement } from './scope-writes';

/** A member's new row offered to the board `key` by an award. */
export interface BoardOffer {
  key: string;
  item: BoardItem;
}

/**
 * An award's rows as statements: the rows on one scope's boards share the member's block of that scope
 * (board-blocks.ts), so they are ONE statement per scope reached (a `$max` per period's row), with the `$unset` of
 * the block's periods gone by. Issue 17, session 11: a paying check-in wrote up to 12 row statements, one per board.
 */
export function boardRowStatements(offers: readonly BoardOffer[]): KeyedStatement[] {
  const byBlock = new Map<string, { max: Record<string, string>; periods: string[] }>();
  for (const { key, item } of offers) {
    const _id = rowBlock(key, item.u);
    const block = byBlock.get(_id) ?? byBlock.set(_id, { max: {}, periods: [] }).get(_id)!;
    Object.assign(block.max, rowUpdate(key, item).$max);
    block.periods.push(parseScopeKey(key).periodId);
  }
  return [...byBlock].map(([_id, { max, periods }]) => ({
    updateOne: { filter: { _id }, update: { $max: max, $unset: boardPeriodsGoneBy(periods) }, upsert: true },
  }));
}
