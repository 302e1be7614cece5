import { Text, View } from '@tarojs/components';

/**
 * Charts drawn without a chart library: a line as inline SVG in H5 (the desk), columns of Views in the
 * mini-program (no canvas, nothing added to the sub-package), and bars of Views everywhere. Values are scaled to
 * the largest of the series; an all-zero series draws flat.
 */
export interface Point {
  label: string;
  value: number;
}

const isH5 = process.env.TARO_ENV === 'h5';
const W = 600;
const H = 180;
const PAD = 24;

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
const shortLabel = (label: string) => label.replace(/^\d{4}年/, '').replace('第', '') || label;

function SvgLine({ points }: { points: readonly Point[] }) {
  const max = Math.max(...points.map((p) => p.value), 0) || 1;
  const step = points.length > 1 ? (W - 2 * PAD) / (points.length - 1) : 0;
  const xy = points.map((p, i) => [PAD + i * step, H - PAD - (p.value / max) * (H - 2 * PAD)] as const);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="dash-chart__svg" role="img" aria-label="趋势折线">
      <line x1={PAD} y1={H - PAD} x2={W - PAD} y2={H - PAD} stroke="#e3e3e3" strokeWidth="2" />
      <polyline
        points={xy.map(([x, y]) => `${x},${y}`).join(' ')}
        fill="none"
        stroke="#c8161d"
        strokeWidth="3"
        strokeLinejoin="round"
      />
      {xy.map(([x, y], i) => (
        <g key={points[i]!.label}>
          <circle cx={x} cy={y} r="5" fill="#c8161d" />
          <text x={x} y={y - 10} textAnchor="middle" fontSize="16" fill="#444">
            {fmt(points[i]!.value)}
          </text>
        </g>
      ))}
    </svg>
  );
}

function Columns({ points }: { points: readonly Point[] }) {
  const max = Math.max(...points.map((p) => p.value), 0) || 1;
  return (
    <View className="dash-chart__columns">
      {points.map((p) => (
        <View key={p.label} className="dash-chart__column">
          <Text className="dash-chart__column-value">{fmt(p.value)}</Text>
          <View className="dash-chart__column-bar" style={{ height: `${Math.max((p.value / max) * 100, 2)}%` }} />
        </View>
      ))}
    </View>
  );
}

/** One indicator over the periods of the year so far: oldest left. */
export function TrendChart({ points, testId }: { points: readonly Point[]; testId?: string }) {
  return (
    <View className="dash-chart" data-testid={testId}>
      {isH5 ? <SvgLine points={points} /> : <Columns points={points} />}
      <View className="dash-chart__labels">
        {points.map((p) => (
          <Text key={p.label} className="dash-chart__label">
            {shortLabel(p.label)}
          </Text>
        ))}
      </View>
    </View>
  );
}

/** The children of the org, one horizontal bar each, longest first. */
export function BarChart({ points, unit, testId }: { points: readonly Point[]; unit: string; testId?: string }) {
  const max = Math.max(...points.map((p) => p.value), 0) || 1;
  const rows = [...points].sort((a, b) => b.value - a.value);
  return (
    <View className="dash-bars" data-testid={testId}>
      {rows.map((p) => (
        <View key={p.label} className="dash-bars__row" data-testid={testId ? `${testId}-row` : undefined}>
          <Text className="dash-bars__name">{p.label}</Text>
          <View className="dash-bars__track">
            <View className="dash-bars__bar" style={{ width: `${(p.value / max) * 100}%` }} />
          </View>
          <Text className="dash-bars__value">
            {fmt(p.value)}
            {unit}
          </Text>
        </View>
      ))}
    </View>
  );
}
