/** What list queries share: date bounds, and paging by page number or cursor. */
import * as v from "valibot";
import { intParam, MAX_PAGE_DEPTH } from "./common";

/** A list filter's date bound: a date (the whole day) or a timestamp. */
export const dateBound = v.pipe(
  v.string(),
  v.check((value) => /^\d{4}-\d{2}-\d{2}($|T)/.test(value) && Number.isFinite(Date.parse(value)), "must be a date (2024-12-01) or an ISO 8601 timestamp"),
);

/** The query fields of a list that pages both ways: page numbers (for compatibility, bounded) or cursors. */
const pageFields = {
  page: v.optional(intParam(1, MAX_PAGE_DEPTH)),
  limit: v.optional(intParam(1, 200), "50"),
  cursor: v.optional(v.string()),
};

type PageQuery = {
  page?: number;
  limit: number;
  cursor?: string;
};

type PagedQueryCheck<TOutput> = v.BaseValidation<TOutput, TOutput, v.CheckIssue<TOutput>>;

/** Checks on the page fields, typed against the whole query they are part of (valibot cannot infer a forwarded path of a generic object). */
const pageChecks = <TOutput>() =>
  [
    v.forward<PageQuery, v.CheckIssue<PageQuery>, ["page"]>(
      v.check((query) => query.page === undefined || query.cursor === undefined, "cannot be combined with cursor"),
      ["page"],
    ),
    v.forward<PageQuery, v.CheckIssue<PageQuery>, ["page"]>(
      v.check((query) => (query.page ?? 1) * query.limit <= MAX_PAGE_DEPTH, `page × limit must be at most ${MAX_PAGE_DEPTH}; use cursor to go further`),
      ["page"],
    ),
  ] as unknown as [PagedQueryCheck<TOutput>, PagedQueryCheck<TOutput>];

/** A list's query schema: its own filters plus page, limit and cursor, with page × limit bounded and page never beside cursor. */
export function pagedListQuery<const TEntries extends v.ObjectEntries>(filters: TEntries) {
  const query = v.object({ ...filters, ...pageFields });
  const [noCursorWithPage, boundedDepth] = pageChecks<v.InferOutput<typeof query>>();
  return v.pipe(query, noCursorWithPage, boundedDepth);
}
