import { fireEvent, render, screen } from '@testing-library/react';
import PageContainer from './index';

/** A page body that throws while rendering until `broken.now` is false (an unexpected reply, a bug). */
const broken = { now: true };
function Fragile() {
  if (broken.now) throw new Error('Cannot read properties of undefined (reading "items")');
  return <span>积分明细</span>;
}

describe('PageContainer when the page throws while rendering', () => {
  beforeEach(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('when the content throws, then a kind message with 重试 shows instead of a blank page; 重试 reloads and renders again', () => {
    broken.now = true;
    const reload = jest.fn();
    render(
      <PageContainer hasData onRetry={reload}>
        <Fragile />
      </PageContainer>,
    );
    expect(screen.getByTestId('page-crashed').textContent).toContain('页面出了点问题');
    expect(screen.queryByText('积分明细')).toBeNull();

    broken.now = false;
    fireEvent.click(screen.getByTestId('crash-retry'));
    expect(reload).toHaveBeenCalledTimes(1);
    expect(screen.getByText('积分明细')).toBeTruthy();
    expect(screen.queryByTestId('page-crashed')).toBeNull();
  });
});
