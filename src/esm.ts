/**
 * `jose` is published as ECMAScript modules only. Node 20.19+ loads it with require() (require(esm));
 * under Jest, jest.config.js transforms it to CommonJS. (A dynamic import() through Function was flaky
 * under Jest's VM modules when test files shared a worker.)
 */
import * as josePackage from 'jose';

export type Jose = typeof josePackage;

export async function loadJose(): Promise<Jose> {
  return josePackage;
}
