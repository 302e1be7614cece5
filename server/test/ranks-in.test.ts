/**
 * A board page's ranks in one walk of the histogram (points/standings.ts ranksIn, issue 17) equal each row's rank by
 * the one-score rule (rankIn: 1 + members with more points), ties, unsorted scores and scores off the histogram
 * included.
 */
import { rankIn, ranksIn, type Histogram } from '../src/modules/points/standings';

/** A small deterministic generator (mulberry32), so a failure names its seed. */
function numbers(seed: number) {
  let state = seed;
  return (below: number) => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4_294_967_296) * below);
  };
}

describe('ranks of a board page', () => {
  test('when many scores are ranked at once, then each rank is the one-score rank', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const next = numbers(seed);
      const histogram: Histogram = {};
      for (let b = next(60); b > 0; b--) histogram[`p${next(500) - 20}`] = 1 + next(5);
      const scores = Array.from({ length: 2 + next(60) }, () => next(540) - 30);
      expect({ seed, ranks: ranksIn(histogram, scores) }).toEqual({
        seed,
        ranks: scores.map((p) => rankIn(histogram, p)),
      });
    }
  });

  test('when one score or none is ranked, then it is the one-score rank', () => {
    const histogram: Histogram = { p10: 2, p5: 1, p7: 3 };
    expect(ranksIn(histogram, [6])).toEqual([6]);
    expect(ranksIn(histogram, [])).toEqual([]);
    expect(ranksIn(histogram, [10, 7, 7, 5, 11, 0])).toEqual([1, 3, 3, 6, 1, 7]);
  });
});
