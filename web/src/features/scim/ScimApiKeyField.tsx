import { TextInput } from '@mantine/core';
import { formatDateTime, timeAgo } from '../../format';
import { CopyField } from '../../ui/CopyField';

interface StoredKey {
  hint: string;
  createdAt: string;
  lastUsedAt?: string | null;
}

/**
 * The SCIM API key: in full (to copy) right after it is issued, else masked with its hint, since the server keeps
 * only a hash and shows a key once.
 */
export function ScimApiKeyField({ revealedKey, apiKey }: { revealedKey: string | null; apiKey?: StoredKey | null }) {
  if (revealedKey)
    return (
      <CopyField
        label="SCIM API key"
        value={revealedKey}
        description="Shown this once: copy it into your identity provider now."
      />
    );
  const hint = apiKey?.hint;
  return (
    <TextInput
      label="SCIM API key"
      readOnly
      value={
        hint ? `${'•'.repeat(16)}${hint.replace(/^…/, '')}` : 'No key yet: save with Enable SCIM checked to issue one'
      }
      description={
        apiKey
          ? `Ends in ${hint}. Issued ${formatDateTime(apiKey.createdAt)}; ${apiKey.lastUsedAt ? `last used ${timeAgo(apiKey.lastUsedAt)}` : 'never used yet'}. The full key was shown once, when it was issued.`
          : undefined
      }
      styles={{ input: { fontFamily: 'monospace' } }}
    />
  );
}
