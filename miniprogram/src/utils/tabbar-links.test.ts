import { guardScriptLinks, isScriptLink } from './tabbar-links';

describe("javascript: links of Taro's H5 tab bar (issue 15)", () => {
  let stop: () => void;
  beforeEach(() => {
    document.body.innerHTML = `
      <div class="weui-tabbar">
        <a href="javascript:;" class="weui-tabbar__item" id="tab"><p class="weui-tabbar__label" id="label">学习</p></a>
      </div>
      <a href="/pages/privacy/index" id="real">隐私保护指引</a>`;
    stop = guardScriptLinks(document);
  });
  afterEach(() => stop());

  it('when a tab (or its label inside) is tapped, then the javascript: navigation is cancelled and the tab handler still runs', () => {
    const switched = jest.fn();
    document.getElementById('tab')!.addEventListener('click', switched);
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    document.getElementById('label')!.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(true);
    expect(switched).toHaveBeenCalledTimes(1);
  });

  it('when an ordinary link is tapped, then it is left alone', () => {
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    document.getElementById('real')!.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(false);
    expect(isScriptLink(document.getElementById('real'))).toBe(false);
    expect(isScriptLink(document.getElementById('tab'))).toBe(true);
  });
});
