/** Escapes LIKE/ILIKE wildcards (and the escape character) so a value matches only itself. */
export const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);
