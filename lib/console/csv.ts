/**
 * One CSV line (RFC 4180): every cell quoted, quotes doubled. A cell that a
 * spreadsheet would read as a formula (starting with = + - @, a tab or a
 * carriage return) gets a leading apostrophe, so that an email address or a
 * group name chosen by someone else cannot run in the administrator's
 * spreadsheet (OWASP "CSV injection").
 */
export function csvLine(cells: readonly (string | number | null)[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

export function csvCell(value: string | number | null): string {
  let text = value === null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}
