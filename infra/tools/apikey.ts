/**
 * `npm run apikey -- <create|list|revoke> …`: manage API keys, locally (the
 * running `npm start`) or in AWS (`--aws --table <TableName>` with the usual
 * AWS credentials). Keys are stored hashed; a new key is printed once.
 */
import { parseArgs } from "node:util";
import { ROLES, type Role } from "../../shared/domain/roles";
import { TABLE_TARGET_OPTIONS, TABLE_TARGET_USAGE, useTableTarget } from "./table-target";

const USAGE = `Usage:
  npm run apikey -- create --name <name> --role <viewer|operator|admin> [--storefronts 1,2]
  npm run apikey -- list
  npm run apikey -- revoke <key_id>
Options:
${TABLE_TARGET_USAGE}`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: "string" },
    role: { type: "string" },
    storefronts: { type: "string" },
    ...TABLE_TARGET_OPTIONS,
    help: { type: "boolean", default: false },
  },
});

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function configure(): void {
  const problem = useTableTarget(values);
  if (problem) fail(problem);
}

function parseStorefronts(text: string | undefined): number[] | null {
  if (!text) return null;
  const ids = text.split(",").map((part) => Number(part.trim()));
  if (ids.some((id) => !Number.isInteger(id) || id < 1)) fail("--storefronts takes storefront ids, e.g. 1,2");
  return ids;
}

async function main(): Promise<void> {
  const [command, argument] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return;
  }
  configure();
  const { issueApiKey } = await import("../../shared/domain/api-keys");
  const { listApiKeys, revokeApiKey } = await import("../../shared/data/api-keys");
  switch (command) {
    case "create": {
      if (!values.name) fail("create needs --name");
      if (!ROLES.includes(values.role as Role)) fail(`create needs --role, one of ${ROLES.join(", ")}`);
      const { token, record } = await issueApiKey({ name: values.name, role: values.role as Role, storefrontIds: parseStorefronts(values.storefronts) });
      console.log(`Created key ${record.key_id} (${record.role}${record.storefront_ids ? `, storefronts ${record.storefront_ids.join(",")}` : ""}).`);
      console.log(`API key (shown once): ${token}`);
      return;
    }
    case "list": {
      const keys = await listApiKeys();
      console.table(
        keys.map((key) => ({
          key_id: key.key_id,
          name: key.name,
          role: key.role,
          storefronts: key.storefront_ids?.join(",") ?? "all",
          created_at: key.created_at,
          revoked_at: key.revoked_at ?? "",
        })),
      );
      return;
    }
    case "revoke": {
      if (!argument) fail("revoke needs a key_id (see list)");
      const revoked = await revokeApiKey(argument, new Date().toISOString());
      if (!revoked) fail(`No active key with key_id ${argument}`);
      console.log(`Revoked key ${argument}. Gateways may accept it for up to 5 minutes more (authorizer cache).`);
      return;
    }
    default:
      fail(`Unknown command ${command}`);
  }
}

main().catch((error: unknown) => {
  const name = (error as Error).name;
  if (name === "ResourceNotFoundException") console.error(`Table ${process.env.TABLE_NAME} was not found. Is the hub running (npm start)?`);
  else if ((error as { code?: string }).code === "ECONNREFUSED" || String(error).includes("ECONNREFUSED")) {
    console.error(`Cannot reach DynamoDB at ${process.env.AWS_ENDPOINT_URL_DYNAMODB}. Start the hub first (npm start).`);
  } else console.error(error);
  process.exit(1);
});
