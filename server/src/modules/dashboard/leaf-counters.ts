import type { CountersDoc } from './dashboard.model';

/**
 * Issue 17: an org 2 deep or more (a village, a branch) reads its own counts from its parent's document. An award
 * `$inc`s one counters document per org of the member's chain; the county's and township's are shared by many awards
 * and merge in the group commit, but the village's and the branch's are a different document for nearly every award
 * (a statement each, ~0.4 ms of engine CPU, plus ~0.2 ms per KB of the document rewritten, measured). The parent's
 * `kids.<org>` always held the same counts as the org's own `self` (both `$inc`ed by every event): so `self` is no
 * longer written below the township, and the board reads the parent's `kids.<org>` (in the same `$in` command).
 * A check-in's `cad.<slot>.<userId>` of the chain's last org (3 deep or more) goes to its parent's
 * `lcad.<org>.<slot>.<userId>`. A branch member's check-in or quiz then writes nothing to the branch's document, and
 * the village's loses its `self`.
 *
 * Reading an org 2 deep or more: `self` = its parent's `kids.<org>` (documents written before this change too: the
 * org's stored `self` is ignored), `cad` = its own `cad` + its parent's `lcad.<org>`; plus `from.<old parent>` of its
 * own document: what an old parent held of it, copied when it moved (moved-org-counters.ts), since only the current
 * parent is read. A `from` of the current parent is skipped (it moved back: the parent holds it all). Above that
 * depth an org reads its own `self` and `cad`, plus every `from` (a village or branch moved up under the county).
 */

/** The depth (index in the chain) from which an org's `self` lives in its parent's `kids`. */
const PARENT_KEPT = 2;

/** What an org holds of a child (`kids.<child>`, `lcad.<child>`), and of itself in `from.<parent>`. */
export interface OwnCounts {
  self?: Record<string, Record<string, number>>;
  cad?: Record<string, Record<string, number>>;
}

/** Whether the org at `i` of a chain has its own `self` written (the county and the township). */
export const writesSelf = (i: number) => i < PARENT_KEPT;

/**
 * Where the org at `i` of an event's chain counts a cadre's present day: its document's `cad`, or (the last of a
 * chain of 3 or more) its parent's `lcad.<org>`.
 */
export function cadHome(scopes: readonly string[], i: number, year: number): { id: string; prefix: string } {
  const orgId = scopes[i]!;
  return i === scopes.length - 1 && i >= PARENT_KEPT
    ? { id: `${scopes[i - 1]}|${year}`, prefix: `lcad.${orgId}.` }
    : { id: `${orgId}|${year}`, prefix: 'cad.' };
}

/** The parent whose document holds an org's `self` (null: a county or a township, which hold their own). */
export const keepingParentOf = (path: readonly string[]): string | null =>
  path.length >= PARENT_KEPT ? path.at(-1)! : null;

function addInto(into: Record<string, Record<string, number>>, from: Record<string, Record<string, number>> = {}) {
  for (const [slot, counts] of Object.entries(from)) {
    const out = (into[slot] = { ...into[slot] });
    for (const [k, n] of Object.entries(counts)) out[k] = (out[k] ?? 0) + n;
  }
}

/** An org's document as the board reads it: `self` and `cad` as above (null: no document and nothing kept). */
export function withOwnCounts(
  doc: CountersDoc | null,
  orgId: string,
  parentId: string | null,
  parentDoc: CountersDoc | null,
): CountersDoc | null {
  const moved = Object.entries(doc?.from ?? {}).filter(([from]) => from !== parentId);
  if (!parentId && moved.length === 0) return doc;
  const self = {};
  const cad = {};
  addInto(self, parentId ? parentDoc?.kids?.[orgId] : doc?.self);
  addInto(cad, doc?.cad);
  addInto(cad, parentId ? parentDoc?.lcad?.[orgId] : undefined);
  for (const [, own] of moved) {
    addInto(self, own.self);
    addInto(cad, own.cad);
  }
  if (!doc && Object.keys(self).length === 0 && Object.keys(cad).length === 0) return null;
  return { ...(doc ?? { _id: '' }), self, cad };
}

/**
 * Whether a moved org needs its old parent's counts copied: it was or is 2 deep or more (its old or new parent has a
 * parent). A township moved between counties keeps its own `self` throughout.
 */
export const movedDeep = (oldGrandparent: string | null | undefined, newGrandparent: string | null | undefined) =>
  Boolean(oldGrandparent) || Boolean(newGrandparent);

/**
 * The rebuild's `from`s: an org whose parent now is not its events' (it moved) gets that old parent's `kids.<org>`
 * and `lcad.<org>` copied to its own document as `from.<old parent>`, as settleMovedOrg does live (movedDeep).
 * `parents`: each org's parent now (an org missing from it is left alone).
 */
export function addMovedCopies(
  incs: Map<string, Record<string, number>>,
  parents: ReadonlyMap<string, string | null>,
): void {
  const copies: [string, string, number][] = [];
  for (const [id, inc] of incs) {
    const [parentId, year, extra] = id.split('|');
    if (extra !== undefined || !parentId) continue; // a branch's held types
    for (const [path, n] of Object.entries(inc)) {
      const [field, orgId, ...rest] = path.split('.');
      if ((field !== 'kids' && field !== 'lcad') || !orgId) continue;
      const now = parents.get(orgId);
      if (now === undefined || now === parentId || !movedDeep(parents.get(parentId), now && parents.get(now))) continue;
      const into = field === 'kids' ? 'self' : 'cad';
      copies.push([`${orgId}|${year}`, `from.${parentId}.${into}.${rest.join('.')}`, n]);
    }
  }
  for (const [id, path, n] of copies) {
    const inc = incs.get(id) ?? {};
    inc[path] = (inc[path] ?? 0) + n;
    incs.set(id, inc);
  }
}
