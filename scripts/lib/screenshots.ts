// The README's screenshots: which pages, at which widths, as whom, and where the files go.
// `npm run screenshots` takes them; tests/unit/screenshots.test.ts checks the README shows each.
import path from "node:path";
import { ROOT } from "./build";

export const SCREENSHOT_DIR = path.join(ROOT, "scripts", "screenshots");

export const WIDTHS = {
  desktop: { width: 1280, height: 860 },
  phone: { width: 390, height: 844 },
} as const;
export type Width = keyof typeof WIDTHS;

/** Who is signed in for a shot: nobody, or one of the demo accounts. */
export type Viewer = "public" | "community@samskab.example" | "entrepreneur@samskab.example";

export interface Shot {
  /** The file's name without the width and extension, e.g. "challenges" → challenges-desktop.png. */
  name: string;
  /** What the README says the picture shows (its alt text). */
  caption: string;
  viewer: Viewer;
  locale: "da" | "en";
  /** The page's path; `{challenge}`, `{solution}` and `{match}` are filled in from the demo data. */
  path: string;
  /** Send the page's form as it is (to show its validation errors) before the picture. */
  submitEmpty?: boolean;
}

export const SHOTS: readonly Shot[] = [
  { name: "front-page", caption: "The front page in Danish: search, the newest challenges and solutions", viewer: "public", locale: "da", path: "/" },
  { name: "challenge-search", caption: "Searching challenges with a typo (“ensomhd”), with facets for administration, district and SDG", viewer: "public", locale: "da", path: "/challenges?q=ensomhd" },
  { name: "challenge", caption: "A challenge: its status, description and facts (administration, deadline, budget, procurement route)", viewer: "public", locale: "da", path: "/challenges/{challenge}" },
  { name: "challenge-suggestions", caption: "The solutions the matcher suggests for that challenge, each with its score in words and why, as its staff and community managers see them", viewer: "community@samskab.example", locale: "da", path: "/challenges/{challenge}#suggestions" },
  { name: "solution-en", caption: "A solution in English, for an English-speaking visitor", viewer: "public", locale: "en", path: "/solutions/{solution}" },
  { name: "propose-errors", caption: "The new-solution form after sending it empty: errors summarised at the top and linked to their fields", viewer: "entrepreneur@samskab.example", locale: "da", path: "/solutions/new", submitEmpty: true },
  { name: "curation-queue", caption: "The community manager's queue: filters, then each undecided suggestion with both texts side by side", viewer: "community@samskab.example", locale: "da", path: "/curation?scope=all" },
  { name: "match", caption: "One match: its stage, how it came about, and the two sides of the pair side by side", viewer: "community@samskab.example", locale: "da", path: "/matches/{match}" },
];

export function screenshotFile(shot: Pick<Shot, "name">, width: Width): string {
  return `${shot.name}-${width}.png`;
}

export const README_START = "<!-- screenshots: written by npm run screenshots -->";
export const README_END = "<!-- /screenshots -->";

/** The README's screenshot section: each shot's caption, then the desktop and the phone picture. */
export function screenshotsMarkdown(): string {
  const rows = SHOTS.map((shot) => {
    const img = (width: Width, shown: number) =>
      `<img src="scripts/screenshots/${screenshotFile(shot, width)}" width="${shown}" alt="${shot.caption} (${width === "desktop" ? "desktop" : "phone"} width)">`;
    return `| ${shot.caption} | ${img("desktop", 480)} | ${img("phone", 160)} |`;
  });
  return [README_START, "", "| Page | Desktop, 1280 px | Phone, 390 px |", "|---|---|---|", ...rows, "", README_END].join("\n");
}

/** The README with its screenshot section replaced by the current one. */
export function withScreenshots(readme: string): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`the README has no screenshot section (${README_START} … ${README_END})`);
  return readme.slice(0, start) + screenshotsMarkdown() + readme.slice(end + README_END.length);
}
