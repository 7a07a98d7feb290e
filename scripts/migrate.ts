// `npm run db:migrate`: brings the database to the latest schema and loads the reference data.
import { fail, openForCli } from "./lib/cli";

const { config, log, database } = await openForCli().catch(fail);
log.info("database is up to date", { path: config.databasePath });
await database.close();
