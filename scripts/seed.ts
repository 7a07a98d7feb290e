// `npm run db:seed`: loads the demo content into an empty database. The portal's outbox worker
// indexes it the next time the portal runs (or at once, if it is running).
import { isEmpty, seedDemoData } from "../db/demo";
import { fail, openForCli } from "./lib/cli";

const { config, log, database } = await openForCli().catch(fail);
if (!(await isEmpty(database.db))) {
  log.warn("the database already has content; demo data is only loaded into an empty one", { path: config.databasePath });
} else {
  log.info("demo data loaded", { ...(await seedDemoData(database.db)) });
}
await database.close();
