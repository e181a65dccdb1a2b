// The placeholder a generated policy holds where the current owner secret goes when the server does not know it
// (it never holds plain secrets). The schema refuses it, so a generated file cannot be deployed by mistake.

const PREFIX = '<current secret of owner client ';

export function secretPlaceholder(clientId: string): string {
  return `${PREFIX}${clientId}>`;
}

/** The client id a placeholder names, or undefined when the value is not a placeholder. */
export function placeholderClientId(value: string): string | undefined {
  return value.startsWith(PREFIX) && value.endsWith('>') ? value.slice(PREFIX.length, -1) : undefined;
}
