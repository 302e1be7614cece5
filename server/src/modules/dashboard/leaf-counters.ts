import type { CountersDoc } from './dashboard.model';

/**
 * Issue 17: the chain's last org keeps its own counters in its PARENT's document. An award `$inc`s one counters
 * document per org of the member's chain; the county's and township's are shared by many awards and merge in the
 * group commit, but the village's and the branch's are a different document for nearly every award (a statement
 * each, ~0.4 ms of engine CPU). The branch's own counts (`self`, and a check-in's `cad.<slot>.<userId>`) are written
 * as `leaf.<branch>.self...` and `leaf.<branch>.cad...` in its village's document instead, which the award writes
 * anyway (`kids.<branch>`): a check-in or a quiz writes nothing to the branch's document.
 *
 * Only for chains of 3 or more (the last org's parent is not the county): the township's document is shared anyway,
 * and the county's is large (a township board would read it).
 *
 * An org's own counts are then its document's `self`/`cad` (events where it was not the chain's last, and everything
 * written before this change), plus its parent's `leaf.<org>`, plus `from.<old parent>` of its own document: copies
 * of an old parent's `leaf.<org>` made when the org moved (settleMovedOrg), since the reader looks at the current
 * parent only. A `from` of the current parent is skipped (the org moved back: the parent's `leaf` holds it all).
 */

/** The shortest chain whose last org's own counts go to its parent's document. */
const LEAF_CHAIN = 3;

/** A partial counters document under `leaf.<org>` and `from.<parent>`: the org's own `self` and `cad`. */
export interface OwnCounts {
  self?: Record<string, Record<string, number>>;
  cad?: Record<string, Record<string, number>>;
}

/**
 * Where the org at `i` of an event's chain keeps its own counts (`self`, `cad`): its document of the year and no
 * prefix, or (the last of a chain of 3 or more) its parent's document under `leaf.<org>.`.
 */
export function ownHome(scopes: readonly string[], i: number, year: number): { id: string; prefix: string } {
  const orgId = scopes[i]!;
  const last = i === scopes.length - 1 && scopes.length >= LEAF_CHAIN;
  return last ? { id: `${scopes[i - 1]}|${year}`, prefix: `leaf.${orgId}.` } : { id: `${orgId}|${year}`, prefix: '' };
}

/** The parent whose document holds an org's `leaf` (none: the org is a county or a township). */
export const leafParentOf = (path: readonly string[]): string | null =>
  path.length >= LEAF_CHAIN - 1 ? path.at(-1)! : null;

function addInto(into: Record<string, Record<string, number>>, from: Record<string, Record<string, number>> = {}) {
  for (const [slot, counts] of Object.entries(from)) {
    const out = (into[slot] = { ...into[slot] });
    for (const [k, n] of Object.entries(counts)) out[k] = (out[k] ?? 0) + n;
  }
}

/**
 * An org's document as the board reads it: its `self` and `cad` with its parent's `leaf.<org>` and its own `from`s
 * added (null: no document and nothing to add).
 */
export function withOwnCounts(
  doc: CountersDoc | null,
  orgId: string,
  parentId: string | null,
  parentDoc: CountersDoc | null,
): CountersDoc | null {
  const parts: OwnCounts[] = Object.entries(doc?.from ?? {})
    .filter(([from]) => from !== parentId)
    .map(([, own]) => own);
  const leaf = parentDoc?.leaf?.[orgId];
  if (leaf) parts.push(leaf);
  if (parts.length === 0) return doc;
  const self = {};
  const cad = {};
  addInto(self, doc?.self);
  addInto(cad, doc?.cad);
  for (const p of parts) {
    addInto(self, p.self);
    addInto(cad, p.cad);
  }
  return { ...(doc ?? { _id: '' }), self, cad };
}

/**
 * The rebuild's `from`s: where a chain's last org now sits under another parent than its events' (it moved), its
 * old parent's `leaf.<org>` is also copied to its own document as `from.<old parent>`, as settleMovedOrg does live.
 * `parents`: each org's parent now (an org missing from it is left alone).
 */
export function addMovedCopies(
  incs: Map<string, Record<string, number>>,
  parents: ReadonlyMap<string, string | null>,
): void {
  const copies: [string, string, number][] = [];
  for (const [id, inc] of incs) {
    const [parentId, year, extra] = id.split('|');
    if (extra !== undefined) continue;
    for (const [path, n] of Object.entries(inc)) {
      const [field, orgId, ...rest] = path.split('.');
      if (field !== 'leaf' || !orgId) continue;
      const now = parents.get(orgId);
      if (now !== undefined && now !== parentId)
        copies.push([`${orgId}|${year}`, `from.${parentId}.${rest.join('.')}`, n]);
    }
  }
  for (const [id, path, n] of copies) {
    const inc = incs.get(id) ?? {};
    inc[path] = (inc[path] ?? 0) + n;
    incs.set(id, inc);
  }
}
