export function ScimSettingsPage() { return null; }
