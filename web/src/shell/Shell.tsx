import { useQuery } from '@apollo/client/react';
import { Anchor, AppShell, Burger, Button, Center, Group, Loader, NavLink, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { createContext, useContext } from 'react';
import { Link, Navigate, NavLink as RouterNavLink, Outlet, useLocation, useMatch, useNavigate } from 'react-router';
import { client, isUnauthenticated } from '../apollo';
import { authRequest } from '../auth';
import { graphql } from '../gql';
import type { ViewerQuery } from '../gql/graphql';
import { UnsavedChangesProvider } from '../ui/UnsavedChanges';
import { RequestError } from '../ui/UserErrors';
import { ConnectionBanner } from './ConnectionBanner';
import { ORGANIZATION_HEADER } from './OrgScope';
import { OrganizationSwitcher } from './OrganizationSwitcher';
import { useSessionEndedRedirect } from './useSessionEndedRedirect';

const VIEWER = graphql(`
  query Viewer {
    viewer {
      user {
        id
        email
        name
      }
    }
  }
`);

type Viewer = ViewerQuery['viewer'];
const ViewerContext = createContext<Viewer | null>(null);

export function useViewer(): Viewer {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error('useViewer outside RequireViewer');
  return viewer;
}

/** Pages behind sign-in: without a session the console goes to /sign-in and comes back afterwards. */
export function RequireViewer() {
  const location = useLocation();
  const { data, error } = useQuery(VIEWER, { fetchPolicy: 'network-only' });
  if (error && isUnauthenticated(error)) {
    const returnTo = `${location.pathname}${location.search}`;
    return <Navigate to={`/sign-in?returnTo=${encodeURIComponent(returnTo)}`} replace />;
  }
  if (error) return <RequestError error={error} />;
  if (!data) {
    return (
      <Center h="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  return (
    <ViewerContext.Provider value={data.viewer}>
      <Outlet />
    </ViewerContext.Provider>
  );
}

export async function signOut(navigate: (to: string) => void): Promise<void> {
  await authRequest('/auth/sign-out');
  await client.clearStore();
  navigate('/sign-in');
}

const navigation = (orgId: string) => [
  { to: `/orgs/${orgId}/members`, label: 'Members' },
  { to: `/orgs/${orgId}/groups`, label: 'Groups' },
  { to: `/orgs/${orgId}/settings/scim`, label: 'SCIM provisioning', section: 'Settings' },
  { to: `/orgs/${orgId}/settings/webhooks`, label: 'Webhooks' },
  { to: `/orgs/${orgId}/events`, label: 'Event log', section: 'Reporting' },
];

/** Header (who is signed in, Account, Sign out) and, inside an organization, its name and navigation. */
export function Shell() {
  const [opened, { toggle, close }] = useDisclosure();
  const viewer = useViewer();
  const navigate = useNavigate();
  const orgId = useMatch('/orgs/:orgId/*')?.params.orgId;
  const location = useLocation();
  useSessionEndedRedirect();
  // The organization's name, from the query its pages read anyway (one request, one cached answer).
  const header = useQuery(ORGANIZATION_HEADER, { variables: { id: orgId ?? '' }, skip: !orgId });
  const orgName = header.data?.organization?.name;

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <AppShell
        header={{ height: 56 }}
        navbar={orgId ? { width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } } : undefined}
        padding="md"
      >
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              {orgId && (
                <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
              )}
              <Anchor component={Link} to="/" fw={700} c="dark" underline="never">
                orgd console
              </Anchor>
            </Group>
            <Group gap="xs" wrap="nowrap">
              <Text size="sm" visibleFrom="sm" c="dimmed">
                {viewer.user.email}
              </Text>
              <Button component={Link} to="/account" variant="subtle" size="compact-sm">
                Account
              </Button>
              <Button variant="default" size="compact-sm" onClick={() => void signOut(navigate)}>
                Sign out
              </Button>
            </Group>
          </Group>
        </AppShell.Header>
        {orgId && (
          <AppShell.Navbar p="sm" aria-label="Organization">
            <OrganizationSwitcher orgId={orgId} orgName={orgName} onSwitch={close} />
            {navigation(orgId).map((l) => (
              <div key={l.to}>
                {l.section && (
                  <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="sm" mb={4} px="sm">
                    {l.section}
                  </Text>
                )}
                <NavLink
                  component={RouterNavLink}
                  to={l.to}
                  label={l.label}
                  active={location.pathname.startsWith(l.to)}
                  variant="filled"
                  onClick={close}
                />
              </div>
            ))}
          </AppShell.Navbar>
        )}
        <AppShell.Main id="main" tabIndex={-1}>
          <ConnectionBanner />
          <UnsavedChangesProvider>
            <Outlet />
          </UnsavedChangesProvider>
        </AppShell.Main>
      </AppShell>
    </>
  );
}
