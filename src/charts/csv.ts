/**
 * RFC 4180 CSV text of a chart's data, for "download as CSV".
 */

/** A CSV cell: text, a number (non-finite ones become empty cells) or nothing. */
export type CsvCell = string | number | null | undefined;

/** One field quoted as RFC 4180 requires: in double quotes, inner quotes doubled, when it holds `"`, `,`, CR or LF. */
export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? String(value) : '';
  }
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Rows as CSV text: fields separated by commas, records by CRLF (RFC 4180), ending with a CRLF. */
export function toCsv(rows: Iterable<CsvCell[]>): string {
  const lines: string[] = [];
  for (const row of rows) {
    lines.push(row.map(csvField).join(','));
  }
  return lines.length ? lines.join('\r\n') + '\r\n' : '';
}
