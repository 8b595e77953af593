import { Button, Container, Stack, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { Link } from 'react-router';

/** A clear page for what cannot be shown: never a stack trace, never a bare 404. */
interface ErrorPageProps {
  title: string;
  message: string;
  action?: { to: string; label: string } | null;
  /** Outside the console's shell the page is its own <main> landmark. */
  standalone?: boolean;
}

export function ErrorPage({
  title,
  message,
  action = { to: '/', label: 'Go to the console' },
  standalone = false,
}: ErrorPageProps) {
  useEffect(() => {
    document.title = `${title} · orgd`;
  }, [title]);
  return (
    <Container size="sm" py="xl" component={standalone ? 'main' : 'div'}>
      <Stack>
        <Title order={1}>{title}</Title>
        <Text>{message}</Text>
        {action && (
          <div>
            <Button component={Link} to={action.to}>
              {action.label}
            </Button>
          </div>
        )}
      </Stack>
    </Container>
  );
}

export function NotFoundPage() {
  return (
    <ErrorPage
      standalone
      title="Page not found"
      message="There is no page at this address. Check the link, or start from the console."
    />
  );
}
