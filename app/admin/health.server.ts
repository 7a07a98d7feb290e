import { outboxStats } from "../../db/outbox";
import type { PortalContext } from "../context.server";

export async function health(context: PortalContext) {
  const outbox = await outboxStats(context.db);
  let search: "up" | "down" = "down";
  try {
    search = (await context.search.client.isHealthy()) ? "up" : "down";
  } catch {
    search = "down";
  }
  return { database: "up" as const, search, outbox };
}
