import { useQuery } from '@apollo/client/react';
import { Button, Menu, Text } from '@mantine/core';
import { useNavigate } from 'react-router';
import { ORGANIZATIONS, ORGANIZATIONS_PAGE_SIZE } from '../features/organizations/documents';

/** The same page of another organization (a group of this one has no counterpart there: its list instead). */
function samePageIn(orgId: string): string {
  const rest = window.location.pathname.split('/').slice(3);
  return `/orgs/${orgId}/${rest[0] === 'groups' ? 'groups' : rest.join('/') || 'members'}`;
}

/** The sidebar's head: which organization the pages are about, and a menu to switch to another or to all. */
export function OrganizationSwitcher({
  orgId,
  orgName,
  onSwitch,
}: {
  orgId: string;
  orgName: string | undefined;
  onSwitch: () => void;
}) {
  const navigate = useNavigate();
  const { data } = useQuery(ORGANIZATIONS, { variables: { first: ORGANIZATIONS_PAGE_SIZE }, errorPolicy: 'all' });
  const others = (data?.viewer.organizations.nodes ?? []).filter((o) => o.id !== orgId);
  const go = (to: string) => {
    onSwitch();
    navigate(to);
  };
  return (
    <>
      <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" mb={4}>
        Organization
      </Text>
      <Menu position="bottom-start" width={210}>
        <Menu.Target>
          <Button variant="default" fullWidth justify="space-between" rightSection="▾" mb="xs">
            {orgName ?? '…'}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          {others.map((o) => (
            <Menu.Item key={o.id} onClick={() => go(samePageIn(o.id))}>
              {o.name}
            </Menu.Item>
          ))}
          {others.length > 0 && <Menu.Divider />}
          <Menu.Item onClick={() => go('/')}>All organizations</Menu.Item>
        </Menu.Dropdown>
      </Menu>
    </>
  );
}
