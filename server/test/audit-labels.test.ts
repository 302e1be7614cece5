import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AUDIT_ACTIONS, auditActionOf } from '@pioneer/shared';

/** Every `.ts` file under a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const DOTTED = String.raw`'([a-z]+(?:\.[a-zA-Z_]+)+)'`;
/** `action: 'a.b'`, `action: x ? 'a.b' : 'c.d'`, `{ action: 'a.b' as const`, and the plans' `audit(actor, 'a.b'`. */
const LITERALS = [
  // (not a type: `action: 'a.b' | 'c.d'` names policy actions)
  new RegExp(String.raw`action:\s*${DOTTED}(?!\s*\|)`, 'g'),
  new RegExp(String.raw`action:\s*[^'\n]*\?\s*${DOTTED}\s*:\s*${DOTTED}`, 'g'),
  new RegExp(String.raw`\baudit\(\s*actor,\s*${DOTTED}`, 'g'),
];
/** `action: \`wish.${decision}\``: a family of actions, each named under its prefix. */
const TEMPLATES = /action:\s*`([a-z.]+)\$\{/g;

function writtenActions() {
  const literal = new Set<string>();
  const prefixes = new Set<string>();
  for (const file of sources(join(__dirname, '../src'))) {
    const text = readFileSync(file, 'utf8');
    if (!/recordAudit|\baudit\(|AuditModel/.test(text)) continue;
    for (const re of LITERALS) for (const m of text.matchAll(re)) m.slice(1).forEach((a) => a && literal.add(a));
    for (const m of text.matchAll(TEMPLATES)) prefixes.add(m[1]!);
  }
  return { literal, prefixes };
}

describe('audit action labels (issue 18)', () => {
  const { literal, prefixes } = writtenActions();

  it('finds the actions the services write (the scan itself works)', () => {
    for (const a of ['org.move', 'scorecard.compute', 'zhengdun.report', 'zhengdun.item_return', 'roster.import'])
      expect(literal).toContain(a);
    expect(prefixes).toContain('wish.');
  });

  it('names every audit action written anywhere in server/src in Chinese', () => {
    const unnamed = [...literal].filter((a) => !(a in AUDIT_ACTIONS));
    expect(unnamed).toEqual([]);
    for (const a of literal) expect(auditActionOf(a).label).toMatch(/\p{Script=Han}/u);
  });

  it('names each family of actions built from a template', () => {
    for (const p of prefixes)
      expect(Object.keys(AUDIT_ACTIONS).filter((k) => k.startsWith(p)).length).toBeGreaterThan(0);
  });
});
