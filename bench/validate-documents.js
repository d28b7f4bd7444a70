// The schemas and documents of bench/validate.bench.js: issue 14's three (a 0.5 KB form, a 10 KB
// order of 120 line items with patterns, formats and enums, a 200 KB record array) and the
// earlier order rows (one item, 60 items, ~1 MB), each valid or invalid near its end.

const orderSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['id', 'createdAt', 'status', 'currency', 'customer', 'items'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', format: 'uuid' },
    createdAt: { type: 'string', format: 'date-time' },
    status: { enum: ['pending', 'paid', 'shipped', 'cancelled'] },
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    customer: {
      type: 'object',
      required: ['id', 'email', 'name'],
      properties: {
        id: { type: 'integer', minimum: 1 },
        email: { type: 'string', format: 'email' },
        name: { type: 'string', minLength: 1, maxLength: 100 },
        address: {
          type: 'object',
          required: ['country'],
          properties: {
            line1: { type: 'string', maxLength: 200 },
            city: { type: 'string' },
            zip: { type: 'string', pattern: '^[0-9]{5}$' },
            country: { type: 'string', minLength: 2, maxLength: 2 },
          },
        },
      },
    },
    items: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['sku', 'qty', 'price'],
        additionalProperties: false,
        properties: {
          sku: { type: 'string', pattern: '^SKU-[0-9]{4,}$' },
          name: { type: 'string', maxLength: 200 },
          qty: { type: 'integer', minimum: 1, maximum: 1000 },
          price: { type: 'number', exclusiveMinimum: 0 },
          tags: { type: 'array', items: { type: 'string' }, uniqueItems: true, maxItems: 10 },
          url: { type: 'string', format: 'uri' },
          gift: { type: 'boolean' },
          unit: { enum: ['pc', 'kg', 'm', 'l'] },
          ships: { type: 'string', format: 'date' },
        },
      },
    },
    notes: { type: ['string', 'null'] },
  },
};

const customer = {
  id: 42, email: 'ana@example.com', name: 'Ana Déjà',
  address: { line1: '1 Rue de la Paix', city: 'Paris', zip: '75002', country: 'FR' },
};

function order(items, item) {
  return {
    id: '0b6f9a3e-8c1d-4f5a-9e2b-7d4c3a1f0e9b', createdAt: '2026-11-22T10:15:00Z', status: 'paid',
    currency: 'EUR', customer, items: Array.from({ length: items }, (_, i) => item(i)), notes: null,
  };
}

// The earlier rows' line item: ~140 bytes, a uri and tags.
const wideItem = (i) => ({
  sku: `SKU-${1000 + i}`, name: `Item ${i}`, qty: (i % 7) + 1, price: 19.99 + i,
  tags: ['new', 'sale'], url: `https://shop.example.com/p/${i}`, gift: i % 3 === 0,
});

// Issue 14's line item: ~80 bytes of pattern, enum, format, integer and number.
const smallItem = (i) => ({
  sku: `SKU-${1000 + i}`, qty: (i % 7) + 1, price: 19.99 + i, unit: ['pc', 'kg', 'm', 'l'][i % 4],
  ships: `2026-12-${String(1 + (i % 28)).padStart(2, '0')}`, gift: i % 3 === 0,
});

const formSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['name', 'email', 'password', 'country', 'terms'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 80 },
    email: { type: 'string', format: 'email' },
    password: { type: 'string', minLength: 12, maxLength: 128 },
    birthday: { type: 'string', format: 'date' },
    phone: { type: 'string', pattern: '^\\+[1-9][0-9]{6,14}$' },
    country: { enum: ['FR', 'DE', 'ES', 'IT', 'NL', 'BE', 'PT', 'GB', 'US', 'CA'] },
    age: { type: 'integer', minimum: 13, maximum: 130 },
    website: { type: 'string', format: 'uri' },
    interests: { type: 'array', items: { enum: ['news', 'sales', 'events', 'jobs'] }, uniqueItems: true },
    address: {
      type: 'object',
      required: ['line1', 'city', 'zip'],
      properties: {
        line1: { type: 'string', maxLength: 200 },
        line2: { type: 'string', maxLength: 200 },
        city: { type: 'string', maxLength: 100 },
        zip: { type: 'string', pattern: '^[0-9A-Z -]{3,10}$' },
      },
    },
    newsletter: { type: 'boolean' },
    terms: { const: true },
    referrer: { type: ['string', 'null'] },
  },
};

function form(invalid) {
  return {
    name: 'Ana Déjà', email: 'ana.deja@example.com', password: 'correct horse battery',
    birthday: '1990-04-17', phone: '+33612345678', country: 'FR', age: 36,
    website: 'https://ana.example.com/about', interests: ['news', 'events'],
    address: { line1: '1 Rue de la Paix', line2: 'Bâtiment B', city: 'Paris', zip: '75002' },
    newsletter: true, referrer: null, terms: !invalid,  // an error near the end
  };
}

const recordSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'array',
  items: {
    type: 'object',
    required: ['id', 'name', 'email', 'role', 'active', 'score', 'joined'],
    additionalProperties: false,
    properties: {
      id: { type: 'integer', minimum: 1 },
      name: { type: 'string', minLength: 1, maxLength: 100 },
      email: { type: 'string', format: 'email' },
      role: { enum: ['admin', 'editor', 'viewer'] },
      active: { type: 'boolean' },
      score: { type: 'number', minimum: 0, maximum: 100 },
      joined: { type: 'string', format: 'date-time' },
      team: { type: ['string', 'null'], pattern: '^[a-z-]+$' },
    },
  },
};

function records(count, invalid) {
  const doc = Array.from({ length: count }, (_, i) => ({
    id: i + 1, name: `User ${i}`, email: `user${i}@example.com`, role: ['admin', 'editor', 'viewer'][i % 3],
    active: i % 4 !== 0, score: (i * 7.3) % 100, joined: '2025-03-14T09:26:53Z', team: i % 5 ? 'core-infra' : null,
  }));
  if (invalid) doc[count - 1].score = 101;  // an error near the end
  return doc;
}

function invalidOrder(doc) {
  doc.items[doc.items.length - 1].qty = 0;  // an error near the end
  return doc;
}

/** Rows: a label, a schema and a document maker (`invalid` puts one error near the end). */
export const cases = [
  { label: '0.5 KB form', schema: formSchema, make: form },
  { label: '10 KB order/120', schema: orderSchema, make: (bad) => (bad ? invalidOrder : (d) => d)(order(120, smallItem)) },
  { label: '200 KB records', schema: recordSchema, make: (bad) => records(1450, bad) },
  { label: '0.5 KB order', schema: orderSchema, make: (bad) => (bad ? invalidOrder : (d) => d)(order(1, wideItem)) },
  { label: '10 KB order/60', schema: orderSchema, make: (bad) => (bad ? invalidOrder : (d) => d)(order(60, wideItem)) },
  { label: '1 MB order', schema: orderSchema, make: (bad) => (bad ? invalidOrder : (d) => d)(order(6500, wideItem)) },
];
