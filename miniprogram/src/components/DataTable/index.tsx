import { useState, type ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import './index.scss';

export interface Column<R> {
  key: string;
  title: string;
  render: (row: R) => ReactNode;
  /** The value a click on the heading sorts by; columns without one do not sort. */
  sortBy?: (row: R) => number | string;
  numeric?: boolean;
}

export interface DataTableProps<R> {
  rows: readonly R[];
  columns: readonly Column<R>[];
  rowKey: (row: R) => string;
  pageSize?: number;
  testId?: string;
  /** Row class (e.g. a shortfall). */
  rowClass?: (row: R) => string | undefined;
}

type Sort = { key: string; dir: 1 | -1 } | null;

function sorted<R>(rows: readonly R[], columns: readonly Column<R>[], sort: Sort): readonly R[] {
  const by = sort && columns.find((c) => c.key === sort.key)?.sortBy;
  if (!sort || !by) return rows;
  return [...rows].sort((a, b) => {
    const x = by(a);
    const y = by(b);
    return (
      (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'zh-CN')) * sort.dir
    );
  });
}

/**
 * Rows at a desk (H5 >= 1024 px; DOM, never rendered in the mini-program): a click on a heading sorts by it (again:
 * the other way), and long lists page by `pageSize`.
 */
export default function DataTable<R>({ rows, columns, rowKey, pageSize = 20, testId, rowClass }: DataTableProps<R>) {
  const [sort, setSort] = useState<Sort>(null);
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(rows.length / pageSize));
  const current = Math.min(page, pages - 1);
  const shown = sorted(rows, columns, sort).slice(current * pageSize, (current + 1) * pageSize);

  function sortBy(c: Column<R>) {
    if (!c.sortBy) return;
    setSort((s) =>
      s?.key === c.key ? { key: c.key, dir: s.dir === 1 ? -1 : 1 } : { key: c.key, dir: c.numeric ? -1 : 1 },
    );
    setPage(0);
  }

  const ariaSort = (c: Column<R>) =>
    sort?.key === c.key ? (sort.dir === 1 ? 'ascending' : 'descending') : c.sortBy ? 'none' : undefined;
  return (
    <View className="dtable" data-testid={testId}>
      <table>
        <thead>
          <tr>
            {columns.map((c) => (
              <th
                key={c.key}
                className={`${c.numeric ? 'dtable__num' : ''}${c.sortBy ? ' dtable__sortable' : ''}`}
                aria-sort={ariaSort(c)}
                onClick={() => sortBy(c)}
                data-testid={testId ? `${testId}-sort-${c.key}` : undefined}
              >
                {c.title}
                {sort?.key === c.key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr key={rowKey(r)} className={rowClass?.(r)} data-testid={testId ? `${testId}-row` : undefined}>
              {columns.map((c) => (
                <td key={c.key} className={c.numeric ? 'dtable__num' : undefined}>
                  {c.render(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {pages > 1 && (
        <View className="dtable__pager">
          <Text
            className={`dtable__page-btn${current === 0 ? ' dtable__page-btn--off' : ''}`}
            onClick={() => setPage(Math.max(0, current - 1))}
            data-testid={testId ? `${testId}-prev` : undefined}
          >
            ‹ 上一页
          </Text>
          <Text className="dtable__page-info">
            第 {current + 1} / {pages} 页 · 共 {rows.length} 条
          </Text>
          <Text
            className={`dtable__page-btn${current >= pages - 1 ? ' dtable__page-btn--off' : ''}`}
            onClick={() => setPage(Math.min(pages - 1, current + 1))}
            data-testid={testId ? `${testId}-next` : undefined}
          >
            下一页 ›
          </Text>
        </View>
      )}
    </View>
  );
}
