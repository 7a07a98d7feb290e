// `npm run admin:create -- --email you@example.org --name "Your Name" [--password …]`:
// creates the first administrator (or makes an existing account one). Without --password a
// strong one is generated and printed once; change it after signing in.
import crypto from "node:crypto";
import { parseArgs } from "node:util";
import { z } from "zod";
import { hashPassword } from "../db/passwords";
import { createUser, findUserByEmail, grantRole } from "../db/queries/users";
import { fail, openForCli } from "./lib/cli";

const { values } = parseArgs({
  options: { email: { type: "string" }, name: { type: "string" }, password: { type: "string" } },
});
const args = z
  .object({
    email: z.email("--email must be an e-mail address"),
    name: z.string().trim().min(2, "--name is required").default("Administrator"),
    password: z.string().min(10, "--password must be at least 10 characters").optional(),
  })
  .safeParse(values);
if (!args.success) fail(args.error.issues.map((i) => i.message).join("\n"));

const { log, database } = await openForCli().catch(fail);
const { email, name } = args.data;
const existing = await findUserByEmail(database.db, email);
let password: string | undefined;
let userId: number;
if (existing) {
  userId = existing.id;
} else {
  password = args.data.password ?? crypto.randomBytes(15).toString("base64url");
  userId = await createUser(database.db, { email, name, passwordHash: await hashPassword(password), locale: "da", verified: true });
}
await grantRole(database.db, userId, "administrator", null);
await database.close();
log.info("administrator ready", { email });
if (password && !args.data.password) process.stdout.write(`Password for ${email}: ${password}\n(shown once; change it after signing in)\n`);
