/**
 * The member field table is the one declaration of a profile field: these check that what is derived from it agrees
 * with the SCIM registry and with what the other layers used to spell by hand.
 */
import { MEMBER_FIELDS, MEMBER_FIELD_LIST } from '../../src/domain/member-fields';
import { MEMBER_FILTER_ATTRIBUTES, MEMBER_SORT_ATTRIBUTES } from '../../src/domain/resource-filter';
import { cleanProfile } from '../../src/domain/member-rules';
import { MEMBER_FILTER_CATALOGUE, MEMBER_SORT_COLUMNS } from '../../src/repositories/member-filter-sql';
import { memberViewOfRow } from '../../src/repositories/member-rows';
import { MEMBER_INSERT_COLUMNS } from '../../src/repositories/provisioning.repository';
import { walkAttributes } from '../../src/scim/protocol/attributes';
import { emptyUserState } from '../../src/scim/protocol/types';
import { USER_RESOURCE } from '../../src/scim/users/user-attributes';

const registry = [...walkAttributes(USER_RESOURCE)].map((e) => e.attribute);
/** The state field an attribute writes: its own, or for `manager.value` its parent's. */
const storedIn = [...walkAttributes(USER_RESOURCE)].map((e) =>
  e.attribute.field === 'value' && e.parent?.multiValued !== true
    ? { ...e.attribute, field: e.parent?.field }
    : e.attribute,
);

describe('the member field table', () => {
  it.each(MEMBER_FIELD_LIST.filter((f) => f.filterable))(
    '$id: filterable over SCIM as $attribute, on its column',
    (f) => {
      expect(MEMBER_FILTER_ATTRIBUTES).toContain(f.attribute);
      expect(storedIn.filter((a) => a.filter === f.attribute).map((a) => a.field)).toEqual([f.id]);
      expect(MEMBER_FILTER_CATALOGUE.columns[f.attribute!]).toMatchObject({ sql: `m.${f.column}` });
    },
  );

  it.each(MEMBER_FIELD_LIST.filter((f) => f.sortable))('$id: sortable over SCIM as $attribute', (f) => {
    expect(MEMBER_SORT_ATTRIBUTES).toContain(f.attribute);
    expect(registry.some((a) => a.sort === f.attribute)).toBe(true);
    expect(MEMBER_SORT_COLUMNS[f.attribute as keyof typeof MEMBER_SORT_COLUMNS]).toContain(`m.${f.column}`);
  });

  it('is what the SCIM user state holds (but the login email) and what the registry stores', () => {
    const stateFields = Object.keys(emptyUserState()).filter((k) => k !== 'active');
    expect(stateFields.sort()).toEqual(
      MEMBER_FIELD_LIST.map((f) => f.id)
        .filter((id) => id !== 'email')
        .sort(),
    );
    const stored = registry
      .map((a) => a.field)
      .filter((f) => f !== undefined && !['value', 'type', 'primary'].includes(f));
    expect([...new Set(stored)].sort()).toEqual([...stateFields, 'active'].sort());
  });

  it('gives the create its profile columns and the row reader its values', () => {
    for (const f of MEMBER_FIELD_LIST) expect(MEMBER_INSERT_COLUMNS).toContain(f.column);
    const row = Object.fromEntries(MEMBER_FIELD_LIST.map((f) => [f.column, f.type === 'text' ? `${f.id}!` : '[]']));
    const view = memberViewOfRow({ ...row, permissions: null, created_at: new Date(), updated_at: new Date() });
    for (const f of MEMBER_FIELD_LIST) expect(view[f.id]).toEqual(f.type === 'text' ? `${f.id}!` : []);
  });

  it('bounds every text field by its column size', () => {
    for (const f of MEMBER_FIELD_LIST.filter((x) => x.type === 'text')) {
      expect(() => cleanProfile({ [f.id]: 'x'.repeat(f.length! + 1) })).toThrow(`${f.id} is longer than ${f.length}`);
      expect(cleanProfile({ [f.id]: ` ${'x'.repeat(f.length!)} ` })).toEqual({ [f.id]: 'x'.repeat(f.length!) });
    }
    expect(MEMBER_FIELDS.userName.required).toBe(true);
    expect(() => cleanProfile({ userName: '  ' })).toThrow('userName must not be empty');
    expect(cleanProfile({ title: '  ' })).toEqual({ title: null });
  });
});
