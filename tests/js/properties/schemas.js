// Small JSON Schemas (2020-12) whose meaning Ajv agrees on, for comparing answers; and the
// broken subschemas every kind of compile failure comes from.
import fc from 'fast-check';
import Ajv2020 from 'ajv/dist/2020.js';

const small = fc.integer({ min: -3, max: 5 });
const scalar = fc.oneof(fc.integer({ min: -2, max: 3 }), fc.constantFrom('a', 'b', '', 'é', true, false, null, 1.5));
const name = fc.constantFrom('a', 'b', 'x', '');
// Patterns whose meaning is the same in every ECMA-262 engine; '.' counts code points.
const pattern = fc.constantFrom('^a', 'b$', '^[0-9]+$', '^\\w*$', '^.{2}$', 'é', '^$', '[A-Z]');

const leaf = fc.oneof(
  fc.constantFrom(true, false, {}),
  fc.record({ type: fc.constantFrom('string', 'integer', 'number', 'object', 'array', 'boolean', 'null', ['string', 'null'], ['integer', 'boolean']) }),
  fc.record({ minimum: small, maximum: small }, { requiredKeys: [] }),
  fc.record({ exclusiveMinimum: small, exclusiveMaximum: small }, { requiredKeys: [] }),
  fc.record({ minLength: fc.nat(3), maxLength: fc.nat(3) }, { requiredKeys: [] }),
  fc.record({ pattern }),
  fc.record({ enum: fc.array(scalar, { minLength: 1, maxLength: 3 }) }),
  fc.record({ const: scalar }),
  // Not '': Ajv 8 passes `required: [""]` on {} (a bug of its own).
  fc.record({ required: fc.uniqueArray(fc.constantFrom('a', 'b', 'x'), { maxLength: 2 }) }),
  fc.record({ minItems: fc.nat(2), maxItems: fc.nat(3), uniqueItems: fc.boolean() }, { requiredKeys: [] }),
  fc.record({ minProperties: fc.nat(2), maxProperties: fc.nat(3) }, { requiredKeys: [] }),
  fc.record({ multipleOf: fc.constantFrom(1, 2, 3, 0.5) }),
  fc.record({ dependentRequired: fc.dictionary(name, fc.uniqueArray(fc.constantFrom('a', 'b', 'x'), { maxLength: 2 }), { maxKeys: 2 }) }),
  fc.record({ propertyNames: fc.oneof(fc.record({ pattern }), fc.record({ maxLength: fc.nat(1) }), fc.record({ enum: fc.constant(['a', 'b']) })) }),
  fc.record({ const: fc.jsonValue({ maxDepth: 1 }) }),
  fc.record({ enum: fc.array(fc.jsonValue({ maxDepth: 1 }), { minLength: 1, maxLength: 3 }) }),
);

/** A schema of depth <= 3 from the keywords above and the applicators. */
export const simpleSchema = fc.letrec((tie) => ({
  schema: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, leaf, tie('node')),
  node: fc.oneof(
    fc.record({ properties: fc.dictionary(name, tie('schema'), { maxKeys: 2 }), additionalProperties: fc.oneof(fc.boolean(), tie('schema')) }, { requiredKeys: ['properties'] }),
    fc.record({ items: tie('schema'), prefixItems: fc.array(tie('schema'), { minLength: 1, maxLength: 2 }) }, { requiredKeys: [] }),
    fc.record({ contains: tie('schema'), minContains: fc.nat(2), maxContains: fc.nat(2) }, { requiredKeys: ['contains'] }),
    fc.record({ patternProperties: fc.dictionary(pattern, tie('schema'), { maxKeys: 2 }), additionalProperties: fc.boolean() }, { requiredKeys: ['patternProperties'] }),
    fc.record({ properties: fc.dictionary(name, tie('schema'), { maxKeys: 2 }), unevaluatedProperties: fc.oneof(fc.boolean(), tie('schema')) }),
    fc.record({ prefixItems: fc.array(tie('schema'), { minLength: 1, maxLength: 2 }), unevaluatedItems: fc.oneof(fc.boolean(), tie('schema')) }),
    fc.record({ dependentSchemas: fc.dictionary(name, tie('schema'), { maxKeys: 2 }) }),
    fc.record({ allOf: fc.array(tie('schema'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ anyOf: fc.array(tie('schema'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ oneOf: fc.array(tie('schema'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie('schema') }),
    fc.record({ if: tie('schema'), then: tie('schema'), else: tie('schema') }, { requiredKeys: ['if'] }),
  ),
})).schema;

/** A simple schema, sometimes reached through $ref from the root. */
export const referencedSchema = fc.oneof(simpleSchema, simpleSchema.map((target) => ({ $defs: { t: target }, $ref: '#/$defs/t' })));

/** Instances likely to hit the schemas' edges. */
export const instance = fc.oneof(
  scalar,
  fc.jsonValue({ maxDepth: 2 }),
  fc.array(scalar, { maxLength: 3 }),
  fc.dictionary(name, fc.oneof(scalar, fc.array(scalar, { maxLength: 2 })), { maxKeys: 3 }),
);

const ajv = new Ajv2020({ strict: false, validateFormats: false });

/**
 * Ajv's answer for `schema` on `value` as JSON carries it (plain objects: Ajv's equality tells
 * a null-prototype {} from {}).
 */
export function reference(schema, value) {
  return ajv.validate(schema, JSON.parse(JSON.stringify(value)));
}

/** Ajv's multipleOf misjudges numbers of 1e21 and more (parseInt of their exponent form). */
export function comparable(value) {
  if (typeof value === 'number') return Math.abs(value) < 1e21;
  if (value !== null && typeof value === 'object') return Object.values(value).every(comparable);
  return true;
}

/** Subschemas that must fail to compile, one per kind of failure. */
export const brokenSubschema = fc.constantFrom(
  { $ref: '#/nope' },
  { $ref: 'https://elsewhere.example/b.json' },
  { type: 'nope' },
  { pattern: '(' },
  { 'x-sanitize': 'bogus' },
  { minLength: -1 },
);

/** `broken` placed somewhere reachable inside an object schema that requires x. */
export const schemaAround = (broken) => fc.constantFrom(
  { type: 'object', required: ['x'], properties: { x: broken } },
  { type: 'object', required: ['x'], allOf: [broken] },
  { type: 'object', required: ['x'], items: broken },
  { type: 'object', required: ['x'], anyOf: [{ type: 'object' }, broken] },
  { type: 'object', required: ['x'], not: { not: broken } },
  { type: 'object', required: ['x'], additionalProperties: broken },
);
