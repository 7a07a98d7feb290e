import { describe, expect, it } from "vitest";
import { isValidCvr, normalizeCvr } from "../../app/organisations/cvr";

describe("isValidCvr", () => {
  it.each([
    ["64942212", "the City of Copenhagen"],
    ["28271026", "a number from published register answers"],
    ["89563518", "a number from published register answers"],
    ["10150817", "a number from published register answers"],
    // Computed: 1·2 + 2·7 + 3·6 + 4·5 + 5·4 + 6·3 + 7·2 = 106, and 106 + 4 = 110 = 10·11.
    ["12345674", "a number built to pass: 1234567 and check digit 4"],
    // 2·2 = 4, and 4 + 7 = 11.
    ["20000007", "a number built to pass: 2000000 and check digit 7"],
  ])("accepts %s (%s)", (cvr) => {
    expect(isValidCvr(cvr)).toBe(true);
  });

  it.each([
    ["64942213", "a wrong check digit"],
    ["12345678", "a wrong check digit"],
    ["28271062", "two digits swapped"],
    ["6494221", "7 digits"],
    ["649422120", "9 digits"],
    ["6494221a", "a letter"],
    ["DK64942212", "the country prefix (normalize first)"],
    ["6494 2212", "a space (normalize first)"],
    // 0·2 + 1·7 + 2·6 + 3·5 + 4·4 + 5·3 + 6·2 + 0·1 = 77 = 7·11: the sum passes, the 0 does not.
    ["01234560", "a leading 0, even when the weighted sum passes"],
    ["00000000", "all zeros"],
    ["", "nothing"],
    ["٦٤٩٤٢٢١٢", "digits that are not ASCII"],
  ])("rejects %s (%s)", (cvr) => {
    expect(isValidCvr(cvr)).toBe(false);
  });
});

describe("normalizeCvr", () => {
  it.each([
    ["64942212", "64942212"],
    ["64 94 22 12", "64942212"],
    [" 64942212 ", "64942212"],
    ["64-94-22-12", "64942212"],
    ["DK64942212", "64942212"],
    ["DK 64 94 22 12", "64942212"],
    ["dk-64942212", "64942212"],
    ["64\u00a094\u00a022\u00a012", "64942212"],
    // Only a leading country code goes; anything else is left for isValidCvr to refuse.
    ["6494DK2212", "6494DK2212"],
    ["CVR 64942212", "CVR64942212"],
  ])("turns %j into %j", (input, expected) => {
    expect(normalizeCvr(input)).toBe(expected);
  });

  it("gives numbers that isValidCvr accepts when the input was a valid number", () => {
    expect(isValidCvr(normalizeCvr("DK-64 94 22 12"))).toBe(true);
  });
});
