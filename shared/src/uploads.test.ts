import type { z } from 'zod';
import { PatchMeBodySchema } from './schemas/me';
import { ProgressBodySchema } from './schemas/commitments';
import { FulfilWishBodySchema } from './schemas/wishes';
import { MinutesBodySchema } from './schemas/activities';
import { CreateRecordBodySchema } from './schemas/posts';

const OWN = '/api/v1/uploads/2026-11/0123456789abcdef0123456789abcdef.jpg';
const PIXELS = [
  'https://evil.example/p.gif',
  'http://127.0.0.1/x.png',
  '//evil.example/a.jpg',
  `${OWN}?t=1`,
  `https://evil.example${OWN}`,
  'data:image/png;base64,AAAA',
];

/** Every body that carries a picture others see, with a picture put in the right place. */
const BODIES: Array<[string, z.ZodType, (url: string) => unknown]> = [
  ['avatar', PatchMeBodySchema, (url) => ({ avatarUrl: url })],
  ['identity photo', PatchMeBodySchema, (url) => ({ identity: { photoUrl: url } })],
  ['践诺 progress', ProgressBodySchema, (url) => ({ text: '走访了张大爷', photoUrls: [url] })],
  ['wish fulfilment', FulfilWishBodySchema, (url) => ({ note: '送去一台收音机并教会使用', photoUrls: [url] })],
  ['activity minutes', MinutesBodySchema, (url) => ({ text: '学习党的二十届四中全会精神', photoUrls: [url] })],
  [
    'service record',
    CreateRecordBodySchema,
    (url) => ({ hours: 2, resolved: 1, note: '调解邻里纠纷', photoUrls: [url] }),
  ],
];

describe('pictures others see are only our own uploads (issue 13, finding 9)', () => {
  test.each(BODIES)(
    'when a %s names another site, then the shared schema refuses it; our own upload URL passes',
    (_name, schema, body) => {
      expect(schema.safeParse(body(OWN)).success).toBe(true);
      for (const url of PIXELS) {
        const parsed = schema.safeParse(body(url));
        expect(parsed.success).toBe(false);
      }
    },
  );

  test('when a member clears the avatar or identity photo, then the empty string is accepted', () => {
    expect(PatchMeBodySchema.safeParse({ avatarUrl: '', identity: { photoUrl: '' } }).success).toBe(true);
  });
});
