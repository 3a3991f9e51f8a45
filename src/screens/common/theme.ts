// Colour only when the terminal may have it: NO_COLOR (https://no-color.org) set to anything non-empty
// turns every colour off; meaning never depends on colour (errors carry ✗, the focus carries ›).
export function colorEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return !env.NO_COLOR;
}

/** A colour name, or undefined when colour is off (Ink's <Text color={undefined}> prints plain text). */
export function tint(color: string): string | undefined {
  return colorEnabled() ? color : undefined;
}
