/**
 * The attribute registry is the one description of SCIM Users and Groups: this walks it and checks that /Schemas,
 * filters, sortBy, PATCH and the repositories' column catalogues all say the same about every attribute.
 */
import {
  GROUP_FILTER_ATTRIBUTES,
  GROUP_SORT_ATTRIBUTES,
  MEMBER_FILTER_ATTRIBUTES,
  MEMBER_SORT_ATTRIBUTES,
  type ResourceFilter,
} from '../../../src/domain/resource-filter';
import { GROUP_FILTER_CATALOGUE, GROUP_SORT_COLUMNS } from '../../../src/repositories/group-filter-sql';
import { MEMBER_FILTER_CATALOGUE, MEMBER_SORT_COLUMNS } from '../../../src/repositories/member-filter-sql';
import { compileFilter } from '../../../src/repositories/filter-sql';
import {
  type ScimAttribute,
  type ScimResourceDeclaration,
  characteristics,
  valueSubAttribute,
  walkAttributes,
} from '../../../src/scim/protocol/attributes';
import { ScimError } from '../../../src/scim/protocol/errors';
import { resolveFilter, sortAttribute } from '../../../src/scim/protocol/filter';
import { normalizePatch } from '../../../src/scim/protocol/patch';
import { applyUserPatch } from '../../../src/scim/users/user-patch';
import { groupPatchPlan } from '../../../src/scim/groups/group-patch';
import { schemaDocuments } from '../../../src/scim/protocol/schemas';
import { type ScimUserState } from '../../../src/scim/protocol/types';
import { GROUP_RESOURCE } from '../../../src/scim/groups/group-attributes';
import { USER_RESOURCE } from '../../../src/scim/users/user-attributes';

const RESOURCES: [ScimResourceDeclaration, typeof MEMBER_FILTER_CATALOGUE, readonly string[], readonly string[]][] = [
  [USER_RESOURCE, MEMBER_FILTER_CATALOGUE, MEMBER_FILTER_ATTRIBUTES, MEMBER_SORT_ATTRIBUTES],
  [GROUP_RESOURCE, GROUP_FILTER_CATALOGUE, GROUP_FILTER_ATTRIBUTES, GROUP_SORT_ATTRIBUTES],
];

/** Every attribute and sub-attribute with the path a client writes for it (URN-qualified in an extension). */
function paths(resource: ScimResourceDeclaration) {
  return [...walkAttributes(resource)].map((entry) => {
    const name = entry.parent ? `${entry.parent.name}.${entry.attribute.name}` : entry.attribute.name;
    const extension = entry.schema !== resource.core;
    return { ...entry, name, path: extension ? `${entry.schema.urn}:${name}` : name };
  });
}

/** What a filter on `attribute` resolves to: its own filter id, or (complex) its `value` sub-attribute's. */
const filterId = (a: ScimAttribute) => a.filter ?? (a.subAttributes ? valueSubAttribute(a)?.filter : undefined);
const sortId = (a: ScimAttribute) => a.sort ?? (a.subAttributes ? valueSubAttribute(a)?.sort : undefined);

function accepted(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (e) {
    if (!(e instanceof ScimError)) throw e;
    return false;
  }
}

