// The matcher's suggestions as cards: the partner, its score as text and as a meter (the number
// carries the meaning, the meter only shows it), and why the two were paired. Only ever rendered
// for viewers permissions.ts lets see suggestions; never on a public page.
import { Link } from "@remix-run/react";
import { Fragment, useId, type ReactNode } from "react";
import { useTranslation } from "../lib/translation";
import type { Locale } from "../i18n";
import type { SuggestionReasonView, SuggestionView } from "../curation/suggestions.server";

type HeadingLevel = 3 | 4;

function joined(items: ReactNode[]): ReactNode[] {
  return items.map((item, i) => (
    <Fragment key={i}>
      {i > 0 ? ", " : null}
      {item}
    </Fragment>
  ));
}

function Reason({ reason }: { reason: SuggestionReasonView }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const label = (key: string) => <span className="why-kind">{t(`suggestions.reason.${key}`)}</span>;
  switch (reason.kind) {
    case "topics":
      return (
        <li>
          {label("topics")}{" "}
          <span lang={reason.lang !== locale ? reason.lang : undefined}>{joined(reason.terms.map((w) => <mark key={w}>{w}</mark>))}</span>
        </li>
      );
    case "concepts":
      return (
        <li>
          {label("concepts")} <span lang={reason.lang !== locale ? reason.lang : undefined}>{reason.terms.join(", ")}</span>
        </li>
      );
    case "sdgs":
      return (
        <li>
          {label("sdgs")} {reason.goals.map((g) => t("suggestions.sdgGoal", { goal: g.goal, name: g.name }).trim()).join(", ")}
          {reason.targets.length > 0 ? ` (${t("suggestions.sdgTargets", { targets: reason.targets.join(", ") })})` : null}
        </li>
      );
    case "targetGroups":
      return (
        <li>
          {label("targetGroups")} {reason.names.join(", ")}
        </li>
      );
    case "districts":
      return (
        <li>
          {label("districts")} {reason.names.join(", ")}
        </li>
      );
    case "semantic":
      return <li>{t("suggestions.reason.semantic", { percent: reason.percent })}</li>;
  }
}

function SuggestionCard({ s, headingLevel }: { s: SuggestionView; headingLevel: HeadingLevel }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language as Locale;
  const whyId = useId();
  const Heading = `h${headingLevel}` as const;
  const href = `/${s.kind === "challenge" ? "challenges" : "solutions"}/${s.id}`;
  return (
    <li className="card suggestion" data-suggestion-id={s.id}>
      <Heading className="card-title">
        <Link to={href} lang={s.language !== locale ? s.language : undefined}>
          {s.title}
        </Link>
      </Heading>
      <p className="suggestion-org muted">{s.organisation}</p>
      <p className="match-score">
        <span className="match-score-text">{t("suggestions.score", { percent: s.percent })}</span>
        {/* The text before it says the same to everyone; the meter is for the eye only. */}
        <meter className="match-meter" min={0} max={100} value={s.percent} aria-hidden="true" />
      </p>
      {s.reasons.length > 0 ? (
        <>
          <p className="why-label" id={whyId}>
            {t("suggestions.why")}
          </p>
          <ul className="why" aria-labelledby={whyId}>
            {s.reasons.map((r) => (
              <Reason key={r.kind} reason={r} />
            ))}
          </ul>
        </>
      ) : null}
    </li>
  );
}

/** The cards; an empty list says so in a short line (or in `empty`, when given). */
export function SuggestionList({ items, headingLevel, empty }: { items: SuggestionView[]; headingLevel: HeadingLevel; empty?: ReactNode }) {
  const { t } = useTranslation();
  if (items.length === 0) return <>{empty ?? <p className="muted suggestions-empty">{t("suggestions.empty")}.</p>}</>;
  return (
    <ul className="cards suggestions-list">
      {items.map((s) => (
        <SuggestionCard key={`${s.kind}-${s.id}`} s={s} headingLevel={headingLevel} />
      ))}
    </ul>
  );
}

/** Where the suggestions come from and who sees them. */
export function SuggestionsNote() {
  const { t } = useTranslation();
  return <p className="source-note suggestions-note">{t("suggestions.note")}</p>;
}

/** A detail page's section: the best partners of this challenge or solution. */
export function SuggestionSection({ items, for: kind }: { items: SuggestionView[]; for: "challenge" | "solution" }) {
  const { t } = useTranslation();
  return (
    <section className="suggestions" id="suggestions" aria-labelledby="suggestions-title" data-suggestions="">
      <h2 id="suggestions-title">{t(kind === "challenge" ? "suggestions.forChallengeTitle" : "suggestions.forSolutionTitle")}</h2>
      <SuggestionsNote />
      <SuggestionList
        items={items}
        headingLevel={3}
        empty={
          <div className="empty suggestions-empty">
            <p>
              <strong>{t("suggestions.empty")}</strong>
            </p>
            <p>{t(kind === "challenge" ? "suggestions.emptyForChallenge" : "suggestions.emptyForSolution")}</p>
          </div>
        }
      />
    </section>
  );
}

/** Why two records were paired, as the matcher said: the list of reasons alone. */
export function ReasonList({ reasons, labelledBy }: { reasons: SuggestionReasonView[]; labelledBy?: string }) {
  const { t } = useTranslation();
  if (reasons.length === 0) return <p className="muted">{t("curation.noReasons")}</p>;
  return (
    <ul className="why" aria-labelledby={labelledBy}>
      {reasons.map((r) => (
        <Reason key={r.kind} reason={r} />
      ))}
    </ul>
  );
}
