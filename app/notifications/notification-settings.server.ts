// The "E-mails about news" section of /me: which subscriptions a person may have, and saving
// their choice (a plain form post with intent "notifications", so it works without JavaScript).
// Entrepreneurs (members of a non-municipal organisation) may hear of new challenges matching
// their solutions, staff of new solutions matching their challenges, anyone who follows a
// challenge of its status changes; each immediately or in a weekly digest.
import { data, redirect } from "@remix-run/node";
import { z } from "zod";
import { listSubscriptions, saveSubscriptions } from "../../db/queries/notifications";
import { followsAnyChallenge } from "../../db/queries/proposals";
import type { SubscriptionTopic } from "../../db/schema";
import type { PortalContext } from "../context.server";
import type { CurrentUser } from "../accounts/auth.server";
import { administrationsOf, organisationsOf } from "../lib/permissions";

export const DELIVERY_CHOICES = ["off", "immediate", "weekly"] as const;
export type DeliveryChoice = (typeof DELIVERY_CHOICES)[number];

export interface NotificationSettings {
  topics: Array<{ topic: SubscriptionTopic; delivery: DeliveryChoice }>;
}

async function offeredTopics(context: Pick<PortalContext, "db">, user: CurrentUser): Promise<SubscriptionTopic[]> {
  const follows = await followsAnyChallenge(context.db, user.id);
  const existing = (await listSubscriptions(context.db, user.id)).map((s) => s.topic);
  const offered: SubscriptionTopic[] = [];
  if (organisationsOf(user).length > 0 || existing.includes("matching_challenges")) offered.push("matching_challenges");
  if (administrationsOf(user).length > 0 || existing.includes("matching_solutions")) offered.push("matching_solutions");
  // Whoever has one may always turn it off, even after leaving the organisation or every follow.
  if (follows || existing.includes("followed_challenges")) offered.push("followed_challenges");
  return offered;
}

export async function loadNotificationSettings(context: Pick<PortalContext, "db">, user: CurrentUser): Promise<NotificationSettings> {
  const current = new Map((await listSubscriptions(context.db, user.id)).map((s) => [s.topic, s.delivery]));
  return { topics: (await offeredTopics(context, user)).map((topic) => ({ topic, delivery: current.get(topic) ?? "off" })) };
}

const choice = z.enum(DELIVERY_CHOICES);
const schema = z.object({
  matching_challenges: choice.optional(),
  matching_solutions: choice.optional(),
  followed_challenges: choice.optional(),
});

/** Saves the section's form: a redirect back on success, 400 with a translation key otherwise. */
export async function saveNotificationSettings(context: Pick<PortalContext, "db">, user: CurrentUser, form: FormData) {
  const parsed = schema.safeParse(Object.fromEntries(form));
  const offered = await offeredTopics(context, user);
  const chosen = parsed.success ? (Object.entries(parsed.data).filter(([, v]) => v !== undefined) as Array<[SubscriptionTopic, DeliveryChoice]>) : [];
  // A topic the person may not have, or no choice at all, is a form nobody rendered.
  if (!parsed.success || chosen.length === 0 || chosen.some(([topic, v]) => v !== "off" && !offered.includes(topic))) {
    return data({ notifyError: "notify.settings.invalid" }, { status: 400 });
  }
  // Mail goes only to confirmed addresses: nobody can sign someone else's address up for news.
  if (!user.emailVerified && chosen.some(([, v]) => v !== "off")) {
    return data({ notifyError: "notify.settings.verifyFirst" }, { status: 400 });
  }
  await saveSubscriptions(context.db, user.id, chosen);
  return redirect("/me?notice=saved#notifications");
}
