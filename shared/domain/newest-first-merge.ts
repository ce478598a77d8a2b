/**
 * One page of a newest-first list spread over several storefronts' collections
 * (orders, webhook deliveries): each storefront's collection is read in
 * order, and the page merges them by sort key. A storefront's collection is
 * read (again) only when what was read of it is used up, so a page costs one
 * Query per storefront in the usual case.
 *
 * The cursor holds, for each storefront, where its collection resumes (null:
 * nothing left). A storefront the cursor does not name (created since the
 * first page) has nothing on the following pages.
 */
import { BadRequestError } from "../http/errors";
import { decodeCursor, encodeCursor } from "../data/cursor";

type Key = Record<string, unknown>;

export interface MergeSource<R> {
  /** One Query of a storefront's collection: at most `examine` read, the matches returned with where to continue. */
  read(storefrontId: number, examine: number, startKey: Key | undefined): Promise<{ records: R[]; lastKey: Key | undefined }>;
  /** The record's sort key in its collection (greater is newer). */
  sortKeyOf(record: R): string;
  /** The key a Query continues from after the record. */
  continuationKeyOf(record: R): Key;
  /** Records read per Query when filters may leave most of them out. */
  filtered: boolean;
}

/** Most records one request examines when filters leave most out; past it the page comes back short, with a next_cursor. */
export const MAX_EXAMINED_PER_REQUEST = 20_000;
const FILTERED_QUERY_SIZE = 500;
const START = "start";

interface Lane<R> {
  storefrontId: number;
  buffer: R[];
  readFrom: Key | undefined;
  ended: boolean;
  /** Nothing unplaced lies before this key (undefined: the start). */
  resumeAt: Key | undefined;
}

const invalidCursor = () =>
  new BadRequestError("invalid_cursor", "The cursor is not one this API returned for these parameters", [{ field: "query.cursor", message: "is not a valid cursor" }]);

function lanesFrom<R>(storefrontIds: number[], cursor: string | undefined): Lane<R>[] {
  const value = decodeCursor(cursor) as Record<string, Key | null | typeof START> | undefined;
  if (!Object.values(value ?? {}).every((position) => position === null || position === START || typeof position === "object")) throw invalidCursor();
  return storefrontIds.map((storefrontId) => {
    const position = value === undefined ? START : (value[String(storefrontId)] ?? null);
    const key = position === null || position === START ? undefined : position;
    return { storefrontId, buffer: [], readFrom: key, ended: position === null, resumeAt: key };
  });
}

/** Skips `skip` records, then returns `limit`, newest first, and the cursor of what follows (null at the end). */
export async function newestFirstPage<R>(source: MergeSource<R>, storefrontIds: number[], cursor: string | undefined, skip: number, limit: number) {
  const lanes = lanesFrom<R>(storefrontIds, cursor);
  const placed: R[] = [];
  let examined = 0;
  while (placed.length < skip + limit && examined < MAX_EXAMINED_PER_REQUEST) {
    const dry = lanes.filter((lane) => lane.buffer.length === 0 && !lane.ended);
    if (dry.length > 0) {
      const examine = Math.min(source.filtered ? FILTERED_QUERY_SIZE : skip + limit - placed.length, MAX_EXAMINED_PER_REQUEST - examined);
      examined += examine * dry.length;
      await Promise.all(
        dry.map(async (lane) => {
          const page = await source.read(lane.storefrontId, examine, lane.readFrom);
          lane.buffer.push(...page.records);
          lane.readFrom = page.lastKey;
          lane.ended = page.lastKey === undefined;
          if (page.records.length === 0) lane.resumeAt = page.lastKey;
        }),
      );
      continue;
    }
    const next = lanes
      .filter((lane) => lane.buffer.length > 0)
      .reduce<Lane<R> | undefined>((newest, lane) => (newest && source.sortKeyOf(newest.buffer[0]!) > source.sortKeyOf(lane.buffer[0]!) ? newest : lane), undefined);
    if (!next) break;
    const record = next.buffer.shift()!;
    placed.push(record);
    next.resumeAt = next.buffer.length > 0 ? source.continuationKeyOf(record) : next.readFrom;
  }
  const more = lanes.some((lane) => lane.buffer.length > 0 || !lane.ended);
  const positions = Object.fromEntries(lanes.map((lane) => [String(lane.storefrontId), lane.buffer.length === 0 && lane.ended ? null : (lane.resumeAt ?? START)]));
  return { records: placed.slice(skip), nextCursor: more ? encodeCursor(positions) : null };
}
