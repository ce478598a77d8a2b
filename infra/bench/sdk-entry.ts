/**
 * Generates the baselines a function is compared with: an entry that holds
 * only the AWS SDK clients the function's bundle contains, constructed at
 * module scope as shared/data/client.ts does, and an empty handler. Whatever a
 * function weighs beyond its SDK-only entry is the cost of our code and our
 * other libraries.
 */
import type { SdkClientUse } from "./metafile";

export const EMPTY_HANDLER_SOURCE = "export const handler = async () => ({});\n";

const DOCUMENT_CLIENT_PACKAGE = "@aws-sdk/lib-dynamodb";
const DYNAMODB_PACKAGE = "@aws-sdk/client-dynamodb";

/** A client package with the class its module exports, e.g. DynamoDBClient. */
export interface SdkClientSpec extends SdkClientUse {
  className: string;
}

/**
 * Finds each client package's client class by its exports (every
 * @aws-sdk/client-* exports exactly one `<Service>Client`), so that a client
 * added to the code later needs no table here.
 */
export async function resolveClientSpecs(uses: SdkClientUse[]): Promise<SdkClientSpec[]> {
  return Promise.all(
    uses.map(async (use) => {
      if (use.pkg === DOCUMENT_CLIENT_PACKAGE) return { ...use, className: "DynamoDBDocumentClient" };
      const exports = Object.keys((await import(use.pkg)) as Record<string, unknown>);
      const classes = exports.filter((name) => /^[A-Z][A-Za-z0-9]*Client$/.test(name));
      if (classes.length !== 1) throw new Error(`Expected one client class in ${use.pkg}, found: ${classes.join(", ") || "none"}`);
      return { ...use, className: classes[0]! };
    }),
  );
}

/** The source of an SDK-only entry; with no clients it is the empty handler. */
export function sdkOnlyEntrySource(clients: SdkClientSpec[]): string {
  if (clients.length === 0) return EMPTY_HANDLER_SOURCE;
  const dynamodb = clients.find((client) => client.pkg === DYNAMODB_PACKAGE);
  const documentClient = clients.find((client) => client.pkg === DOCUMENT_CLIENT_PACKAGE);
  const imports: string[] = [];
  // Each client is exported so that tree shaking cannot drop one whose only use is its construction.
  const statements: string[] = [];
  clients.forEach((client, index) => {
    const name = `client${index + 1}`;
    // One DynamoDBClient, wrapped by the document client, as shared/data/client.ts does.
    if (client === dynamodb && documentClient && documentClient.lazy === dynamodb.lazy) return;
    if (client === documentClient) {
      if (!dynamodb) throw new Error(`${DOCUMENT_CLIENT_PACKAGE} without ${DYNAMODB_PACKAGE}`);
      if (client.lazy) {
        statements.push(
          `export const ${name} = () => Promise.all([import("${DYNAMODB_PACKAGE}"), import("${client.pkg}")])` +
            `.then(([base, doc]) => doc.${client.className}.from(new base.${dynamodb.className}({})));`,
        );
      } else {
        imports.push(`import { ${dynamodb.className} } from "${DYNAMODB_PACKAGE}";`, `import { ${client.className} } from "${client.pkg}";`);
        statements.push(`export const ${name} = ${client.className}.from(new ${dynamodb.className}({}));`);
      }
    } else if (client.lazy) {
      // As the function does: the client is in the bundle, but its module runs on first use, not at load.
      statements.push(`export const ${name} = () => import("${client.pkg}").then((sdk) => new sdk.${client.className}({}));`);
    } else {
      imports.push(`import { ${client.className} } from "${client.pkg}";`);
      statements.push(`export const ${name} = new ${client.className}({});`);
    }
  });
  return `${[...imports, ...statements].join("\n")}\n${EMPTY_HANDLER_SOURCE}`;
}

/** Identifies an SDK-only entry, so that functions with the same clients share one baseline bundle. */
export const sdkSetKey = (uses: SdkClientUse[]): string =>
  uses.map((use) => `${use.pkg.replace("@aws-sdk/", "")}${use.lazy ? " (lazy)" : ""}`).join(" + ") || "none";
