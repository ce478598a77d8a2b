import * as v from "valibot";
import { ValidationError, type FieldIssue } from "../http/errors";

/** Validates `input` against `schema`, throwing a 400 that names every offending field. */
export function parseWith<S extends v.GenericSchema>(schema: S, input: unknown, root = "body"): v.InferOutput<S> {
  const result = v.safeParse(schema, input, { abortPipeEarly: true });
  if (result.success) return result.output;
  throw new ValidationError(result.issues.map((issue) => toFieldIssue(issue, root)));
}

function toFieldIssue(issue: v.BaseIssue<unknown>, root: string): FieldIssue {
  const path = v.getDotPath(issue);
  return { field: path ? `${root}.${path}` : root, message: issue.message };
}
