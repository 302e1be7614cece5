import { fireEvent, render, screen } from '@testing-library/react';
import FenceForm, { parseFence } from './fence-form';
import { filenameFrom } from '../../services/download';

describe('fence editor', () => {
  it('when the numbers are out of range or not numbers, then it says which; good numbers make a fence', () => {
    expect(parseFence({ lat: '30.5612', lng: '119.9423', radiusM: '650' })).toEqual({
      lat: 30.5612,
      lng: 119.9423,
      radiusM: 650,
    });
    expect(parseFence({ lat: '', lng: '119.9', radiusM: '500' })).toContain('纬度');
    expect(parseFence({ lat: '91', lng: '119.9', radiusM: '500' })).toContain('纬度');
    expect(parseFence({ lat: '30.5', lng: 'abc', radiusM: '500' })).toContain('经度');
    expect(parseFence({ lat: '30.5', lng: '119.9', radiusM: '20' })).toContain('半径');
    expect(parseFence({ lat: '30.5', lng: '119.9', radiusM: '500.5' })).toContain('半径');
  });

  it('when I save a bad radius, then the form says why and does not save', () => {
    const onSave = jest.fn();
    const village = {
      id: 'v2',
      name: '竹林村',
      type: 'village' as const,
      parentName: '青山镇',
      fence: { lat: 30.5612, lng: 119.9423, radiusM: 500 },
    };
    render(<FenceForm village={village} saving={false} onSave={onSave} onCancel={() => undefined} />);
    fireEvent.change(screen.getByTestId('fence-radius'), { target: { value: '10' } });
    fireEvent.click(screen.getByTestId('fence-save'));
    expect(onSave).not.toHaveBeenCalled();
    expect(screen.getByText('半径应为 50 到 20000 之间的整数（米）')).toBeTruthy();
    fireEvent.change(screen.getByTestId('fence-radius'), { target: { value: '650' } });
    fireEvent.click(screen.getByTestId('fence-save'));
    expect(onSave).toHaveBeenCalledWith({ lat: 30.5612, lng: 119.9423, radiusM: 650 });
  });

  it('reads the Chinese file name the server sends (RFC 6266), else the fallback', () => {
    const header = `attachment; filename="checkins-2026-11.csv"; filename*=UTF-8''${encodeURIComponent('驻村考勤-青山村党支部-2026年11月.csv')}`;
    expect(filenameFrom(header, 'x.csv')).toBe('驻村考勤-青山村党支部-2026年11月.csv');
    expect(filenameFrom(null, 'x.csv')).toBe('x.csv');
  });
});
