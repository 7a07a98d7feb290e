// CVR numbers (the Danish company register's identifiers), checked the same way in the browser
// (an early hint in the form) and on the server (the real check).

/** "DK 12 34 56 78", "12-34-56-78" and "dk12345678" all become "12345678". */
export function normalizeCvr(input: string): string {
  return input.replace(/[\s\u00a0\-\u2010-\u2015]/g, "").replace(/^dk/i, "");
}

const WEIGHTS = [2, 7, 6, 5, 4, 3, 2, 1] as const;

/**
 * Eight digits, not starting with 0, passing the register's modulus-11 check. A number that
 * passes may still not exist; only the register knows that.
 */
export function isValidCvr(cvr: string): boolean {
  if (!/^[1-9]\d{7}$/.test(cvr)) return false;
  let sum = 0;
  for (let i = 0; i < WEIGHTS.length; i++) sum += Number(cvr[i]) * WEIGHTS[i]!;
  return sum % 11 === 0;
}
