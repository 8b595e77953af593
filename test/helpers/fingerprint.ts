import { type Orm } from '../../src/db';

/** A summary of one organization's rows that changes whenever any of them does. */
export async function orgFingerprint(orm: Orm, organizationId: string): Promise<string> {
  const rows = await orm.em.fork().execute(
    `select
       (select json_agg(json_build_object('id', id, 'v', version, 's', status, 'r', role) order by id) from member where organization_id = ?) as members,
       (select json_agg(json_build_object('id', id, 'v', version, 'n', display_name) order by id) from member_group where organization_id = ?) as groups,
       (select json_agg(json_build_object('g', gm.group_id, 'm', gm.member_id) order by gm.group_id, gm.member_id)
          from group_membership gm join member_group g on g.id = gm.group_id where g.organization_id = ?) as links,
       (select json_build_object('e', enabled, 'p', provider, 'i', invite_users_after_provisioning) from scim_settings where organization_id = ?) as scim,
       (select json_build_object('n', name, 'v', version) from organization where id = ?) as org`,
    [organizationId, organizationId, organizationId, organizationId, organizationId],
  );
  return JSON.stringify(rows[0]);
}
