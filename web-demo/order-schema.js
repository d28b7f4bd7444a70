// The schema for POST /api/orders: the validation playground edits it, and applying it there
// makes it the one the guard checks orders against.
export const ORDER_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['sku', 'qty'],
  additionalProperties: false,
  properties: {
    sku: { type: 'string', pattern: '^[a-z]+-[0-9]+$' },
    qty: {
      type: 'integer', minimum: 1, maximum: 100,
      allOf: [{ maximum: 5, 'x-severity': 'warning', description: 'large orders are reviewed' }],
    },
    email: { type: 'string', pattern: '^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$' },
    note: { type: 'string', maxLength: 200 },
  },
};

// As the guard's routes validate: every error reported, formats as annotations (the spec's default).
export const VALIDATOR_OPTIONS = Object.freeze({ allErrors: true });
