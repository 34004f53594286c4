/**
 * The key handshake, the same code in the browser and in Node (both have
 * WebCrypto). The server only ever receives what these functions output for
 * it: authentication hashes, public keys and ciphertexts.
 *
 * Ciphertexts are strings: base64url parts joined by ".", first a version tag,
 * so that formats can change later without guessing.
 */
import { wordlist } from "@scure/bip39/wordlists/english.js";

const subtle = globalThis.crypto.subtle;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** PBKDF2-SHA256 rounds for new accounts; stored per account. */
export const DEFAULT_KDF_ITERATIONS = 600_000;
export const MIN_KDF_ITERATIONS = 100_000;

export class DecryptionError extends Error {
  constructor(message = "The key does not open this ciphertext") {
    super(message);
    this.name = "DecryptionError";
  }
}

export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i++) {
    binary += String.fromCharCode(bytes[i]);
  }
  return btoa(binary)
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const normal = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(normal + "=".repeat((4 - (normal.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The master key never leaves the browser that derived it. */
export async function deriveMasterKey(
  password: string,
  email: string,
  iterations: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const material = await subtle.importKey(
    "raw",
    encoder.encode(password),
    "PBKDF2",
    false,
    ["deriveBits"],
  );
  const bits = await subtle.deriveBits(
    {
      name: "PBKDF2",
      hash: "SHA-256",
      salt: encoder.encode(normalizeEmail(email)),
      iterations,
    },
    material,
    256,
  );
  return new Uint8Array(bits);
}

/**
 * What the server stores (hashed again) to check a sign-in: one more PBKDF2
 * round of the master key salted with the password, so that it reveals
 * neither.
 */
export async function deriveAuthHash(
  masterKey: Uint8Array<ArrayBuffer>,
  password: string,
): Promise<string> {
  const material = await subtle.importKey("raw", masterKey, "PBKDF2", false, [
    "deriveBits",
  ]);
  const bits = await subtle.deriveBits(
    {
      name: "PBKDF2",
      hash: "SHA-256",
      salt: encoder.encode(password),
      iterations: 1,
    },
    material,
    256,
  );
  return toBase64(new Uint8Array(bits));
}

/** The AES key that wraps the private key: a separate derivation of the master key. */
async function wrappingKey(masterKey: Uint8Array<ArrayBuffer>) {
  const material = await subtle.importKey("raw", masterKey, "HKDF", false, [
    "deriveKey",
  ]);
  return subtle.deriveKey(
    {
      name: "HKDF",
      hash: "SHA-256",
      salt: new Uint8Array(32),
      info: encoder.encode("account-key-wrap"),
    },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

export interface AccountKeys {
  publicKey: string;
  wrappedPrivateKey: string;
}

/** An RSA-OAEP 2048 key pair, the private half wrapped with the master key. */
export async function generateAccountKeys(
  masterKey: Uint8Array<ArrayBuffer>,
): Promise<AccountKeys> {
  const pair = await subtle.generateKey(
    {
      name: "RSA-OAEP",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    },
    true,
    ["encrypt", "decrypt"],
  );
  const spki = new Uint8Array(await subtle.exportKey("spki", pair.publicKey));
  const pkcs8 = new Uint8Array(
    await subtle.exportKey("pkcs8", pair.privateKey),
  );
  return {
    publicKey: toBase64(spki),
    wrappedPrivateKey: await sealBytes(await wrappingKey(masterKey), pkcs8),
  };
}

/** Opens the wrapped private key; a wrong master key throws DecryptionError. */
export async function unwrapPrivateKey(
  wrappedPrivateKey: string,
  masterKey: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  return openBytes(await wrappingKey(masterKey), wrappedPrivateKey);
}

async function importPrivateKey(pkcs8: Uint8Array<ArrayBuffer>) {
  return subtle.importKey(
    "pkcs8",
    pkcs8,
    { name: "RSA-OAEP", hash: "SHA-256" },
    false,
    ["decrypt"],
  );
}

async function importPublicKey(publicKey: string) {
  return subtle.importKey(
    "spki",
    fromBase64(publicKey),
    { name: "RSA-OAEP", hash: "SHA-256" },
    false,
    ["encrypt"],
  );
}

/** A new organization key: 256 random bits for AES-GCM. */
export function generateOrganizationKey(): Uint8Array<ArrayBuffer> {
  return randomBytes(32);
}

/** Encrypts an organization key to a member's public key (RSA-OAEP). */
export async function encryptToPublicKey(
  organizationKey: Uint8Array<ArrayBuffer>,
  publicKey: string,
): Promise<string> {
  const ciphertext = await subtle.encrypt(
    { name: "RSA-OAEP" },
    await importPublicKey(publicKey),
    organizationKey,
  );
  return `r1.${toBase64(new Uint8Array(ciphertext))}`;
}

export async function decryptWithPrivateKey(
  ciphertext: string,
  privateKey: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  const [version, body] = ciphertext.split(".");
  if (version !== "r1" || !body) throw new DecryptionError("Unknown format");
  try {
    const plain = await subtle.decrypt(
      { name: "RSA-OAEP" },
      await importPrivateKey(privateKey),
      fromBase64(body),
    );
    return new Uint8Array(plain);
  } catch {
    throw new DecryptionError();
  }
}

async function aesKey(raw: Uint8Array<ArrayBuffer>) {
  return subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

async function sealBytes(
  key: CryptoKey,
  plain: Uint8Array<ArrayBuffer>,
): Promise<string> {
  const iv = randomBytes(12);
  const ciphertext = await subtle.encrypt({ name: "AES-GCM", iv }, key, plain);
  return `a1.${toBase64(iv)}.${toBase64(new Uint8Array(ciphertext))}`;
}

async function openBytes(
  key: CryptoKey,
  sealed: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const [version, iv, body] = sealed.split(".");
  if (version !== "a1" || !iv || !body) {
    throw new DecryptionError("Unknown format");
  }
  try {
    const plain = await subtle.decrypt(
      { name: "AES-GCM", iv: fromBase64(iv) },
      key,
      fromBase64(body),
    );
    return new Uint8Array(plain);
  } catch {
    throw new DecryptionError();
  }
}

/** Encrypts text (a vault item, a collection name) with a symmetric key. */
export async function encryptText(
  key: Uint8Array<ArrayBuffer>,
  text: string,
): Promise<string> {
  return sealBytes(await aesKey(key), encoder.encode(text));
}

export async function decryptText(
  key: Uint8Array<ArrayBuffer>,
  sealed: string,
): Promise<string> {
  return decoder.decode(await openBytes(await aesKey(key), sealed));
}

/**
 * A few words derived from a hash of a public key, so that an administrator
 * and a member can compare keys out of band before the organization key is
 * encrypted to it.
 */
export async function fingerprintPhrase(
  publicKey: string,
  words = 5,
): Promise<string[]> {
  const digest = new Uint8Array(
    await subtle.digest("SHA-256", fromBase64(publicKey)),
  );
  // 11 bits per word from the 2048-word list.
  const phrase: string[] = [];
  let bits = 0;
  let buffer = 0;
  for (const byte of digest) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    if (bits >= 11) {
      bits -= 11;
      phrase.push(wordlist[(buffer >> bits) & 0x7ff]);
      buffer &= (1 << bits) - 1;
      if (phrase.length === words) break;
    }
  }
  return phrase;
}
