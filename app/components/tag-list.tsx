import { useTranslation } from "../lib/translation";
import type { TagView } from "../records/detail.server";

/** The tags of a challenge or solution as a definition list, with the UN target texts. */
export function TagList({ tags }: { tags: TagView }) {
  const { t } = useTranslation();
  const places = [...(tags.wholeCity ? [tags.wholeCity] : []), ...tags.districts];
  return (
    <dl className="facts">
      <dt>{t("detail.districts")}</dt>
      <dd>{places.length > 0 ? places.join(", ") : <span className="muted">{t("detail.notGiven")}</span>}</dd>
      <dt>{t("detail.targetGroups")}</dt>
      <dd>
        {tags.targetGroups.length > 0 ? (
          <ul className="chips">
            {tags.targetGroups.map((g) => (
              <li key={g} className="chip">
                {g}
              </li>
            ))}
          </ul>
        ) : (
          <span className="muted">{t("detail.notGiven")}</span>
        )}
      </dd>
      <dt>{t("detail.sdgs")}</dt>
      <dd>
        {tags.sdgGoals.length > 0 ? (
          <ul className="sdg-goals">
            {tags.sdgGoals.map((g) => (
              <li key={g.goal}>
                <span className={`sdg sdg-${g.goal}`} aria-hidden="true">
                  {g.goal}
                </span>{" "}
                {t("card.sdgGoal")} {g.goal}: {g.name}
                {tags.sdgTargets.some((x) => x.id.startsWith(`${g.goal}.`)) ? (
                  <ul className="sdg-targets">
                    {tags.sdgTargets
                      .filter((x) => x.id.startsWith(`${g.goal}.`))
                      .map((x) => (
                        <li key={x.id}>
                          <strong>{x.id}</strong> <span lang="en">{x.text}</span>
                        </li>
                      ))}
                  </ul>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <span className="muted">{t("detail.notGiven")}</span>
        )}
        {tags.sdgTargets.length > 0 ? <p className="source-note">{t("detail.sdgSource")}</p> : null}
      </dd>
    </dl>
  );
}
