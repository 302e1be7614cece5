import { Text, View } from '@tarojs/components';
import type { AttendanceDay, DayStatus } from '@pioneer/shared';
import { DAY_STATUS_LABELS, daysOfMonth } from '@pioneer/shared/src/checkins';
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

/** A month grid, Monday first; each day coloured by its status and named in text for screen readers. */
export default function AttendanceCalendar({ month, days }: AttendanceCalendarProps) {
  const byDay = new Map(days.map((d) => [d.day, d]));
  const cells = [...Array<string | null>(leadingBlanks(month)).fill(null), ...daysOfMonth(month)];
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
          const d = byDay.get(day);
          const status = d?.status;
          const label = status ? `${Number(day.slice(8))}日 ${DAY_STATUS_LABELS[status]}` : `${Number(day.slice(8))}日`;
          return (
            <View
              key={day}
              className={`calendar__cell${status ? ` calendar__cell--${status}` : ' calendar__cell--future'}`}
              data-testid={`day-${day}`}
              data-status={status ?? 'future'}
              aria-label={label}
            >
              <Text className="calendar__num">{Number(day.slice(8))}</Text>
              {status && MARKS[status] && <Text className="calendar__mark">{MARKS[status]}</Text>}
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
      </View>
    </View>
  );
}
