// The README shows a picture of each main page at desktop and phone width, taken by
// `npm run screenshots`: its table is the one the script writes, every picture it names is a PNG
// of the width it claims, and no picture is left over from a page that is no longer shown.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/lib/build";
import { SCREENSHOT_DIR, SHOTS, WIDTHS, screenshotFile, withScreenshots, type Width } from "../../scripts/lib/screenshots";

const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

/** A PNG's width in pixels, from its IHDR chunk. */
function pngWidth(file: string): number {
  const head = fs.readFileSync(file).subarray(0, 24);
  expect(head.subarray(0, 8).toString("hex"), `${file} is not a PNG`).toBe("89504e470d0a1a0a");
  return head.readUInt32BE(16);
}

describe("the README's screenshots", () => {
  it("are the table npm run screenshots writes", () => {
    expect(withScreenshots(readme)).toBe(readme);
  });

  it.each(SHOTS.flatMap((shot) => (Object.keys(WIDTHS) as Width[]).map((width) => [screenshotFile(shot, width), width] as const)))(
    "%s is in the README and is a PNG of that width",
    (file, width) => {
      expect(readme).toContain(`scripts/screenshots/${file}`);
      expect(pngWidth(path.join(SCREENSHOT_DIR, file))).toBe(WIDTHS[width].width);
    },
  );

  it("leave no picture behind that the README does not show", () => {
    const shown = new Set(SHOTS.flatMap((shot) => (Object.keys(WIDTHS) as Width[]).map((width) => screenshotFile(shot, width))));
    expect(fs.readdirSync(SCREENSHOT_DIR).filter((f) => !shown.has(f))).toEqual([]);
  });
});
