import { describe, expect, it } from "vitest";
import {
  DecryptionError,
  decryptText,
  decryptWithPrivateKey,
  deriveAuthHash,
  deriveMasterKey,
  encryptText,
  encryptToPublicKey,
  fingerprintPhrase,
  generateAccountKeys,
  generateOrganizationKey,
  toBase64,
  unwrapPrivateKey,
} from "@/lib/crypto";

const iterations = 1_000;

describe("account keys", () => {
  it("unwraps the private key with the same password and email", async () => {
    const masterKey = await deriveMasterKey(
      "correct horse",
      "Ada@Example.com",
      iterations,
    );
    const keys = await generateAccountKeys(masterKey);

    const again = await deriveMasterKey(
      "correct horse",
      "ada@example.com ",
      iterations,
    );
    const privateKey = await unwrapPrivateKey(keys.wrappedPrivateKey, again);

    const organizationKey = generateOrganizationKey();
    const sealed = await encryptToPublicKey(organizationKey, keys.publicKey);
    const opened = await decryptWithPrivateKey(sealed, privateKey);
    expect(toBase64(opened)).toBe(toBase64(organizationKey));
  });

  it("fails to unlock with a wrong password", async () => {
    const masterKey = await deriveMasterKey(
      "correct horse",
      "ada@example.com",
      iterations,
    );
    const keys = await generateAccountKeys(masterKey);
    const wrong = await deriveMasterKey(
      "battery staple",
      "ada@example.com",
      iterations,
    );

    await expect(
      unwrapPrivateKey(keys.wrappedPrivateKey, wrong),
    ).rejects.toBeInstanceOf(DecryptionError);
  });

  it("derives an authentication hash that differs from the master key", async () => {
    const masterKey = await deriveMasterKey("pw", "a@b.example", iterations);
    const hash = await deriveAuthHash(masterKey, "pw");

    expect(hash).not.toBe(toBase64(masterKey));
    expect(await deriveAuthHash(masterKey, "pw")).toBe(hash);
    expect(await deriveAuthHash(masterKey, "pw2")).not.toBe(hash);
  });
});

describe("organization key", () => {
  it("encrypts and decrypts vault text", async () => {
    const key = generateOrganizationKey();
    const sealed = await encryptText(key, "hunter2 ✓");

    expect(sealed).not.toContain("hunter2");
    expect(await decryptText(key, sealed)).toBe("hunter2 ✓");
    await expect(
      decryptText(generateOrganizationKey(), sealed),
    ).rejects.toBeInstanceOf(DecryptionError);
  });

  it("rejects a tampered ciphertext", async () => {
    const key = generateOrganizationKey();
    const sealed = await encryptText(key, "note");
    const tampered = sealed.slice(0, -2) + (sealed.endsWith("A") ? "BB" : "AA");

    await expect(decryptText(key, tampered)).rejects.toBeInstanceOf(
      DecryptionError,
    );
  });
});

describe("fingerprintPhrase", () => {
  it("is stable for a key and differs between keys", async () => {
    const masterKey = await deriveMasterKey("pw", "a@b.example", iterations);
    const first = await generateAccountKeys(masterKey);
    const second = await generateAccountKeys(masterKey);

    const phrase = await fingerprintPhrase(first.publicKey);
    expect(phrase).toHaveLength(5);
    expect(await fingerprintPhrase(first.publicKey)).toEqual(phrase);
    expect(await fingerprintPhrase(second.publicKey)).not.toEqual(phrase);
  });
});
