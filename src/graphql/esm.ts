/**
 * `jose` is published as ECMAScript modules only. Node loads it with import(); going through Function
 * keeps CommonJS transpilers (swc under Jest) from rewriting that import() into a require().
 */
const importEsm = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

export type Jose = typeof import('jose');

let jose: Promise<Jose> | undefined;

export function loadJose(): Promise<Jose> {
  jose ??= importEsm('jose') as Promise<Jose>;
  return jose;
}
