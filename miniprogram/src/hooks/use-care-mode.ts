import { useEffect, useState } from 'react';
import { careModeOn, onCareModeChange } from '../services/care-mode';

/** True while 关怀模式 is on; follows changes made on any page. */
export function useCareMode(): boolean {
  const [on, setOn] = useState(careModeOn);
  useEffect(() => onCareModeChange(setOn), []);
  return on;
}
