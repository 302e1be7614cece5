/**
 * H5: Taro's tab bar renders each tab as `<a href="javascript:;">` with a click handler that switches the tab but
 * never cancels the link (@tarojs/components, tabbar-item.js). The browser then follows the `javascript:` URL,
 * which our Content-Security-Policy (script-src 'self') refuses on every tap, logging a violation. Cancelling the
 * default action of such links, and only theirs, ends the navigation at its cause: Taro's own handler still runs
 * (preventDefault does not stop the event), and the link keeps its href, so it stays focusable by keyboard.
 */
export function isScriptLink(target: EventTarget | null): boolean {
  const el = target instanceof Element ? target.closest('a[href]') : null;
  return !!el && /^\s*javascript:/i.test(el.getAttribute('href') ?? '');
}

export function guardScriptLinks(doc: Document): () => void {
  const onClick = (event: Event) => {
    if (isScriptLink(event.target)) event.preventDefault();
  };
  // Capture phase on the document: before any handler could stop the event on its way down.
  doc.addEventListener('click', onClick, true);
  return () => doc.removeEventListener('click', onClick, true);
}
