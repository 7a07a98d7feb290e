// One module decides who sees what; the SQL form, the search filter and the detail check must
// agree for every kind of viewer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browseFromDatabase, CHALLENGE_FACETS, SOLUTION_FACETS, type BrowseQuery } from "../../db/queries/browse";
import { findChallengeRecord } from "../../db/queries/challenges";
import { findSolutionRecord } from "../../db/queries/solutions";
import { canSeeChallenge, canSeeSolution, PUBLIC_VIEWER, scopeFor, type Viewer } from "../../db/visibility";
import { enqueue } from "../../db/outbox";
import { browseWithSearch } from "../../search/browse";
import { dropIndexes, type SearchContext } from "../../search/client";
import { SearchIndexer } from "../../search/indexer";
import { createTestDatabase, type TestDatabase } from "../helpers/db";
import { administrationId, createOrganisation, makeChallenge, makeSolution } from "../helpers/factories";
import { testSearchContext } from "../helpers/search";

let t: TestDatabase;
let search: SearchContext;
const ids: Record<string, number> = {};
const solutionIds: Record<string, number> = {};
let orgA: number;
let orgB: number;
let suf: number;
let sof: number;

beforeAll(async () => {
  t = await createTestDatabase();
  search = testSearchContext("visibility");
  const db = t.db;
  orgA = await createOrganisation(db, { name: "Organisation A" });
  orgB = await createOrganisation(db, { name: "Organisation B" });
  suf = await administrationId(db, "SUF");
  sof = await administrationId(db, "SOF");
  ids.openSuf = await makeChallenge(db, { title: "Åben SUF", ownerOrganisationId: suf, status: "open" });
  ids.draftSuf = await makeChallenge(db, { title: "Kladde SUF", ownerOrganisationId: suf, status: "draft" });
  ids.draftSofCoSuf = await makeChallenge(db, { title: "Kladde SOF medejet af SUF", ownerOrganisationId: sof, coOwnerIds: [suf], status: "draft" });
  ids.solvedSof = await makeChallenge(db, { title: "Løst SOF", ownerOrganisationId: sof, status: "solved" });
  solutionIds.pubA = await makeSolution(db, { title: "Offentlig A", organisationId: orgA, status: "published" });
  solutionIds.draftA = await makeSolution(db, { title: "Kladde A", organisationId: orgA, status: "draft" });
  solutionIds.archivedB = await makeSolution(db, { title: "Arkiveret B", organisationId: orgB, status: "archived" });
  solutionIds.draftB = await makeSolution(db, { title: "Kladde B", organisationId: orgB, status: "draft" });
  // An unpublished (moderated) challenge is hidden from the public like a draft.
  ids.moderated = await makeChallenge(db, { title: "Afpubliceret SUF", ownerOrganisationId: suf, status: "open" });
  await db.updateTable("challenges").set({ moderated_at: new Date().toISOString(), moderation_reason: "test" }).where("id", "=", ids.moderated).execute();
  await enqueue(db, "search.index", `challenge:${ids.moderated}`, { kind: "challenge", id: ids.moderated });
  await new SearchIndexer(db, search).drain();
});
afterAll(async () => {
  await t.destroy();
  await dropIndexes(search);
});

const query: BrowseQuery = { q: "", sort: "newest", page: 1, pageSize: 50, filters: {} };

const viewers: Array<[string, () => Viewer, { challenges: string[]; solutions: string[] }]> = [
  ["the public", () => PUBLIC_VIEWER, { challenges: ["openSuf", "solvedSof"], solutions: ["pubA", "archivedB"] }],
  [
    "a member of organisation A",
    () => ({ kind: "user", userId: 1, organisationIds: [orgA], roles: [] }),
    { challenges: ["openSuf", "solvedSof"], solutions: ["pubA", "draftA", "archivedB"] },
  ],
  [
    "staff of SUF",
    () => ({ kind: "user", userId: 2, organisationIds: [suf], roles: [] }),
    { challenges: ["openSuf", "draftSuf", "draftSofCoSuf", "solvedSof", "moderated"], solutions: ["pubA", "archivedB"] },
  ],
  [
    "a community manager",
    () => ({ kind: "user", userId: 3, organisationIds: [], roles: ["community_manager"] }),
    {
      challenges: ["openSuf", "draftSuf", "draftSofCoSuf", "solvedSof", "moderated"],
      solutions: ["pubA", "draftA", "archivedB", "draftB"],
    },
  ],
];

describe.each(viewers)("%s", (_name, viewer, expected) => {
  const nameIn = (map: Record<string, number>) => (found: number[]) =>
    found.map((id) => Object.entries(map).find(([, v]) => v === id)?.[0] ?? String(id)).sort();
  const names = nameIn(ids);
  const solutionNames = nameIn(solutionIds);

  it("sees the same challenges through SQL, search and the detail check", async () => {
    const scope = scopeFor(viewer());
    const sql = await browseFromDatabase(t.db, "challenge", scope, query, CHALLENGE_FACETS);
    const indexed = await browseWithSearch(search, "challenges", scope, query, CHALLENGE_FACETS);
    expect(names(sql.hits.map((h) => h.id))).toEqual([...expected.challenges].sort());
    expect(names(indexed.hits.map((h) => h.id))).toEqual([...expected.challenges].sort());
    const detail: string[] = [];
    for (const [name, id] of Object.entries(ids)) {
      const record = await findChallengeRecord(t.db, id);
      if (record && canSeeChallenge(viewer(), record)) detail.push(name);
    }
    expect(detail.sort()).toEqual([...expected.challenges].sort());
    // Facet counts only count what the viewer may see.
    const statusTotal = (r: typeof sql) => r.facets.status.reduce((n, f) => n + f.count, 0);
    expect(statusTotal(sql)).toBe(expected.challenges.length);
    expect(statusTotal(indexed)).toBe(expected.challenges.length);
  });

  it("sees the same solutions through SQL, search and the detail check", async () => {
    const scope = scopeFor(viewer());
    const sql = await browseFromDatabase(t.db, "solution", scope, query, SOLUTION_FACETS);
    const indexed = await browseWithSearch(search, "solutions", scope, query, SOLUTION_FACETS);
    expect(solutionNames(sql.hits.map((h) => h.id))).toEqual([...expected.solutions].sort());
    expect(solutionNames(indexed.hits.map((h) => h.id))).toEqual([...expected.solutions].sort());
    const detail: string[] = [];
    for (const [name, id] of Object.entries(solutionIds)) {
      const record = await findSolutionRecord(t.db, id);
      if (record && canSeeSolution(viewer(), record)) detail.push(name);
    }
    expect(detail.sort()).toEqual([...expected.solutions].sort());
  });
});
