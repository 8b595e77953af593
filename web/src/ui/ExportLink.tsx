import { Button } from '@mantine/core';

/** A query string from a filter: lists joined by commas, empty values left out (the export reads the list's names). */
export function exportQuery(params: Record<string, string | readonly string[] | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    const text = Array.isArray(value) ? value.join(',') : (value as string | null | undefined);
    if (text) q.set(key, text);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * "Export CSV": a same-origin link the session cookie authorizes, so the browser downloads the file itself
 * (streamed by the server, however long the list).
 */
export function ExportLink({ href, label = 'Export CSV' }: { href: string; label?: string }) {
  return (
    <Button component="a" href={href} download variant="default">
      {label}
    </Button>
  );
}
