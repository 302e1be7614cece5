import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * How much an action pays lives in one place: the rules table (DEFAULT_POINT_RULES, a county's versions). Features
 * say what happened in units and pages read the rules in force, so no feature constant or literal amount remains.
 */
const ROOT = join(__dirname, '..', '..');
const SCANNED = ['server/src', 'miniprogram/src', 'shared/src'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

const files = SCANNED.flatMap((d) => sources(join(ROOT, d))).map((path) => ({
  path: relative(ROOT, path),
  text: readFileSync(path, 'utf8'),
}));

/** Every `awardPoints(...)` call's argument text, found by balancing parentheses. */
function awardCalls(text: string): string[] {
  const calls: string[] = [];
  for (let at = text.indexOf('awardPoints('); at !== -1; at = text.indexOf('awardPoints(', at + 1)) {
    let depth = 0;
    let end = at + 'awardPoints'.length;
    do {
      if (text[end] === '(') depth += 1;
      if (text[end] === ')') depth -= 1;
      end += 1;
    } while (depth > 0 && end < text.length);
    calls.push(text.slice(at, end));
  }
  return calls;
}

describe('points amounts live in the rules table only', () => {
  test('when the sources are read, then no feature amount constant is defined or used', () => {
    const names =
      /\b(CHALLENGE_POINTS|WISH_POINTS|POINTS_PER_SERVICE_HOUR|RATING_POINTS|servicePoints|askedUnder)\b|ACTIVITY_RULES\.points/;
    expect(files.filter((f) => names.test(f.text)).map((f) => f.path)).toEqual([]);
  });

  test('when a feature pays, then it says what happened in units (only an adjustment states its own amount)', () => {
    const calls = files
      .filter((f) => f.path.startsWith('server/src/'))
      .flatMap((f) => awardCalls(f.text).map((call) => ({ path: f.path, call })));
    const features = calls.filter((c) => c.call.startsWith('awardPoints({') && !c.call.includes("'manual_adjustment'"));
    expect(features.length).toBeGreaterThanOrEqual(7);
    expect(features.filter((c) => !/\bunits\b/.test(c.call) || /\bpoints:/.test(c.call))).toEqual([]);
  });

  test('when a page promises points, then the number comes from the rules in force, not a literal', () => {
    const literal = /(得|计|最多)\s*\d+\s*分/;
    expect(
      files.filter((f) => f.path.startsWith('miniprogram/src/') && literal.test(f.text)).map((f) => f.path),
    ).toEqual([]);
  });
});
