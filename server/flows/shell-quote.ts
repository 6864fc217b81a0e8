/** POSIX shell single-quoting, safe for any text (quotes, newlines, `$`): the webhook docs' script and the editor's signed curl. */
export const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
