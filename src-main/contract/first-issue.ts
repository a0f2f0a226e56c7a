// One wording for every validation error in the contract.
import type * as v from 'valibot';

/** "Invalid <what> at <field>: <what was wrong>", from valibot's first issue. */
export function firstIssue(what: string, issues: readonly v.BaseIssue<unknown>[]): string {
  const issue = issues[0];
  const path = issue.path?.map((p) => String(p.key)).join('.') ?? '';
  return `Invalid ${what} at ${path || '(message)'}: ${issue.message}`;
}
