// Confirming interest: the link in the introduction mail (no sign-in needed). Both parties see
// each other's contact details once both have said yes.
import { queueMail } from "../../db/mail";
import { confirmInterest, findConfirmation } from "../../db/queries/curation";
import { consumeToken, peekToken } from "../../db/tokens";
import type { MatchParty } from "../../db/schema";
import type { PortalContext } from "../context.server";
import { type Locale } from "../i18n";
import { renderMail } from "../mail/templates.server";
import { challengeSide, loadMatchRecords, organisationNames, partyContacts, solutionSide } from "./parties.server";


/** The party and match an introduction link is for, while it works (once, and for 14 days). */
function partyOfSubject(subject: string): { matchId: number; party: MatchParty } | undefined {
  const m = /^match:(\d+):(challenge|solution)$/.exec(subject);
  return m ? { matchId: Number(m[1]), party: m[2] as MatchParty } : undefined;
}

export async function confirmationPage(context: PortalContext, token: string, locale: Locale) {
  const issued = await peekToken(context.db, "introduction", token);
  const target = issued && partyOfSubject(issued.subject);
  if (!target) return undefined;
  const row = await findConfirmation(context.db, target.matchId, target.party);
  if (!row) return undefined;
  const loaded = await loadMatchRecords(context, row.match_id);
  if (!loaded) return undefined;
  const names = await organisationNames(context, [loaded.challenge.owner_organisation_id, loaded.solution.organisation_id]);
  return {
    party: row.party,
    confirmedAt: row.confirmed_at,
    challenge: challengeSide(loaded.challenge, names, locale),
    solution: solutionSide(loaded.solution, names, locale),
  };
}

export async function confirm(context: PortalContext, token: string): Promise<{ status: "confirmed" | "already" | "both"; matchId: number } | undefined> {
  const issued = await peekToken(context.db, "introduction", token);
  const target = issued && partyOfSubject(issued.subject);
  if (!target) return undefined;
  const loaded = await loadMatchRecords(context, target.matchId);
  if (!loaded) return undefined;
  // Read before the transaction: inside it only `trx` may be queried (SQLite has one connection).
  const contacts = await partyContacts(context, loaded.challenge, loaded.solution);
  const result = await confirmInterest(context.db, {
    ...target,
    claim: async (trx) => (await consumeToken(trx, "introduction", token)) !== undefined,
    onBoth: async (trx, matchId) => {
      for (const c of contacts) {
        const other = contacts.find((o) => o.party !== c.party);
        if (!other) continue;
        await queueMail(
          trx,
          renderMail("contacts-shared", c.language, c.email, context.publicBaseUrl, {
            name: c.name,
            otherName: other.name,
            otherEmail: other.email,
            title: c.party === "challenge" ? loaded.solution.title : loaded.challenge.title,
            link: `/matches/${matchId}`,
          }),
        );
      }
    },
  });
  if (!result) return undefined;
  context.afterWrite();
  return { status: result.already ? "already" : result.both ? "both" : "confirmed", matchId: result.matchId };
}
