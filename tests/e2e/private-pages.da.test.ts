// The signed-in pages and forms in Danish: see private-pages.ts.
import { checkPrivatePages } from "./private-pages";

checkPrivatePages("da");
