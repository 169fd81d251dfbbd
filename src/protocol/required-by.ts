/**
 * A rule a zod object shape cannot say: the field a payload needs, decided by
 * the value of another field ("media is required for image messages"). One
 * table gives both the check the gateway runs (a superRefine) and the same rule
 * as JSON Schema if/then, which z.toJSONSchema publishes from the schema's
 * .meta(); so docs/asyncapi.yaml cannot drift from what the gateway enforces.
 */
import type { z } from 'zod';

interface RequiredByRule<K extends string, V extends string, F extends string> {
  /** The field that decides, e.g. `type`. */
  key: K;
  /** Its value when a payload leaves it out: the schema's default. */
  byDefault: NoInfer<V>;
  /** The field each value needs, present and not empty. */
  needs: Record<V, F>;
  /** The issue when it is missing, e.g. `is required for image messages`. */
  issue: (value: V) => string;
}

export function requiredBy<K extends string, V extends string, F extends string>(rule: RequiredByRule<K, V, F>) {
  return {
    check(payload: Record<K, V> & Partial<Record<F, unknown>>, ctx: z.RefinementCtx): void {
      const value = payload[rule.key];
      const field = rule.needs[value];
      if (!payload[field]) ctx.addIssue({ code: 'custom', path: [field], message: rule.issue(value) });
    },
    jsonSchema: { allOf: ifThen(rule) },
  };
}

/** One if/then per needed field. A payload without `key` has the default, so only the other values' `if` requires `key`. */
function ifThen<K extends string, V extends string, F extends string>({ key, byDefault, needs }: RequiredByRule<K, V, F>) {
  const valuesByField = new Map<string, string[]>();
  for (const [value, field] of Object.entries<string>(needs)) valuesByField.set(field, [...(valuesByField.get(field) ?? []), value]);
  return [...valuesByField].map(([field, values]) => ({
    if: { properties: { [key]: { enum: values } }, ...(!values.includes(byDefault) && { required: [key] }) },
    then: { required: [field], properties: { [field]: { minLength: 1 } } },
  }));
}
