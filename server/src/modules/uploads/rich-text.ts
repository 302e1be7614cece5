import sanitizeHtml from 'sanitize-html';
import { UPLOAD_URL_RE } from '@pioneer/shared';

/** Longest body kept after cleaning: a notice or study article, not a book. */
export const RICH_TEXT_MAX_CHARS = 100_000;

/**
 * What a notice or study article may contain once stored: headings, paragraphs, lists, emphasis, quotes, links to
 * http(s) pages and pictures from our own uploads. Everything else (scripts, event handlers, styles, iframes,
 * javascript: and data: URLs, pictures on other sites: a tracking pixel) is dropped, on the server, before it is
 * stored: the pages render the stored HTML as is (H5 innerHTML, weapp <RichText>).
 */
export function sanitizeRichText(html: string): string {
  const clean = sanitizeHtml(html, {
    allowedTags: [
      'h2',
      'h3',
      'h4',
      'p',
      'br',
      'strong',
      'b',
      'em',
      'i',
      'u',
      'ul',
      'ol',
      'li',
      'blockquote',
      'a',
      'img',
    ],
    allowedAttributes: { a: ['href'], img: ['src', 'alt'] },
    allowedSchemes: ['http', 'https'],
    allowedSchemesByTag: { img: [] },
    allowProtocolRelative: false,
    exclusiveFilter: (frame) => frame.tag === 'img' && !UPLOAD_URL_RE.test(frame.attribs.src ?? ''),
    transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer', target: '_blank' }) },
  });
  return clean.trim();
}

/** The text a reader sees (for lengths, reading time and search), without any markup. */
export function richTextPlain(html: string): string {
  return sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} }).replace(/\s+/g, ' ').trim();
}
