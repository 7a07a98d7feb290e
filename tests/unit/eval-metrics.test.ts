import { describe, expect, it } from "vitest";
import { Bm25Index, tokenize } from "../../search/eval/bm25";
import { evaluateRun, mrrAtK, ndcgAtK, recallAtK, type Qrels } from "../../search/eval/metrics";

const judged = (entries: Record<string, number>) => new Map(Object.entries(entries));

// Hand-computed: gain = grade, discount log2(rank + 1), so ranks 1, 2, 3, 4 divide by
// 1, log2 3 = 1.5849625, 2 and log2 5 = 2.3219281.
const LOG2_3 = Math.log2(3);

describe("nDCG@k", () => {
  it.each([
    ["a perfect graded ranking", ["c", "e", "a"], { a: 1, c: 3, e: 2 }, 3, 1],
    ["a perfect binary ranking", ["a", "b"], { a: 1, b: 1 }, 10, 1],
    // DCG = 1/1 + 0 + 3/2 = 2.5; IDCG = 3/1 + 2/log2 3 + 1/2 = 4.7618595
    ["relevant documents in the wrong order, one missing", ["a", "b", "c", "d"], { a: 1, c: 3, e: 2 }, 3, 2.5 / (3.5 + 2 / LOG2_3)],
    // the ideal ranking counts every judged grade, also those the run never retrieved
    ["one of two relevant documents found, at rank 2", ["x", "a"], { a: 1, b: 1 }, 10, 1 / LOG2_3 / (1 + 1 / LOG2_3)],
    ["nothing relevant retrieved", ["x", "y"], { a: 2 }, 10, 0],
    ["a relevant document just past the cutoff", ["x", "y", "a"], { a: 1 }, 2, 0],
    ["grade 0 judgments give no gain", ["n", "a"], { n: 0, a: 1 }, 10, 1 / LOG2_3],
    // a system cannot be paid twice for one document; the repeat takes no rank either
    ["a repeated id is counted once", ["a", "a", "b"], { a: 1, b: 1 }, 10, 1],
  ])("%s", (_name, ranked, grades, k, expected) => {
    expect(ndcgAtK(ranked, judged(grades), k)).toBeCloseTo(expected, 10);
  });

  it("gives 0.5250050 for the worked example (to 7 places)", () => {
    expect(ndcgAtK(["a", "b", "c", "d"], judged({ a: 1, c: 3, e: 2 }), 3)).toBeCloseTo(0.525005, 7);
  });
});

describe("recall@k", () => {
  it.each([
    ["all relevant in the top k", ["a", "b", "x"], { a: 1, b: 2 }, 3, 1],
    ["two of three relevant", ["a", "b", "c", "d"], { a: 1, c: 3, e: 2 }, 3, 2 / 3],
    ["grade 0 does not count as relevant", ["n", "a"], { n: 0, a: 1, b: 1 }, 10, 1 / 2],
    ["beyond the cutoff does not count", ["x", "a"], { a: 1 }, 1, 0],
  ])("%s", (_name, ranked, grades, k, expected) => {
    expect(recallAtK(ranked, judged(grades), k)).toBeCloseTo(expected, 10);
  });
});

describe("MRR@k", () => {
  it.each([
    ["first result relevant", ["a", "x"], { a: 1 }, 10, 1],
    ["first relevant at rank 3", ["x", "y", "a", "b"], { a: 1, b: 3 }, 10, 1 / 3],
    ["a grade 0 document is not a hit", ["n", "a"], { n: 0, a: 1 }, 10, 1 / 2],
    ["first relevant past the cutoff", ["x", "y", "a"], { a: 1 }, 2, 0],
    ["nothing relevant", [], { a: 1 }, 10, 0],
  ])("%s", (_name, ranked, grades, k, expected) => {
    expect(mrrAtK(ranked, judged(grades), k)).toBeCloseTo(expected, 10);
  });
});

describe("the mean over queries", () => {
  const qrels: Qrels = new Map([
    ["q1", judged({ a: 1 })],
    ["q2", judged({ b: 2, c: 1 })],
    ["q3", judged({ d: 0, e: 0 })], // judged, but nothing relevant
  ]);

  it("skips a query without relevant judgments and averages the rest", () => {
    const run = new Map([
      ["q1", ["a"]], // nDCG 1, recall 1, MRR 1
      ["q2", ["x", "c"]], // nDCG (1/log2 3) / (2 + 1/log2 3), recall 1/2, MRR 1/2
      ["q3", ["d"]],
    ]);
    const scores = evaluateRun(qrels, run, 10);
    expect(scores.queries).toBe(2);
    expect(scores.skipped).toBe(1);
    expect(scores.perQuery.has("q3")).toBe(false);
    expect(scores.ndcg).toBeCloseTo((1 + 1 / LOG2_3 / (2 + 1 / LOG2_3)) / 2, 10);
    expect(scores.recall).toBeCloseTo(0.75, 10);
    expect(scores.mrr).toBeCloseTo(0.75, 10);
  });

  it("scores a judged query the run left out as 0, not as absent", () => {
    const scores = evaluateRun(qrels, new Map([["q1", ["a"]]]), 10);
    expect(scores.queries).toBe(2);
    expect(scores.ndcg).toBeCloseTo(0.5, 10);
    expect(scores.perQuery.get("q2")).toEqual({ ndcg: 0, recall: 0, mrr: 0 });
  });

  it("ignores run lines for queries nobody judged", () => {
    const scores = evaluateRun(new Map([["q1", judged({ a: 1 })]]), new Map([["q1", ["a"]], ["unjudged", ["z"]]]), 10);
    expect(scores.queries).toBe(1);
    expect(scores.ndcg).toBe(1);
  });
});

describe("BM25", () => {
  it("tokenises as the baseline says: lower case, no stop words, Snowball English stems", () => {
    expect(tokenize("The Running dogs, and α-synuclein!")).toEqual(["run", "dog", "α", "synuclein"]);
  });

  it("ranks the document with the query's terms first", () => {
    const index = new Bm25Index([
      { id: "birds", text: "Birds fly south in the winter" },
      { id: "cats", text: "A cat sleeps on the warm mat" },
      { id: "dogs", text: "Dogs chase the ball in the park" },
    ]);
    expect(index.search("sleeping cats", 3)).toEqual(["cats"]);
    expect(index.search("cat mat", 1)).toEqual(["cats"]);
  });

  it("lets a rare term count for more than a common one (idf)", () => {
    // "apple" is in three of four documents, "zebra" in one; the documents are equally long
    // and each holds one query term once, so only idf can tell them apart.
    const index = new Bm25Index([
      { id: "apple-pie", text: "apple pie" },
      { id: "zebra-pie", text: "zebra pie" },
      { id: "apple-tart", text: "apple tart" },
      { id: "apple-cake", text: "apple cake" },
    ]);
    expect(index.idf("zebra")).toBeGreaterThan(index.idf("appl"));
    const ranked = index.search("apple zebra", 4);
    expect(ranked[0]).toBe("zebra-pie");
    expect(ranked).toHaveLength(4);
  });

  it("returns at most k ids and nothing for a query of stop words only", () => {
    const index = new Bm25Index([
      { id: "1", text: "social enterprise" },
      { id: "2", text: "social clause" },
      { id: "3", text: "social impact" },
    ]);
    expect(index.search("social", 2)).toHaveLength(2);
    expect(index.search("the and of", 10)).toEqual([]);
  });
});
