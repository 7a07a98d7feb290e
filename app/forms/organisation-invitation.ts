// An organisation's owner invites a colleague by address.
import { z } from "zod";
import { emailField, oneOf } from "../lib/forms";

export const inviteSchema = z.object({
  intent: z.literal("invite"),
  email: emailField,
  role: oneOf(["member", "owner"] as const),
});
