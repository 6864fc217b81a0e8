/** The test panel's starting payload: a small e-commerce order. */
export const SAMPLE_ORDER = {
  id: 'ord_1001', currency: 'EUR', email: 'ada@example.com',
  customer: { name: 'Ada Lovelace', country: 'GB' },
  items: [{ sku: 'TSHIRT-M', qty: 2, price: 19.5 }, { sku: 'MUG', qty: 1, price: 9 }],
  createdAt: '2026-11-28T10:00:00Z',
};
