/** Names and ports the local stack and the command-line tools agree on. */
export const LOCAL_TABLE_NAME = "ocean-commerce-hub";
export const LOCAL_DYNAMODB_PORT = 8000;
