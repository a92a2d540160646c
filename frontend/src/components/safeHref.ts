const SAFE_URL = /^(https?:|mailto:)/i;

/** A link's address, if it is one we let people follow (web and mail only). */
export function safeHref(url: string): string | undefined {
  const trimmed = url.trim();
  return SAFE_URL.test(trimmed) ? trimmed : undefined;
}
