import { Alert, List, Text } from '@mantine/core';
import { isUnauthenticated, isUnreachable } from '../apollo';

export interface UserErrorLike {
  code: string;
  message: string;
  field?: string | null;
}

/** The message of the userError about `field` (shown next to that input), if any. */
export function fieldError(errors: readonly UserErrorLike[] | undefined, ...fields: string[]): string | undefined {
  const hit = errors?.find(
    (e) => e.field && fields.some((f) => e.field === f || e.field!.startsWith(`${f}[`) || e.field!.startsWith(`${f}.`)),
  );
  return hit?.message;
}

/** userErrors that no input on the form can show, as one alert. */
export function FormErrors({
  errors,
  except = [],
  title = 'Not done',
}: {
  errors: readonly UserErrorLike[] | undefined;
  except?: string[];
  title?: string;
}) {
  const rest = (errors ?? []).filter(
    (e) =>
      !e.field || !except.some((f) => e.field === f || e.field!.startsWith(`${f}[`) || e.field!.startsWith(`${f}.`)),
  );
  if (!rest.length) return null;
  return (
    <Alert color="red" title={title} role="alert" mt="sm">
      {rest.length === 1 ? (
        rest[0].message
      ) : (
        <List size="sm">
          {rest.map((e, i) => (
            <List.Item key={i}>{e.message}</List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}

/**
 * A transport or GraphQL error (not a userError): something went wrong on the way. Said once: an unreachable server
 * is the connection banner's to say, and an ended session sends the person to sign in.
 */
export function RequestError({ error }: { error: unknown }) {
  if (!error || isUnreachable(error) || isUnauthenticated(error)) return null;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <Alert color="red" title="Request failed" role="alert" mt="sm">
      {message}
    </Alert>
  );
}

/** A row's own error, under its actions (what the last change to that row was refused for). */
export function RowError({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <Text size="xs" c="var(--mantine-color-error)" role="alert" mt={4}>
      {message}
    </Text>
  );
}
