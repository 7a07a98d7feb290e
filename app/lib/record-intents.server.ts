// The posts a challenge's or solution's page accepts, each named by an `intent` field.
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect } from "@remix-run/node";
import { moderationSchema } from "../components/record-actions";
import type { PortalContext } from "../context.server";
import { answerSchema, proposalSchema, reportSchema } from "../forms/challenge";
import { currentUser, requireUser } from "./auth.server";
import { localeOf } from "./language.server";
import { answer, follow, moderate, propose, report, type InteractionOutcome } from "./interactions.server";

const FORMS = { propose: proposalSchema, answer: answerSchema, report: reportSchema, unpublish: moderationSchema } as const;
type FormIntent = keyof typeof FORMS;

export async function handleRecordIntent(request: Request, context: PortalContext, kind: "challenge" | "solution", id: number) {
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const page = `/${kind}s/${id}`;
  const done = (outcome: InteractionOutcome) => {
    if (outcome.ok) return redirect(`${page}?notice=${outcome.notice}`);
    throw new Response(outcome.status === 404 ? "Not found" : outcome.status === 409 ? "Conflict" : "Forbidden", { status: outcome.status });
  };

  if (kind === "challenge" && (intent === "follow" || intent === "unfollow")) {
    const user = await requireUser(request, context);
    return done(await follow(context, user, id, intent === "follow"));
  }
  if (intent === "republish") {
    const user = await requireUser(request, context);
    return done(await moderate(context, user, kind, id, { unpublish: false }, await localeOf(request)));
  }
  if (!(intent in FORMS) || (kind === "solution" && (intent === "propose" || intent === "answer"))) {
    throw new Response("Unknown action", { status: 400 });
  }
  const which = intent as FormIntent;
  const submission = parseWithZod(formData, { schema: FORMS[which] });
  if (submission.status !== "success") return data({ form: which, result: submission.reply() }, { status: 400 });

  let outcome: InteractionOutcome;
  const value = submission.value as Record<string, unknown>;
  if (which === "report") {
    outcome = await report(context, await currentUser(request, context), kind, id, String(value.reason));
  } else {
    const user = await requireUser(request, context);
    if (which === "propose") outcome = await propose(context, user, id, { solution: Number(value.solution), pitch: String(value.pitch) });
    else if (which === "answer")
      outcome = await answer(context, user, id, {
        proposal: Number(value.proposal),
        decision: value.decision as "accepted" | "declined",
        answer: String(value.answer),
      });
    else outcome = await moderate(context, user, kind, id, { unpublish: true, reason: String(value.reason) }, await localeOf(request));
  }
  if (!outcome.ok && outcome.field && outcome.error) {
    return data({ form: which, result: submission.reply({ fieldErrors: { [outcome.field]: [outcome.error] } }) }, { status: outcome.status });
  }
  return done(outcome);
}
