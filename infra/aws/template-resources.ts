/** A synthesized CloudFormation template, as far as counting its resources needs. */
export interface Template {
  Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
}

/** How many resources of each type a template holds, most numerous first. */
export function resourceCounts(template: Template): [type: string, count: number][] {
  const counts = new Map<string, number>();
  for (const { Type } of Object.values(template.Resources ?? {})) {
    counts.set(Type, (counts.get(Type) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export function countOf(template: Template, type: string): number {
  return Object.values(template.Resources ?? {}).filter((r) => r.Type === type).length;
}
