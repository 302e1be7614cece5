/**
 * The privacy popup's state, shared by every page (PrivacyPopup in PageContainer) and the app-wide WeChat hook.
 * WeChat (`__usePrivacyCheck__`) calls `onNeedPrivacyAuthorization` when a page uses an API that needs the member's
 * consent (getLocation, chooseImage, getPhoneNumber) before they agreed: we keep its `resolve` until they answer.
 */
type Resolve = (r: { event: 'agree' | 'disagree'; buttonId?: string }) => void;
type Listener = (open: boolean) => void;

let open = false;
let pendingResolve: Resolve | null = null;
const listeners = new Set<Listener>();

function set(next: boolean) {
  open = next;
  for (const l of listeners) l(next);
}

export const isPromptOpen = () => open;

export function subscribePrompt(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** Shows the popup (first use, or a new version of the guide). */
export function askPrivacy(): void {
  set(true);
}

/** The member answered: tell WeChat (if it asked) and close. The agree button carries this id. */
export const AGREE_BUTTON_ID = 'privacy-agree';
export function answerPrivacy(agree: boolean): void {
  pendingResolve?.(agree ? { event: 'agree', buttonId: AGREE_BUTTON_ID } : { event: 'disagree' });
  pendingResolve = null;
  set(false);
}

/** Called once from app.ts: in weapp, WeChat's own privacy check opens our popup. */
export function wirePrivacyAuthorization(): void {
  if (process.env.TARO_ENV !== 'weapp') return;
  const wx = (
    globalThis as unknown as { wx?: { onNeedPrivacyAuthorization?: (cb: (resolve: Resolve) => void) => void } }
  ).wx;
  wx?.onNeedPrivacyAuthorization?.((resolve) => {
    pendingResolve = resolve;
    set(true);
  });
}
