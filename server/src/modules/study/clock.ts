/**
 * The clock reading sessions are measured by. The server's own time, never the client's; tests (and the e2e
 * suite, which runs the app in-process) move it forward instead of waiting, through `advanceStudyClock`.
 */
let offsetMs = 0;

export const studyNow = (): Date => new Date(Date.now() + offsetMs);

/** Tests only: moves the study clock forward (or back to real time with `resetStudyClock`). */
export function advanceStudyClock(ms: number): void {
  offsetMs += ms;
}

export function resetStudyClock(): void {
  offsetMs = 0;
}
