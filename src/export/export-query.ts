import { type Request } from 'express';
import { MemberRole, MemberSource, MemberStatus } from '../domain/enums';
import { invalidInput } from '../domain/errors';
import { isUuid } from '../domain/ids';
import {
  type AuditFilter,
  type AuditSource,
  type MemberFilter,
  type MemberOrder,
  type MemberOrderField,
} from '../services/export.service';

/**
 * The query string of an export, read as the list's own filter: the same names and limits as GraphQL's
 * MemberFilter / MemberOrder and AuditEventFilter. A list is `statuses=INVITED,ACCEPTED` or the key repeated.
 * Anything it does not accept is a 400 naming the parameter, never an export of something else.
 */
function text(req: Request, name: string, max: number): string | undefined {
  const raw = req.query[name];
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string') throw invalidInput(`"${name}" must be given once`, name);
  if (raw.length > max) throw invalidInput(`"${name}" is longer than ${max} characters`, name);
  return raw;
}

/** `a,b` and `x=a&x=b` alike; a nested value (`x[k]=v`) stays an object, which no list accepts. */
function valuesOf(raw: unknown): unknown[] {
  return (Array.isArray(raw) ? (raw as unknown[]) : [raw]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [v]));
}

function list<T extends string>(req: Request, name: string, allowed: readonly T[], max: number): T[] | undefined {
  const raw = req.query[name];
  if (raw === undefined || raw === '') return undefined;
  const values = valuesOf(raw);
  if (values.length > max) throw invalidInput(`"${name}" takes at most ${max} values`, name);
  for (const v of values)
    if (typeof v !== 'string' || !allowed.includes(v as T))
      throw invalidInput(`"${name}" takes ${allowed.join(', ')}`, name);
  return values as T[];
}

function uuids(req: Request, name: string, max: number): string[] | undefined {
  const raw = req.query[name];
  if (raw === undefined || raw === '') return undefined;
  const values = valuesOf(raw);
  if (values.length > max) throw invalidInput(`"${name}" takes at most ${max} values`, name);
  if (!values.every(isUuid)) throw invalidInput(`"${name}" takes UUIDs`, name);
  return values as string[];
}

function date(req: Request, name: string): Date | undefined {
  const raw = text(req, name, 40);
  if (raw === undefined) return undefined;
  const at = new Date(raw);
  if (Number.isNaN(at.getTime())) throw invalidInput(`"${name}" must be an ISO 8601 date-time`, name);
  return at;
}

const defined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

const ORDER_FIELDS: readonly MemberOrderField[] = ['CREATED_AT', 'EMAIL', 'USER_NAME', 'DISPLAY_NAME'];

export function memberExportQuery(req: Request): { filter: MemberFilter; order: MemberOrder } {
  const filter = defined<MemberFilter>({
    query: text(req, 'query', 200),
    statuses: list(req, 'statuses', Object.values(MemberStatus), 10),
    roles: list(req, 'roles', Object.values(MemberRole), 10),
    sources: list(req, 'sources', Object.values(MemberSource), 10),
    groupIds: uuids(req, 'groupIds', 100),
    email: text(req, 'email', 320),
    userName: text(req, 'userName', 320),
    externalId: text(req, 'externalId', 400),
  });
  const [field] = list(req, 'orderBy', ORDER_FIELDS, 1) ?? ['CREATED_AT'];
  const [direction] = list(req, 'direction', ['ASC', 'DESC'] as const, 1) ?? ['ASC'];
  return { filter, order: { field, direction } };
}

const SOURCES: readonly AuditSource[] = ['CONSOLE', 'SCIM', 'CLI', 'SYSTEM'];

export function eventExportQuery(req: Request): AuditFilter {
  const memberId = uuids(req, 'memberId', 1)?.[0];
  return defined<AuditFilter>({
    types: typesOf(req),
    memberId,
    person: text(req, 'person', 320),
    actor: text(req, 'actor', 320),
    sources: list(req, 'sources', SOURCES, 4),
    from: date(req, 'from'),
    to: date(req, 'to'),
  });
}

/** Event types are free text (as in GraphQL): any value up to 100 characters. */
function typesOf(req: Request): string[] | undefined {
  const raw = req.query.types;
  if (raw === undefined || raw === '') return undefined;
  const values = valuesOf(raw);
  if (values.length > 50) throw invalidInput('"types" takes at most 50 values', 'types');
  if (!values.every((v): v is string => typeof v === 'string')) throw invalidInput('"types" takes text', 'types');
  for (const v of values) if (v.length > 100) throw invalidInput('"types" values are at most 100 characters', 'types');
  return values;
}
