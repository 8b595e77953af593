import { Button, Code, CopyButton, Group, List, Paper, Text, Title } from '@mantine/core';
import { PROVIDER_LABELS } from '../../format';
import { ScimConnectionChip } from './ScimConnectionChip';
import { GUIDES, type GuideValue } from './scimGuides';

/** One of orgd's values under the identity provider's name for its field, with a Copy button beside it. */
function ValueRow({ label, value }: { label: string; value: string | null }) {
  return (
    <Group gap="xs" wrap="wrap" mt={4}>
      <Text size="sm" fw={700} component="span">
        {label}
      </Text>
      {value ? (
        <>
          <Code style={{ overflowWrap: 'anywhere' }}>{value}</Code>
          <CopyButton value={value}>
            {({ copied, copy }) => (
              <Button
                size="compact-xs"
                variant={copied ? 'light' : 'default'}
                onClick={copy}
                aria-label={`Copy ${label}`}
              >
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
        </>
      ) : (
        <Text size="sm" component="span">
          the SCIM API key above (shown once, when issued: Rotate key issues a new one)
        </Text>
      )}
    </Group>
  );
}

/** How to connect the chosen identity provider, step by step, with orgd's values to copy where they go. */
export function ScimSetupGuide({
  orgId,
  provider,
  endpointUrl,
  revealedKey,
}: {
  orgId: string;
  provider: string;
  endpointUrl: string;
  /** The key while it is on screen (right after it was issued); otherwise the step points at the key field. */
  revealedKey: string | null;
}) {
  const guide = GUIDES[provider] ?? GUIDES.DEFAULT;
  const name = PROVIDER_LABELS[provider] ?? provider;
  const valueOf = (v: GuideValue) => (v.value === 'url' ? endpointUrl : revealedKey);
  return (
    <Paper withBorder p="md" aria-labelledby="setup-title" component="section">
      <Group gap="sm" mb="xs">
        <Title order={2} size="h4" id="setup-title">
          Set up {name}
        </Title>
        <ScimConnectionChip orgId={orgId} name={name} />
      </Group>
      <List type="ordered" size="sm" spacing={6}>
        {guide.steps.map((step) => (
          <List.Item key={step.text}>
            {step.text}
            {step.values?.map((v) => (
              <ValueRow key={v.label} label={v.label} value={valueOf(v)} />
            ))}
            {step.fields?.map(([label, what]) => (
              <Text key={label} size="sm" mt={4}>
                <strong>{label}</strong>: {what}
              </Text>
            ))}
          </List.Item>
        ))}
      </List>
      {guide.caveats && (
        <>
          <Title order={3} size="h5" mt="md" mb={4}>
            Good to know
          </Title>
          <List size="sm" spacing={4}>
            {guide.caveats.map((c) => (
              <List.Item key={c}>{c}</List.Item>
            ))}
          </List>
        </>
      )}
    </Paper>
  );
}