describe.each(RESOURCES)('the %s registry', (resource, catalogue, filterIds, sortIds) => {
  const all = paths(resource);

  it('/Schemas lists every attribute that is not common, with the same characteristics', () => {
    const docs = schemaDocuments([USER_RESOURCE, GROUP_RESOURCE], 'https://orgd.example/scim/v2/org');
    for (const { schema, common, attribute, parent, name } of all) {
      if (common) continue;
      const doc = docs.find((d) => d.id === schema.urn);
      const top = (doc?.attributes as Record<string, unknown>[]).find((a) => a.name === (parent ?? attribute).name);
      const listed = parent
        ? (top?.subAttributes as Record<string, unknown>[] | undefined)?.find((a) => a.name === attribute.name)
        : top;
      expect([name, listed]).toEqual([
        name,
        expect.objectContaining({
          type: attribute.type,
          description: attribute.description,
          ...characteristics(attribute),
        }),
      ]);
    }
    const listedCount = docs
      .filter((d) => [resource.core, ...resource.extensions].some((s) => s.urn === d.id))
      .flatMap((d) => d.attributes as { subAttributes?: unknown[] }[])
      .reduce((n, a) => n + 1 + (a.subAttributes?.length ?? 0), 0);
    expect(listedCount).toBe(all.filter((e) => !e.common).length);
  });

  it('a filter on an attribute is accepted iff it is filterable, and resolves to its declared id', () => {
    for (const { attribute, path } of all) {
      const id = filterId(attribute);
      const ok = accepted(() => resolveFilter(resource, `${path} pr`));
      expect([path, ok]).toEqual([path, id !== undefined]);
      if (!id) continue;
      const tree = resolveFilter(resource, `${path} pr`);
      const leaf = tree.kind === 'some' ? tree.filter : tree;
      expect([path, leaf]).toEqual([path, { kind: 'present', attribute: id }]);
    }
  });

  it('sortBy is accepted iff the attribute is sortable', () => {
    for (const { attribute, path } of all) {
      expect([path, sortAttribute(resource, path)]).toEqual([path, sortId(attribute)]);
    }
  });

  it('declares exactly the filter and sort ids of the domain, and the repository has a column for each', () => {
    const declaredFilters = all.map((e) => e.attribute.filter).filter((f): f is string => f !== undefined);
    expect([...declaredFilters].sort()).toEqual([...filterIds].sort());
    const declaredSorts = all.map((e) => e.attribute.sort).filter((s): s is string => s !== undefined);
    expect([...declaredSorts].sort()).toEqual([...sortIds].sort());
    const sortColumns = resource === USER_RESOURCE ? MEMBER_SORT_COLUMNS : GROUP_SORT_COLUMNS;
    expect(Object.keys(sortColumns).sort()).toEqual([...sortIds].sort());
    for (const { attribute, parent, path } of all) {
      if (!attribute.filter) continue;
      const leaf: ResourceFilter = { kind: 'present', attribute: attribute.filter };
      const tree: ResourceFilter =
        parent?.multiValued === true ? { kind: 'some', attribute: parent.name, filter: leaf } : leaf;
      expect([path, accepted(() => compileFilter(catalogue, tree))]).toEqual([path, true]);
    }
  });

  it("the repository's case rule is the attribute's caseExact", () => {
    for (const { attribute, path } of all) {
      if (!attribute.filter || attribute.type !== 'string' || attribute.idValue) continue;
      const { sql } = compileFilter(catalogue, resolveFilter(resource, `${path} eq "x"`));
      expect([path, sql.includes('lower(?)')]).toEqual([path, !characteristics(attribute).caseExact]);
    }
  });
});

describe('PATCH follows mutability', () => {
  const base: ScimUserState = {
    userName: 'u@example.test',
    externalId: 'ext',
    displayName: 'D',
    givenName: 'G',
    familyName: 'F',
    formattedName: 'G F',
    title: 'T',
    emails: [{ value: 'u@example.test', type: 'work', primary: true }],
    phoneNumbers: [{ value: '+1 555 0100', type: 'work', primary: true }],
    active: true,
    employeeNumber: '1',
    costCenter: 'C',
    enterpriseOrganization: 'O',
    division: 'Div',
    department: 'Dep',
    manager: 'M',
  };

  /** A value of the attribute's type, different from `base`'s. */
  function valueFor(a: ScimAttribute, parent?: ScimAttribute): unknown {
    if (a.type === 'boolean') return false;
    if (a.type === 'dateTime') return '2020-01-01T00:00:00Z';
    if (a.type === 'complex' && a.multiValued) return [{ value: 'new@example.test', type: 'other' }];
    if (a.type === 'complex') return Object.fromEntries((a.subAttributes ?? []).map((s) => [s.name, 'new']));
    if (parent?.name === 'emails' && a.name === 'value') return 'new@example.test';
    if (a.name === 'type') return 'other';
    return 'new';
  }

  /** Written: the attribute (and its parent) has a field or stored sub-attributes, and is not read-only. */
  const stored = (a: ScimAttribute): boolean =>
    a.mutability !== 'readOnly' && (a.field !== undefined || (a.subAttributes ?? []).some(stored));

  it('a User attribute changes the state iff it is stored and not read-only; the others are accepted and ignored', () => {
    for (const { attribute, parent, path } of paths(USER_RESOURCE)) {
      const ops = normalizePatch({ Operations: [{ op: 'replace', path, value: valueFor(attribute, parent) }] });
      const next = applyUserPatch(base, ops);
      const writes = stored(attribute) && (!parent || stored(parent));
      expect([path, JSON.stringify(next) !== JSON.stringify(base)]).toEqual([path, writes]);
    }
  });

  it('a Group attribute changes the plan iff it is stored and not read-only', () => {
    const id = '6a1e0f3c-8c0b-4f59-9f5b-2a7a1b7a0001';
    const empty = groupPatchPlan([]);
    for (const { attribute, parent, path } of paths(GROUP_RESOURCE)) {
      const value = parent?.name === 'members' ? id : attribute.name === 'members' ? [{ value: id }] : 'new';
      const plan = groupPatchPlan(normalizePatch({ Operations: [{ op: 'add', path, value }] }));
      const writes = stored(attribute) && (!parent || stored(parent));
      expect([path, JSON.stringify(plan) !== JSON.stringify(empty)]).toEqual([path, writes]);
    }
  });
});
