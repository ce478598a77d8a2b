/**
 * The requested cost of a query as Shopify calculates it before running it:
 * a scalar or enum costs 0, an object 1, a connection 2 plus, for each of the
 * `first`/`last` objects it may return, 1 and the cost of what is selected in
 * it; a mutation costs 10. The actual cost, charged after, is often lower.
 */
import { parseOperation, valueOf, type SelectionNode } from "./graphql-document";

/** Shopify refuses a query whose requested cost is above this, however full the bucket. */
export const MAX_SINGLE_QUERY_COST = 1000;
const MUTATION_COST = 10;
const CONNECTION_WRAPPERS = new Set(["edges", "node", "nodes"]);

type Variables = Record<string, unknown>;

const pageSizeOf = (field: Extract<SelectionNode, { kind: "field" }>, variables: Variables): number | undefined => {
  const size = valueOf(field.args.first ?? field.args.last, variables);
  if (typeof size === "number") return size;
  const ids = valueOf(field.args.ids, variables);
  return Array.isArray(ids) ? ids.length : undefined;
};

/** The cost of what one connection node selects: its wrappers are free, pageInfo too. */
function nodeCost(selections: SelectionNode[], variables: Variables): number {
  let cost = 0;
  for (const selection of selections) {
    if (selection.kind === "inline") cost += nodeCost(selection.selections, variables);
    else if (CONNECTION_WRAPPERS.has(selection.name)) cost += nodeCost(selection.selections, variables);
    else if (selection.name !== "pageInfo") cost += selectionCost([selection], variables);
  }
  return cost;
}

function selectionCost(selections: SelectionNode[], variables: Variables): number {
  let cost = 0;
  for (const selection of selections) {
    if (selection.kind === "inline") {
      cost += selectionCost(selection.selections, variables);
      continue;
    }
    if (selection.selections.length === 0) continue;
    const size = pageSizeOf(selection, variables);
    cost += size === undefined ? 1 + selectionCost(selection.selections, variables) : 2 + size * (1 + nodeCost(selection.selections, variables));
  }
  return cost;
}

export function requestedQueryCost(query: string, variables: Variables = {}): number {
  const operation = parseOperation(query);
  if (operation.operation === "mutation") return MUTATION_COST * operation.selections.length;
  return selectionCost(operation.selections, variables);
}

/**
 * The largest page size, up to `wanted`, whose query stays within
 * MAX_SINGLE_QUERY_COST. The cost grows linearly with the page size.
 */
export function pageSizeWithinCost(query: string, variables: Variables, sizeVariable: string, wanted: number, maxCost = MAX_SINGLE_QUERY_COST): number {
  const costAt = (size: number) => requestedQueryCost(query, { ...variables, [sizeVariable]: size });
  if (costAt(wanted) <= maxCost) return wanted;
  const one = costAt(1);
  const perItem = costAt(2) - one;
  const fitting = perItem > 0 ? Math.floor((maxCost - (one - perItem)) / perItem) : wanted;
  return Math.max(1, Math.min(wanted, fitting));
}
