import fc from 'fast-check';
import { z } from 'zod';

type Json = Record<string, unknown> & {
  type?: string | string[];
  $ref?: string;
  properties?: Record<string, Json>;
  required?: string[];
  items?: Json;
  anyOf?: Json[];
  oneOf?: Json[];
  allOf?: Json[];
};

/**
 * A fast-check arbitrary for values a shared zod schema would accept (or nearly: refinements are not in the JSON
 * schema), through `z.toJSONSchema`. Covers what our schemas use: objects, arrays, strings with patterns and
 * lengths, date-times, numbers with bounds, enums, unions, nullables. Anything else becomes `fc.anything()`.
 */
export function arbitraryFor(schema: z.ZodType): fc.Arbitrary<unknown> {
  let root: Json;
  try {
    root = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  } catch {
    return fc.anything();
  }
  return fromJson(root, root, 0);
}

function resolve(ref: string, root: Json): Json {
  const name = ref.split('/').pop()!;
  const defs = (root.$defs ?? root.definitions ?? {}) as Record<string, Json>;
  return defs[name] ?? {};
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function numberArb(s: Json, integer: boolean): fc.Arbitrary<number> {
  const step = integer ? 1 : 1e-6;
  const min = num(s.minimum) ?? (num(s.exclusiveMinimum) !== undefined ? num(s.exclusiveMinimum)! + step : -1e6);
  const max = num(s.maximum) ?? (num(s.exclusiveMaximum) !== undefined ? num(s.exclusiveMaximum)! - step : 1e6);
  if (integer)
    return fc.integer({
      min: Math.max(Math.ceil(min), Number.MIN_SAFE_INTEGER),
      max: Math.min(Math.floor(max), Number.MAX_SAFE_INTEGER),
    });
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

function stringArb(s: Json): fc.Arbitrary<string> {
  const minLength = num(s.minLength) ?? 0;
  const maxLength = Math.max(minLength, Math.min(num(s.maxLength) ?? 24, 60));
  if (s.format === 'date-time')
    return fc
      .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString());
  if (s.format === 'date')
    return fc
      .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
  if (typeof s.pattern === 'string') {
    return fc
      .stringMatching(new RegExp(s.pattern))
      .filter((v) => v.length >= minLength && v.length <= (num(s.maxLength) ?? Infinity));
  }
  return fc.string({ minLength, maxLength, unit: 'grapheme' }).filter((v) => v.trim().length >= minLength);
}

function fromJson(s: Json, root: Json, depth: number): fc.Arbitrary<unknown> {
  if (depth > 8) return fc.constant(null);
  if (s.$ref) return fromJson(resolve(s.$ref, root), root, depth + 1);
  if (s.const !== undefined) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  const union = s.anyOf ?? s.oneOf;
  if (union?.length) return fc.oneof(...union.map((u) => fromJson(u, root, depth + 1)));
  if (s.allOf?.length) return fromJson(s.allOf[0]!, root, depth + 1);
  if (Array.isArray(s.type)) return fc.oneof(...s.type.map((t) => fromJson({ ...s, type: t }, root, depth + 1)));
  switch (s.type) {
    case 'string':
      return stringArb(s);
    case 'integer':
      return numberArb(s, true);
    case 'number':
      return numberArb(s, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = num(s.minItems) ?? 0;
      return fc.array(s.items ? fromJson(s.items, root, depth + 1) : fc.anything(), {
        minLength,
        maxLength: Math.max(minLength, Math.min(num(s.maxItems) ?? 4, 4)),
      });
    }
    case 'object': {
      const props = s.properties ?? {};
      const model = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, fromJson(v, root, depth + 1)]));
      return fc.record(model, { requiredKeys: (s.required ?? []).filter((k) => k in props) });
    }
    default:
      return fc.anything({ maxDepth: 2 });
  }
}
