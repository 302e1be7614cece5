/** The one sanitizer for stored rich text (通知公告, 学习文章): what survives and what never does. */
import { richTextPlain, sanitizeRichText } from '../src/modules/uploads/rich-text';

const OWN_PHOTO = '/api/v1/uploads/2026-11/0123456789abcdef0123456789abcdef.jpg';

describe('sanitizeRichText', () => {
  it('keeps headings, lists, emphasis, quotes, http links and our own pictures', () => {
    const html = `<h2>主题党日</h2><p>请<strong>准时</strong>参加</p><ul><li>带党徽</li></ul><blockquote>引文</blockquote><a href="https://www.12371.cn/">共产党员网</a><img src="${OWN_PHOTO}" alt="现场">`;
    const out = sanitizeRichText(html);
    expect(out).toContain('<h2>主题党日</h2>');
    expect(out).toContain('<strong>准时</strong>');
    expect(out).toContain('<li>带党徽</li>');
    expect(out).toContain('href="https://www.12371.cn/"');
    expect(out).toContain(`<img src="${OWN_PHOTO}" alt="现场" />`);
  });

  it('drops script, event handlers, javascript: and data: URLs, styles, iframes and pictures on other sites', () => {
    const out = sanitizeRichText(
      '<p onclick="steal()" style="color:red">正文<script>alert(1)</script></p>' +
        '<img src="x" onerror="alert(1)"><img src="https://tracker.example/p.gif"><img src="data:image/png;base64,AAAA">' +
        '<a href="javascript:alert(1)">点我</a><a href="JaVaScRiPt:alert(1)">再点</a><iframe src="https://e.example"></iframe>',
    );
    expect(out).not.toMatch(/script|onerror|onclick|style=|javascript|data:|iframe|tracker|<img/i);
    expect(out).toContain('正文');
    expect(out).toContain('点我');
  });

  it('gives the plain text for reading time and search', () => {
    expect(richTextPlain('<h2>标题</h2><p>第一段\n\n  第二段</p><script>x</script>')).toBe('标题第一段 第二段');
  });
});
