// The "E-mails about news" section of /me: which subscriptions a person may have, and saving
// their choice (a plain form post with intent "notifications", so it works without JavaScript).
// Entrepreneurs (members of a non-municipal organisation) may hear of new challenges matching
// their solutions, staff of new solutions matching their challenges, anyone who follows a
// challenge of its status changes; each immediately or in a weekly digest.
import { listSubscriptions, saveSubscriptions } from "../../db/queries/notifications";
import { followsAnyChallenge } from "../../db/queries/proposals";
import type { SubscriptionTopic } from "../../db/schema";
import type { PortalContext } from "../context.server";
import type { CurrentUser } from "../accounts/auth.server";
import type { DeliveryChoice, NotificationChoices } from "../forms/me";
import { administrationsOf, organisationsOf } from "../lib/permissions";
import { refusal, type Outcome } from "../lib/outcome";

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

/** Saves the section's form (app/forms/me.ts): the topics chosen, each one the person may have. */
export async function saveNotificationSettings(context: Pick<PortalContext, "db">, user: CurrentUser, choices: NotificationChoices): Promise<Outcome> {
  const offered = await offeredTopics(context, user);
  const chosen = Object.entries(choices).filter(([, v]) => v !== undefined) as Array<[SubscriptionTopic, DeliveryChoice]>;
  // A topic the person may not have, or no choice at all, is a form nobody rendered.
  if (chosen.length === 0 || chosen.some(([topic, v]) => v !== "off" && !offered.includes(topic))) return refusal(400, "notify.settings.invalid");
  // Mail goes only to confirmed addresses: nobody can sign someone else's address up for news.
  if (!user.emailVerified && chosen.some(([, v]) => v !== "off")) return refusal(400, "notify.settings.verifyFirst");
  await saveSubscriptions(context.db, user.id, chosen);
  return { ok: true, notice: "saved" };
}
