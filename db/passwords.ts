// Password hashes: argon2id through @node-rs/argon2 (a maintained binding of the reference
// implementation), with its defaults m = 19 MiB, t = 2, p = 1 – OWASP's recommended minimum.
import { hash, verify } from "@node-rs/argon2";

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) return false;
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
