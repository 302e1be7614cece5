/**
 * The board's charts (issue 18): Apache ECharts (line, bar, grid, canvas renderer only) through taro-react-echarts,
 * one canvas in H5 and in the mini-program. Measured: +500 KB in the console sub-package (dashboard page chunk 8.5 KB
 * -> 509 KB), nothing in the main package.
 */
import { View } from '@tarojs/components';
import Echarts from 'taro-react-echarts';
import * as echarts from 'echarts/core';
import { BarChart as EBar, LineChart as ELine } from 'echarts/charts';
import { GridComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

export interface Point {
  label: string;
  value: number;
}

// Only what the board draws: a line, bars, their grid, on canvas (H5 and the mini-program's canvas alike).
echarts.use([ELine, EBar, GridComponent, CanvasRenderer]);

const RED = '#c8161d';
const shortLabel = (label: string) => label.replace(/^\d{4}年/, '').replace('第', '') || label;

/** The trend line of one indicator, ECharts through Taro's canvas wrapper. */
export function EchartTrend({ points, testId }: { points: readonly Point[]; testId?: string }) {
  const option = {
    animation: false,
    grid: { left: 40, right: 16, top: 24, bottom: 28 },
    xAxis: { type: 'category', data: points.map((p) => shortLabel(p.label)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        type: 'line',
        data: points.map((p) => p.value),
        itemStyle: { color: RED },
        lineStyle: { color: RED, width: 3 },
        label: { show: true, position: 'top' },
      },
    ],
  };
  return (
    <View className="dash-echart" data-testid={testId}>
      <Echarts echarts={echarts} option={option} style={{ height: '220px' }} canvasId={`${testId ?? 'trend'}-canvas`} />
    </View>
  );
}

/** The children's bars, longest first. */
export function EchartBars({ points, testId }: { points: readonly Point[]; unit?: string; testId?: string }) {
  const rows = [...points].sort((a, b) => a.value - b.value);
  const option = {
    animation: false,
    grid: { left: 96, right: 48, top: 8, bottom: 8 },
    xAxis: { type: 'value', show: false },
    yAxis: { type: 'category', data: rows.map((p) => p.label) },
    series: [
      {
        type: 'bar',
        data: rows.map((p) => p.value),
        itemStyle: { color: RED },
        label: { show: true, position: 'right' },
      },
    ],
  };
  return (
    <View className="dash-echart" data-testid={testId} data-rows={rows.length}>
      <Echarts
        echarts={echarts}
        option={option}
        style={{ height: `${Math.max(rows.length * 36, 80)}px` }}
        canvasId={`${testId ?? 'bars'}-canvas`}
      />
    </View>
  );
}
