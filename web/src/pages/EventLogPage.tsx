export function EventLogPage() { return null; }
