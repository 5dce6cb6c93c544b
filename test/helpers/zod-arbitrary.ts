import fc from 'fast-check';
import type { z } from 'zod';

/**
 * fast-check arbitraries derived from zod 4 schemas (zod-fast-check reads zod 3's internals
 * only): values of the schema's shape, mixed with the edge values a validator must refuse (long,
 * empty, special keys, wrong types), so generated requests reach both the handlers and the
 * refusals.
 */
type Def = { type: string } & Record<string, unknown>;

const edgeStrings = fc.constantFrom(
  '',
  ' ',
  'x'.repeat(300),
  '__proto__',
  'constructor',
  '%E0%A4%A',
  '1984-06-30',
  '2999-01-01',
  '+1 555 010 0100',
  'a@b.co',
  '<script>',
  '\u0000',
  'null',
);
const strings = fc.oneof(fc.string({ maxLength: 24 }), edgeStrings);
const wrongType = fc.oneof(fc.constant(null), fc.integer(), fc.boolean(), fc.constant([]), fc.constant({}));

export function arbitraryOf(schema: z.ZodType, depth = 0): fc.Arbitrary<unknown> {
  const def = (schema as unknown as { _zod: { def: Def } })._zod.def;
  const inner = (key: string) => arbitraryOf(def[key] as z.ZodType, depth + 1);
  if (depth > 6) return fc.constant(null);
  switch (def.type) {
    case 'string':
      return strings;
    case 'number':
    case 'int':
    case 'bigint':
      return fc.oneof(fc.integer({ min: -2, max: 10 }), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
    case 'boolean':
      return fc.boolean();
    case 'literal':
      return fc.constantFrom(...(def.values as unknown[]));
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries as Record<string, unknown>));
    case 'optional':
      return fc.option(inner('innerType'), { nil: undefined });
    case 'nullable':
      return fc.option(inner('innerType'), { nil: null });
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return inner('innerType');
    case 'pipe':
      return inner('in');
    case 'array':
      return fc.array(inner('element'), { maxLength: 3 });
    case 'union':
      return fc.oneof(...(def.options as z.ZodType[]).map((option) => arbitraryOf(option, depth + 1)));
    case 'record':
      return fc.dictionary(strings, inner('valueType'), { maxKeys: 3 });
    case 'object': {
      const shape = def.shape as Record<string, z.ZodType>;
      const fields = Object.fromEntries(
        Object.entries(shape).map(([key, field]) => [
          key,
          fc.oneof({ weight: 4, arbitrary: arbitraryOf(field, depth + 1) }, { weight: 1, arbitrary: wrongType }),
        ]),
      );
      return fc.record(fields, { requiredKeys: [] });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A derived value, or one of its mutations: an unknown key, a prototype-polluting key, a type swapped. */
export function mutated(arbitrary: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary },
    { weight: 1, arbitrary: arbitrary.map((v) => (isPlain(v) ? { ...v, zz_unknown: 1 } : v)) },
    {
      weight: 1,
      arbitrary: arbitrary.map((v) =>
        isPlain(v)
          ? JSON.parse(`{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},${JSON.stringify(v).slice(1)}`.replace(/,}$/, '}'))
          : v,
      ),
    },
    { weight: 1, arbitrary: wrongType },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );
}

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
