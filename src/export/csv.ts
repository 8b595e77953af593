import { once } from 'node:events';
import { type Response } from 'express';
import { stringify } from 'csv-stringify';

/**
 * A spreadsheet reads a cell starting with = + - @ (or a tab or carriage return before one) as a formula: an email
 * or a group name set by anyone who can write one (an identity provider, an invitee) could run one on the admin's
 * machine. Such a cell is written with a leading single quote, which spreadsheets show as text (OWASP's advice).
 */
export function neutralizeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const cell = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  return neutralizeCell(typeof value === 'object' ? JSON.stringify(value) : String(value));
};

/** `members-northwind-2026-12-07.csv`: ASCII only, so the header needs no encoding. */
export function csvFilename(kind: string, organizationName: string, at = new Date()): string {
  const slug = organizationName
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${kind}${slug ? `-${slug}` : ''}-${at.toISOString().slice(0, 10)}.csv`;
}

/**
 * Writes `pages` as a CSV attachment, page by page: each page is written once the previous one has drained to the
 * client, so memory holds one page whatever the size of the list. Stops reading when the client goes away. A
 * failure after the first byte can no longer change the status: the response is cut short (the download fails
 * rather than looking complete).
 */
export async function sendCsv<Row>(
  res: Response,
  filename: string,
  columns: { header: string; value: (row: Row) => unknown }[],
  pages: AsyncIterable<Row[]>,
): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  const csv = stringify({
    bom: true,
    header: true,
    columns: columns.map((c) => c.header),
    record_delimiter: 'windows',
  });
  csv.pipe(res);
  let gone = false;
  const closed = once(res, 'close').then(() => {
    gone = true;
  });
  try {
    for await (const rows of pages) {
      if (gone) break;
      for (const row of rows) {
        if (!csv.write(columns.map((c) => cell(c.value(row))))) await Promise.race([once(csv, 'drain'), closed]);
        if (gone) break;
      }
    }
    csv.end();
  } catch (err) {
    csv.unpipe(res);
    res.destroy(err as Error);
    throw err;
  }
}
