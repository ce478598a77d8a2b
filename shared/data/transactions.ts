import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";

/**
 * Why a TransactWriteItems was cancelled, one code per action in request
 * order ("None" for actions that were fine, "ConditionalCheckFailed", ...);
 * `undefined` when the error is not a cancellation.
 */
export function cancellationCodes(error: unknown): string[] | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  return (error.CancellationReasons ?? []).map((reason) => reason.Code ?? "None");
}

/** Whether the transaction was cancelled because the condition of the action at `index` failed. */
export function conditionFailedAt(error: unknown, index: number): boolean {
  return cancellationCodes(error)?.[index] === "ConditionalCheckFailed";
}
