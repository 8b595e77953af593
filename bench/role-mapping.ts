import { withClient } from './database';

const SET = `mutation($input: GroupRoleMappingSetInput!) {
  groupRoleMappingSet(input: $input) { group { id } userErrors { code message } } }`;
const CLEAR = `mutation($input: GroupRoleMappingClearInput!) {
  groupRoleMappingClear(input: $input) { group { id } userErrors { code message } } }`;

export interface RoleMappingResult {
  /** Wall time of each groupRoleMappingSet ADMIN / groupRoleMappingClear, in ms (successful ones only). */
  set: number[];
  clear: number[];
  errors: string[];
  /** Per round: every member of the group was ADMIN after the set and none was after the clear (checked in SQL). */
  verified: boolean[];
}

async function mutate(port: number, token: string, query: string, input: object): Promise<number> {
  const started = performance.now();
  const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables: { input } }),
  });
  const body = (await res.json()) as {
    data?: Record<string, { group: { id: string } | null; userErrors: { message: string }[] }>;
    errors?: { message: string }[];
  };
  const ms = performance.now() - started;
  const payload = body.data && Object.values(body.data)[0];
  if (!payload?.group)
    throw new Error(body.errors?.[0]?.message ?? payload?.userErrors[0]?.message ?? `HTTP ${res.status}`);
  return ms;
}

/**
 * Sets an ADMIN mapping on a group whose members' roles come from groups, then clears it, `rounds` times, as an
 * owner does over GraphQL: each call recomputes the role of every member of the group in its transaction.
 */
export async function runRoleMapping(
  dbUrl: string,
  port: number,
  org: string,
  token: string,
  groupId: string,
  size: number,
  rounds: number,
): Promise<RoleMappingResult> {
  const result: RoleMappingResult = { set: [], clear: [], errors: [], verified: [] };
  const admins = () =>
    withClient(dbUrl, async (c) => {
      const { rows } = await c.query<{ n: number }>(
        `select count(*)::int as n from group_membership gm join member m on m.id = gm.member_id
          where gm.group_id = $1 and m.role = 'ADMIN'`,
        [groupId],
      );
      return rows[0].n;
    });
  const input = { organizationId: org, groupId };
  for (let round = 0; round < rounds; round++) {
    try {
      result.set.push(await mutate(port, token, SET, { ...input, role: 'ADMIN' }));
      const afterSet = await admins();
      result.clear.push(await mutate(port, token, CLEAR, input));
      const afterClear = await admins();
      result.verified.push(afterSet === size && afterClear === 0);
    } catch (err) {
      result.errors.push((err as Error).message);
      result.verified.push(false);
    }
  }
  return result;
}
