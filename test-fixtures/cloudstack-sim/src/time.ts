/** CloudStack's date format, `yyyy-MM-dd'T'HH:mm:ssZ` in UTC: 2024-05-01T10:15:00+0000. */
export function csDate(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}+0000`;
}
