// Zod compiles its object parsers with `new Function` when it may, and finds out by trying; under
// the portal's Content-Security-Policy (no 'unsafe-eval') the try is refused and reported as a
// violation on every page with a form. Without the JIT it parses the same, a little slower. Only
// the browser has a policy, so the server keeps the JIT. Imported first by app/root.tsx: schemas
// probe when they are made, which is when their modules load.
import { z } from "zod";

if (typeof document !== "undefined") z.config({ jitless: true });
