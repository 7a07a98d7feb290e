// `npm run search:reindex`: rebuilds the search indexes from SQLite and swaps them in. Uses the
// configured Meilisearch, the one a running portal embeds, or starts the embedded one briefly.
import path from "node:path";
import { createSearchContext } from "../search/client";
import { EmbeddedMeili, ensureMasterKey, readRuntime } from "../search/embedded-meili";
import { SearchIndexer } from "../search/indexer";
import { reindexAll } from "../search/reindex";
import { storedVectorDimensions } from "../db/queries/matcher";
import { fail, openForCli } from "./lib/cli";

const { config, log, database } = await openForCli().catch(fail);
const meiliDir = path.join(config.dataDir, "meili");
let meili: EmbeddedMeili | undefined;
let url = config.meiliUrl;
let key = config.meiliMasterKey;
if (!url) {
  key = config.meiliMasterKey ?? ensureMasterKey(meiliDir);
  const running = readRuntime(meiliDir);
  if (running) {
    url = running.url;
    log.info("using the Meilisearch of the running portal", { url });
  } else {
    meili = new EmbeddedMeili({ dir: meiliDir, masterKey: key, log, supervise: false });
    url = await meili.start();
  }
}
try {
  // The index's vectors must have the size of the stored ones (LSA's or an embedding service's).
  const vectorDimensions = await storedVectorDimensions(database.db);
  const search = createSearchContext({ url, apiKey: key, indexPrefix: config.meiliIndexPrefix, vectorDimensions });
  const result = await reindexAll(database.db, search, { log });
  // Deliver what was written during the build (a running portal's worker would too).
  await new SearchIndexer(database.db, search, { log }).drain(120_000);
  process.stdout.write(
    `Reindexed ${result.documents.challenges} challenges and ${result.documents.solutions} solutions in ${result.ms} ms; replayed ${result.replayed} writes made meanwhile.\n`,
  );
} catch (error) {
  log.error("reindex failed", { error });
  process.exitCode = 1;
} finally {
  await meili?.stop();
  await database.close();
}
