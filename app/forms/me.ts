// The forms on a person's own page (/me): sending the verification mail again, and which
// e-mails about news they get (each topic off, at once, or in a weekly digest).
import { z } from "zod";

export const DELIVERY_CHOICES = ["off", "immediate", "weekly"] as const;
export type DeliveryChoice = (typeof DELIVERY_CHOICES)[number];

const choice = z.enum(DELIVERY_CHOICES);

export const meSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("resend-verification") }),
  z.object({
    intent: z.literal("notifications"),
    matching_challenges: choice.optional(),
    matching_solutions: choice.optional(),
    followed_challenges: choice.optional(),
  }),
]);
export type NotificationChoices = Omit<Extract<z.infer<typeof meSchema>, { intent: "notifications" }>, "intent">;
