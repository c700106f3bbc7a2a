/**
 * Fills `{name}` placeholders in a catalog string; a placeholder without a value stays as it is.
 * The one template helper of every component's strings.
 */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in values ? String(values[key]) : whole,
  );
}
