// A data table that stays usable on a phone and at 200 % zoom: when its columns are wider than
// the screen, the table scrolls inside its own box (a named, focusable region, so keyboard users
// can scroll it too) and the page itself never scrolls sideways (WCAG 1.4.10).
import { useId, type ReactNode } from "react";

export function DataTable({ caption, captionHidden = false, id, children }: { caption: string; captionHidden?: boolean; id?: string; children: ReactNode }) {
  const captionId = useId();
  return (
    <div className="table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
      <table className="data" id={id}>
        <caption id={captionId} className={captionHidden ? "sr-only" : undefined}>
          {caption}
        </caption>
        {children}
      </table>
    </div>
  );
}
