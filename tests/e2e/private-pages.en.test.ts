// The signed-in pages and forms in English: see private-pages.ts.
import { checkPrivatePages } from "./private-pages";

checkPrivatePages("en");
