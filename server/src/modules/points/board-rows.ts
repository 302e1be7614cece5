/**
 * A board's rows: what a row holds, how it is stored in the board document, and the board's order. Split from
 * board.ts (which reads, writes and trims boards) so the row format is read in one place.
 */

/** What a board keeps per member: enough to show the row without reading the member. */
export interface BoardItem {
  u: string;
  n: string;
  a: string;
  o: string;
  p: number;
  t: Date;
  /** The member's award sequence when the row was made (`v` of their totals document): the newest row wins. */
  s: number;
}

/**
 * A row as stored: the member's award sequence in 12 digits, then one JSON string `[points, reachedAt ms, name,
 * org name, avatar]`. Every write of a row is a `$max`, so of two awards to one member whose board writes land out
 * of order the later award's row stays (a lowered score too: its sequence is higher). FerretDB converts every field
 * of a document on each read and write; a 240-row board of objects cost 15 ms to read and 12 ms to update, of
 * strings 4 ms and 7 ms (measured on this machine). Boards stored before issue 17 are rewritten by the
 * `points:rebuild` its storage change needs.
 */
export type StoredRow = string;
const SEQ_DIGITS = 12;

/** A stored row read back (the member's id is the row's key in the board document). */
export function parseRow(u: string, r: StoredRow): BoardItem {
  const [p, t, n, o, a] = JSON.parse(r.slice(SEQ_DIGITS)) as [number, number, string, string, string];
  return { u, n, a, o, p, t: new Date(t), s: Number(r.slice(0, SEQ_DIGITS)) };
}

export interface Board {
  items: BoardItem[];
  /** The best score trimmed off the board; rows at or below it may be missing members. */
  floor: number | null;
}

/** Best first; a tie goes to who reached the score first, then to the id, so every read orders rows alike. */
export function boardOrder(a: BoardItem, b: BoardItem): number {
  return b.p - a.p || a.t.getTime() - b.t.getTime() || (a.u < b.u ? -1 : a.u > b.u ? 1 : 0);
}

/** A row as the board document stores it (see StoredRow). */
export function storedRow(item: BoardItem): StoredRow {
  const seq = String(item.s).padStart(SEQ_DIGITS, '0');
  return seq + JSON.stringify([item.p, new Date(item.t).getTime(), item.n, item.o, item.a]);
}
