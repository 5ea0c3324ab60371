const BASE = Date.UTC(2025, 0, 6, 8, 0, 0);

/** Fixed seed timestamps: `at(days, hours)` after 2025-01-06T08:00:00Z, so seeded data is the same on every run. */
export const at = (days: number, hours = 0) => new Date(BASE + (days * 24 + hours) * 3_600_000).toISOString();
