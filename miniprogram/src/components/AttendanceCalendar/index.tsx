import { Text, View } from '@tarojs/components';
import type { AttendanceDay, DayStatus } from '@pioneer/shared';
import { DAY_STATUS_LABELS, daysOfMonth } from '@pioneer/shared/src/checkins';
import { dayInfo, hasHolidaySchedule, type DayInfo } from '@pioneer/shared/src/holidays';
import './index.scss';

export interface AttendanceCalendarProps {
  /** `YYYY-MM`. */
  month: string;
  /** The days judged so far (later days are left blank). */
  days: readonly AttendanceDay[];
}

const WEEKDAYS = ['一', '二', '三', '四', '五', '六', '日'] as const;
const LEGEND: readonly DayStatus[] = ['present', 'pending', 'flagged', 'absent'];
/** One character per status besides the colour, so colour-blind members can read the month too. */
const MARKS: Record<DayStatus, string> = { present: '✓', pending: '待', flagged: '疑', absent: '' };

/** Monday-first offset of the month's first day (the date itself is zone-free: it is a calendar date). */
function leadingBlanks(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return (new Date(Date.UTC(y, m - 1, 1)).getUTCDay() + 6) % 7;
}

/** A rest day (weekend, 法定节假日) without a check-in is no absence: it shows as 休, never as 缺勤. */
const isRest = (info: DayInfo) => info.kind === 'weekend' || info.kind === 'holiday';

/** How a day is drawn: its status, or rest, not yet, or outside the posting (a day without a check-in there). */
function shownOf(d: AttendanceDay | undefined, info: DayInfo): DayStatus | 'rest' | 'future' | 'outside' {
  if (!d) return 'future';
  if (d.status !== 'absent') return d.status;
  if (d.outside) return 'outside';
  return isRest(info) ? 'rest' : 'absent';
}

const OTHER_TEXT = { rest: '休息日', future: '', outside: '不在派驻期' } as const;

function cellOf(day: string, d: AttendanceDay | undefined) {
  const info = dayInfo(day);
  const n = Number(day.slice(8));
  const shown = shownOf(d, info);
  const kindText = info.kind === 'holiday' ? `${info.name}休息` : info.kind === 'makeup' ? `${info.name}调休上班` : '';
  const other = shown === 'rest' || shown === 'future' || shown === 'outside';
  // A check-in on a weekend or 法定节假日 counts, and says so: 休息日打卡, marked 休 beside its status.
  const onRest = !other && isRest(info);
  const statusText = other ? OTHER_TEXT[shown] : `${onRest ? '休息日打卡 ' : ''}${DAY_STATUS_LABELS[shown]}`;
  const mark = shown === 'outside' ? '–' : other ? '' : `${MARKS[shown]}${onRest ? '休' : ''}`;
  return {
    info,
    shown,
    label: [`${n}日`, kindText, statusText].filter(Boolean).join(' '),
    // Besides the status mark: 休 on a 法定节假日, 班 on a 调休上班 weekend.
    mark: mark || (info.kind === 'holiday' ? '休' : info.kind === 'makeup' ? '班' : ''),
  };
}

/** The month's holidays in words, e.g. "春节：2月15日至23日放假；2月14日、28日调休上班". */
function holidayNote(month: string): string[] {
  const off = new Map<string, number[]>();
  const work = new Map<string, number[]>();
  for (const day of daysOfMonth(month)) {
    const info = dayInfo(day);
    const into = info.kind === 'holiday' ? off : info.kind === 'makeup' ? work : null;
    if (into && info.name) into.set(info.name, [...(into.get(info.name) ?? []), Number(day.slice(8))]);
  }
  const m = Number(month.slice(5));
  const names = [...new Set([...off.keys(), ...work.keys()])];
  return names.map((name) => {
    const o = off.get(name);
    const w = work.get(name);
    const parts = [
      o && (o.length > 1 ? `${m}月${o[0]}日至${o.at(-1)}日放假` : `${m}月${o[0]}日放假`),
      w && `${w.map((d, i) => (i === 0 ? `${m}月${d}日` : `${d}日`)).join('、')}调休上班`,
    ];
    return `${name}：${parts.filter(Boolean).join('；')}`;
  });
}

/**
 * A month grid, Monday first; each day coloured by its status and named in text for screen readers. 法定节假日 and
 * 调休 come from the State Council's schedule (shared/holidays): rest days are not 缺勤, 调休上班 days are marked 班.
 */
export default function AttendanceCalendar({ month, days }: AttendanceCalendarProps) {
  const byDay = new Map(days.map((d) => [d.day, d]));
  const cells = [...Array<string | null>(leadingBlanks(month)).fill(null), ...daysOfMonth(month)];
  const notes = holidayNote(month);
  return (
    <View className="calendar" data-testid="calendar">
      <View className="calendar__grid">
        {WEEKDAYS.map((w) => (
          <Text key={w} className="calendar__weekday">
            {w}
          </Text>
        ))}
        {cells.map((day, i) => {
          if (!day) return <View key={`blank-${i}`} className="calendar__cell calendar__cell--blank" />;
          const c = cellOf(day, byDay.get(day));
          const kind = c.info.kind === 'holiday' || c.info.kind === 'makeup' ? ` calendar__cell--${c.info.kind}` : '';
          return (
            <View
              key={day}
              className={`calendar__cell calendar__cell--${c.shown}${kind}`}
              data-testid={`day-${day}`}
              data-status={c.shown}
              data-kind={c.info.kind}
              aria-label={c.label}
            >
              <Text className="calendar__num">{Number(day.slice(8))}</Text>
              {c.mark && <Text className="calendar__mark">{c.mark}</Text>}
            </View>
          );
        })}
      </View>
      <View className="calendar__legend">
        {LEGEND.map((s) => (
          <View key={s} className="calendar__legend-item">
            <View className={`calendar__swatch calendar__cell--${s}`} />
            <Text>{DAY_STATUS_LABELS[s]}</Text>
          </View>
        ))}
        <View className="calendar__legend-item">
          <View className="calendar__swatch calendar__cell--rest" />
          <Text>休息日</Text>
        </View>
        {days.some((d) => d.outside) && (
          <View className="calendar__legend-item" data-testid="calendar-legend-outside">
            <View className="calendar__swatch calendar__cell--outside" />
            <Text>不在派驻期</Text>
          </View>
        )}
      </View>
      {notes.length > 0 && (
        <View className="calendar__holidays" data-testid="calendar-holidays">
          {notes.map((n) => (
            <Text key={n} className="calendar__holiday">
              {n}
            </Text>
          ))}
        </View>
      )}
      {!hasHolidaySchedule(Number(month.slice(0, 4))) && (
        <Text className="calendar__holiday" data-testid="calendar-no-schedule">
          {`${month.slice(0, 4)}年的法定节假日安排尚未录入，暂按周末计算休息日`}
        </Text>
      )}
    </View>
  );
}
