import { fireEvent, render, screen } from '@testing-library/react';
import DataTable, { type Column } from './index';

interface Row {
  id: string;
  name: string;
  n: number;
}
const rows: Row[] = Array.from({ length: 25 }, (_, i) => ({
  id: `r${i}`,
  name: `成员${String(i).padStart(2, '0')}`,
  n: (i * 7) % 25,
}));
const columns: Column<Row>[] = [
  { key: 'name', title: '姓名', render: (r) => r.name, sortBy: (r) => r.name },
  { key: 'n', title: '次数', numeric: true, render: (r) => r.n, sortBy: (r) => r.n },
];
const names = () => screen.getAllByTestId('t-row').map((tr) => tr.textContent);

describe('DataTable', () => {
  it('when there are more rows than a page, then it pages them: 20, then the last 5', () => {
    render(<DataTable rows={rows} columns={columns} rowKey={(r) => r.id} testId="t" />);

    expect(names()).toHaveLength(20);
    expect(screen.getByText('第 1 / 2 页 · 共 25 条')).toBeTruthy();
    fireEvent.click(screen.getByTestId('t-next'));
    expect(names()).toHaveLength(5);
    expect(names()[0]).toContain('成员20');
  });

  it('when a heading is clicked, then rows sort by it (numbers largest first), and a second click reverses', () => {
    render(<DataTable rows={rows} columns={columns} rowKey={(r) => r.id} testId="t" />);

    fireEvent.click(screen.getByTestId('t-sort-n'));
    expect(names()[0]).toContain('24');
    expect(screen.getByTestId('t-sort-n').getAttribute('aria-sort')).toBe('descending');
    fireEvent.click(screen.getByTestId('t-sort-n'));
    expect(names()[0]).toMatch(/0$/);
    expect(screen.getByTestId('t-sort-n').getAttribute('aria-sort')).toBe('ascending');
  });
});
