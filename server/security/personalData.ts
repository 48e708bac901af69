/**
 * Personal data at rest (ID numbers, phones, addresses): AES-256-GCM with a fresh IV per value, plus a
 * keyed blind index so exact lookups (log in by phone) work without decrypting every record.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from "node:crypto";

const VERSION = "v1";

/** Encrypts and decrypts personal fields with the data key. */
export interface PersonalDataCipher {
  /** `v1:<iv>:<tag>:<ciphertext>` in base64url; an empty string stays empty. */
  encrypt(plain: string): string;
  /** The plain text of a value from `encrypt`; throws on tampering or a wrong key. */
  decrypt(sealed: string): string;
  /** A stable keyed hash of a normalized value, for equality lookups. */
  blindIndex(plain: string): string;
}

/**
 * Builds the cipher from the 32-byte data key; separate subkeys keep encryption and indexing apart.
 * @param dataKey the AES-256 key from configuration or the data directory.
 */
export function createPersonalDataCipher(dataKey: Buffer): PersonalDataCipher {
  if (dataKey.length !== 32) throw new Error("the data key must be 32 bytes");
  const encryptionKey = Buffer.from(
    hkdfSync("sha256", dataKey, Buffer.alloc(0), "govinfo personal data", 32),
  );
  const indexKey = Buffer.from(hkdfSync("sha256", dataKey, Buffer.alloc(0), "govinfo blind index", 32));
  return {
    encrypt(plain) {
      if (plain === "") return "";
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", encryptionKey, iv);
      const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return [
        VERSION,
        iv.toString("base64url"),
        cipher.getAuthTag().toString("base64url"),
        data.toString("base64url"),
      ].join(":");
    },
    decrypt(sealed) {
      if (sealed === "") return "";
      const [version, iv, tag, data] = sealed.split(":");
      if (version !== VERSION || !iv || !tag || data === undefined) throw new Error("not an encrypted value");
      const decipher = createDecipheriv("aes-256-gcm", encryptionKey, Buffer.from(iv, "base64url"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString(
        "utf8",
      );
    },
    blindIndex(plain) {
      return createHmac("sha256", indexKey).update(plain.trim().toUpperCase()).digest("base64url");
    },
  };
}
