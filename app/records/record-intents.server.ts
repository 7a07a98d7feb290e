// The posts a challenge's or solution's page accepts, each named by an `intent` field.
import { parseWithZod } from "@conform-to/zod/v4";
import { redirect } from "@remix-run/node";
import type { PortalContext } from "../context.server";
import { moderationSchema } from "../forms/moderation";
import { proposalSchema } from "../forms/proposal";
import { answerSchema } from "../forms/proposal-answer";
import { reportSchema } from "../forms/report";
import { findChallengeRecord } from "../../db/queries/challenges";
import { currentUser, requireUser, type CurrentUser } from "../accounts/auth.server";
import { canAnswerProposal, canModerate, organisationsOf } from "../lib/permissions";
import { own } from "../lib/lookup";
import { localeOf } from "../lib/language.server";
import { answer, follow, moderate, propose, report } from "./interactions.server";
import { invalidForm, refusedForm, type Outcome } from "../lib/outcome";

const FORMS = { propose: proposalSchema, answer: answerSchema, report: reportSchema, unpublish: moderationSchema } as const;
type FormIntent = keyof typeof FORMS;

export async function handleRecordIntent(request: Request, context: PortalContext, kind: "challenge" | "solution", id: number) {
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const page = `/${kind}s/${id}`;
  const done = (outcome: Outcome) => {
    if (outcome.ok) return redirect(`${page}?notice=${outcome.notice}`);
    throw new Response(outcome.status === 404 ? "Not found" : outcome.status === 409 ? "Conflict" : "Forbidden", { status: outcome.status });
  };

  // Own keys only: "__proto__" or "toString" is an unknown intent, not the object's machinery.
  const known = own(FORMS, intent) !== undefined || intent === "republish" || (kind === "challenge" && (intent === "follow" || intent === "unfollow"));
  if (!known || (kind === "solution" && (intent === "propose" || intent === "answer"))) {
    throw new Response("Unknown action", { status: 400 });
  }
  // Who may try comes first, before the form is read: a refusal never depends on the input.
  const user = intent === "report" ? await currentUser(request, context) : await requireUser(request, context);
  await gate(context, intent, user, kind, id);

  if (intent === "follow" || intent === "unfollow") return done(await follow(context, user!, id, intent === "follow"));
  if (intent === "republish") return done(await moderate(context, user!, kind, id, { unpublish: false }, await localeOf(request)));
  const which = intent as FormIntent;
  const submission = parseWithZod(formData, { schema: FORMS[which] });
  const around = <R,>(result: R) => ({ form: which, result });
  if (submission.status !== "success") return invalidForm(submission, { around });

  let outcome: Outcome;
  const value = submission.value as Record<string, unknown>;
  if (which === "report") {
    outcome = await report(context, user, kind, id, String(value.reason));
  } else {
    if (!user) throw new Response("Forbidden", { status: 403 });
    if (which === "propose") outcome = await propose(context, user, id, { solution: Number(value.solution), pitch: String(value.pitch) });
    else if (which === "answer")
      outcome = await answer(context, user, id, {
        proposal: Number(value.proposal),
        decision: value.decision as "accepted" | "declined",
        answer: String(value.answer),
      });
    else outcome = await moderate(context, user, kind, id, { unpublish: true, reason: String(value.reason) }, await localeOf(request));
  }
  // A refusal with something to say answers on the form; one without is the page's error.
  if (!outcome.ok && (outcome.formErrors || outcome.fieldErrors)) return refusedForm(submission, outcome, { around });
  return done(outcome);
}

async function gate(context: PortalContext, intent: string, user: CurrentUser | null, kind: "challenge" | "solution", id: number) {
  const forbid = () => {
    throw new Response("Forbidden", { status: 403 });
  };
  if (intent === "unpublish" || intent === "republish") {
    if (!canModerate(user)) forbid();
  } else if (intent === "propose") {
    if (organisationsOf(user).length === 0 || !user?.emailVerified) forbid();
  } else if (intent === "answer" && kind === "challenge") {
    const challenge = await findChallengeRecord(context.db, id);
    if (!challenge) throw new Response("Not found", { status: 404 });
    if (!canAnswerProposal(user, challenge)) forbid();
  }
}
