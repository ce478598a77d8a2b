import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { DecryptCommand, EncryptCommand, KMSClient } from "@aws-sdk/client-kms";

/**
 * Encrypts storefront credentials before they are stored and decrypts them
 * only where they are used. In AWS the key is a customer-managed KMS key
 * (CREDENTIALS_KMS_KEY_ID); locally it is a 32-byte key file
 * (CREDENTIALS_KEY_FILE). The encryption context binds each ciphertext to its
 * storefront and field, so a value copied onto another record will not decrypt.
 */
export interface EncryptionContext {
  storefront_id: string;
  field: string;
}

export interface CredentialsCipher {
  encrypt(plaintext: string, context: EncryptionContext): Promise<string>;
  decrypt(ciphertext: string, context: EncryptionContext): Promise<string>;
}

const LOCAL_PREFIX = "local:v1:";
const KMS_PREFIX = "kms:v1:";

export function localCipher(key: Buffer): CredentialsCipher {
  if (key.length !== 32) throw new Error("The local credentials key must be 32 bytes");
  const aad = (context: EncryptionContext) => Buffer.from(`${context.storefront_id}|${context.field}`);
  return {
    async encrypt(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(aad(context));
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return LOCAL_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64");
    },
    async decrypt(ciphertext, context) {
      if (!ciphertext.startsWith(LOCAL_PREFIX)) throw new Error("Not a locally encrypted value");
      const raw = Buffer.from(ciphertext.slice(LOCAL_PREFIX.length), "base64");
      const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
      decipher.setAAD(aad(context));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
    },
  };
}

export function kmsCipher(keyId: string): CredentialsCipher {
  // Named imports keep only these two commands in the bundle; the client is made on first use.
  let client: KMSClient | undefined;
  const kms = () => (client ??= new KMSClient({}));
  return {
    async encrypt(plaintext, context) {
      const out = await kms().send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(plaintext, "utf8"), EncryptionContext: { ...context } }));
      return KMS_PREFIX + Buffer.from(out.CiphertextBlob!).toString("base64");
    },
    async decrypt(ciphertext, context) {
      if (!ciphertext.startsWith(KMS_PREFIX)) throw new Error("Not a KMS encrypted value");
      const out = await kms().send(
        new DecryptCommand({
          KeyId: keyId,
          CiphertextBlob: Buffer.from(ciphertext.slice(KMS_PREFIX.length), "base64"),
          EncryptionContext: { ...context },
        }),
      );
      return Buffer.from(out.Plaintext!).toString("utf8");
    },
  };
}

let configured: CredentialsCipher | undefined;

/** The cipher this environment is configured for. */
export function credentialsCipher(): CredentialsCipher {
  if (configured) return configured;
  const kmsKeyId = process.env.CREDENTIALS_KMS_KEY_ID;
  const keyFile = process.env.CREDENTIALS_KEY_FILE;
  if (kmsKeyId) configured = kmsCipher(kmsKeyId);
  else if (keyFile) configured = localCipher(Buffer.from(readFileSync(keyFile, "utf8").trim(), "base64"));
  else throw new Error("Neither CREDENTIALS_KMS_KEY_ID nor CREDENTIALS_KEY_FILE is set");
  return configured;
}
