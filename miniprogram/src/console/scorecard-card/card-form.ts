import { SCORE_SOURCES, type ScoreSource, type ScorecardIndicator, type ScorecardVersionBody } from '@pioneer/shared';

/** One indicator as the county admin edits it: numbers stay text until saved, so a half-typed field is not lost. */
export interface Row {
  key: string;
  label: string;
  kind: 'auto' | 'manual';
  source?: ScoreSource;
  target: string;
  weight: string;
}

/** The rest of the card, also as typed. */
export interface CardFields {
  stars: [string, string, string, string];
  topN: string;
  weak: string;
  from: string;
}

export const toRow = (i: ScorecardIndicator): Row => ({
  key: i.key,
  label: i.label,
  kind: i.kind,
  source: i.kind === 'auto' ? i.source : undefined,
  target: String(i.target),
  weight: String(i.weight),
});

export const STAR_NAMES = ['二星', '三星', '四星', '五星'] as const;
const MAX_INDICATORS = 20;

/** The dashboard sources not yet on the card: each is scored once. */
export const unusedSources = (rows: readonly Row[]): ScoreSource[] =>
  SCORE_SOURCES.filter((s) => !rows.some((r) => r.source === s));

/**
 * A key for a new indicator: the source's name for an automatic one, `manual1`, `manual2`… for a manual one. Keys
 * already on the card are kept as they are: the townships' manual entries are stored under them.
 */
export function newKey(rows: readonly Row[], base: string): string {
  const taken = new Set(rows.map((r) => r.key));
  if (base !== 'manual' && !taken.has(base)) return base;
  for (let n = 1; ; n += 1) if (!taken.has(`${base}${n}`)) return `${base}${n}`;
}

/** A manual indicator's label from its name and unit: 集体经济收入（万元）. */
export const manualLabel = (name: string, unit: string) =>
  unit.trim() ? `${name.trim()}（${unit.trim()}）` : name.trim();

export const weightTotal = (rows: readonly Row[]) =>
  Math.round(rows.reduce((s, r) => s + (Number(r.weight) || 0), 0) * 100) / 100;

const num = (s: string) => (s.trim() === '' ? NaN : Number(s));
const inRange = (s: string, lo: number, hi: number) => {
  const n = num(s);
  return Number.isFinite(n) && n >= lo && n <= hi;
};

/** The first thing wrong with the indicators, in the words the server would use; null when they can be sent. */
function rowsProblem(rows: readonly Row[]): string | null {
  if (rows.length === 0) return '至少需要一个指标';
  if (rows.length > MAX_INDICATORS) return `指标最多${MAX_INDICATORS}个`;
  for (const [i, r] of rows.entries()) {
    const name = r.label.trim() || `第${i + 1}个指标`;
    if (!r.label.trim()) return `请填写第${i + 1}个指标的名称`;
    if (r.label.trim().length > 30) return `「${name}」的名称最多30字`;
    if (!inRange(r.target, Number.MIN_VALUE, 100_000)) return `「${name}」的满分标准应大于0（最多100000）`;
    if (!inRange(r.weight, 0, 100)) return `「${name}」的权重应在0到100之间`;
  }
  const total = weightTotal(rows);
  if (Math.abs(total - 100) > 1e-6) return `各指标权重之和应为100（现为${total}）`;
  return null;
}

/** The first thing wrong with the card, or null. `today` is the Shanghai day: a version cannot start before it. */
export function cardProblem(rows: readonly Row[], f: CardFields, today: string): string | null {
  const bad = rowsProblem(rows);
  if (bad) return bad;
  const miss = f.stars.findIndex((s) => !inRange(s, 0, 100));
  if (miss >= 0) return `${STAR_NAMES[miss]}分数线应在0到100之间`;
  const stars = f.stars.map(num);
  if (stars.some((s, i) => i > 0 && s <= stars[i - 1]!)) return '星级分数线应逐级升高（二星 < 三星 < 四星 < 五星）';
  if (!inRange(f.topN, 1, 20) || !Number.isInteger(num(f.topN))) return '每个乡镇最强党支部候选数应为1到20的整数';
  if (!inRange(f.weak, 0, 100)) return '软弱涣散分数线应在0到100之间';
  const from = f.from.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || Number.isNaN(Date.parse(from))) return '生效日期格式应为 YYYY-MM-DD';
  if (from < today) return '生效日期不能早于今天（已评定的季度不会被改写）';
  return null;
}

export function toBody(org: string, rows: readonly Row[], f: CardFields): ScorecardVersionBody {
  return {
    org,
    effectiveFrom: f.from.trim(),
    indicators: rows.map((r) => ({
      key: r.key,
      label: r.label.trim(),
      kind: r.kind,
      ...(r.kind === 'auto' ? { source: r.source } : {}),
      target: Number(r.target),
      weight: Number(r.weight),
    })),
    stars: f.stars.map(Number),
    candidatesPerTownship: Number(f.topN),
    weakBelow: Number(f.weak),
  };
}
