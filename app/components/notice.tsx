import { useSearchParams } from "@remix-run/react";
import { useTranslation } from "../lib/translation";

// Short confirmations after post/redirect/get travel as ?notice=<key>; only known keys show.
const NOTICES = [
  "verified",
  "passwordChanged",
  "verificationSent",
  "organisationRegistered",
  "invitationAccepted",
  "invitationSent",
  "memberRemoved",
  "left",
  "saved",
  "published",
  "statusChanged",
  "proposed",
  "answered",
  "following",
  "unfollowed",
  "reported",
  "unpublished",
  "republished",
  "confirmed",
  "referenceSaved",
  "matchAccepted",
  "suggestionDismissed",
  "matchAdded",
  "stageChanged",
  "matchEnded",
  "noteAdded",
  "introduced",
  "sessionEnded",
  "sessionsEnded",
  "secondFactorOff",
  "roleRevoked",
  "accountDeactivated",
  "accountReactivated",
] as const;

export function Notice() {
  const [params] = useSearchParams();
  const { t } = useTranslation();
  const key = params.get("notice");
  if (!key || !(NOTICES as readonly string[]).includes(key)) return null;
  return (
    <p className="notice success" role="status">
      {t(`notice.${key}`)}
    </p>
  );
}
