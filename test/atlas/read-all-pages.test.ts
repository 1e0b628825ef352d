import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type FetchedPage, readAllPages } from "../../src/atlas/read-all-pages.ts";

type Item = { id: string };

/** Serves the given pages in order and records the page numbers requested. */
function pager(pages: FetchedPage<Item>[]) {
  const requested: number[] = [];
  const fetchPage = async (pageNum: number) => {
    requested.push(pageNum);
    return pages[pageNum - 1] ?? { items: [], resultCount: 0, hasNext: false };
  };
  return { fetchPage, requested };
}

function page(ids: string[], hasNext: boolean): FetchedPage<Item> {
  return { items: ids.map((id) => ({ id })), resultCount: ids.length, hasNext };
}

const options = { itemsPerPage: 2, maxPages: 10, keyOf: (item: Item) => item.id };

describe("readAllPages", () => {
  it("stops at a short page without a next link", async () => {
    const { fetchPage, requested } = pager([page(["a", "b"], true), page(["c"], false)]);

    const all = await readAllPages(fetchPage, options);

    assert.deepEqual(
      all.items.map((item) => item.id),
      ["a", "b", "c"],
    );
    assert.deepEqual(requested, [1, 2]);
    assert.equal(all.complete, true);
  });

  it("continues past a short page with a next link", async () => {
    const { fetchPage, requested } = pager([page(["a"], true), page(["b"], false)]);

    const all = await readAllPages(fetchPage, options);

    assert.deepEqual(requested, [1, 2]);
    assert.equal(all.items.length, 2);
  });

  it("continues past a full page without a next link", async () => {
    const { fetchPage, requested } = pager([page(["a", "b"], false)]);

    const all = await readAllPages(fetchPage, options);

    assert.deepEqual(requested, [1, 2]);
    assert.equal(all.pages, 2);
    assert.equal(all.complete, true);
  });

  it("stops at an empty page even with a next link", async () => {
    const { fetchPage, requested } = pager([page(["a", "b"], true), page([], true)]);

    await readAllPages(fetchPage, options);

    assert.deepEqual(requested, [1, 2]);
  });

  it("counts skipped items toward a full page", async () => {
    const withSkipped = { items: [{ id: "a" }], resultCount: 2, hasNext: false };
    const { fetchPage, requested } = pager([withSkipped, page(["b"], false)]);

    const all = await readAllPages(fetchPage, options);

    assert.deepEqual(requested, [1, 2]);
    assert.equal(all.items.length, 2);
  });

  it("keeps the first copy of a repeated item", async () => {
    const { fetchPage } = pager([
      { items: [{ id: "a" }, { id: "b" }], resultCount: 2, hasNext: true },
      { items: [{ id: "b" }], resultCount: 1, hasNext: false },
    ]);

    const all = await readAllPages(fetchPage, options);

    assert.deepEqual(
      all.items.map((item) => item.id),
      ["a", "b"],
    );
  });

  it("reads page 1 again after a repeat across pages", async () => {
    let page1Reads = 0;
    const requested: number[] = [];
    const fetchPage = async (pageNum: number) => {
      requested.push(pageNum);
      if (pageNum === 1) return page(++page1Reads === 1 ? ["b", "c"] : ["a", "b"], true);
      return page(["c", "d"], false);
    };

    const all = await readAllPages(fetchPage, { ...options, itemsPerPage: 3 });

    assert.deepEqual(requested, [1, 2, 1]);
    assert.deepEqual(
      all.items.map((item) => item.id),
      ["a", "b", "c", "d"],
    );
    assert.equal(all.headRereads, 1);
    assert.equal(all.shiftUnresolved, false);
  });

  it("gives up re-reading a list that keeps shifting", async () => {
    let sequence = 0;
    const fetchPage = async (pageNum: number) => {
      if (pageNum === 1) return page([`new${++sequence}`, `new${++sequence}`], true);
      // Page 2 always repeats the last item of the page 1 read just before it.
      return page([`new${sequence}`, "old"], false);
    };

    const all = await readAllPages(fetchPage, { ...options, itemsPerPage: 3 });

    assert.equal(all.pages, 8);
    assert.equal(all.headRereads, 3);
    assert.equal(all.shiftUnresolved, true);
    assert.equal(all.complete, true);
  });

  it("ends the first pass when stopAfterPage returns true", async () => {
    const { fetchPage, requested } = pager([
      page(["a", "b"], true),
      page(["c", "d"], true),
      page(["e"], false),
    ]);
    const seen: number[] = [];

    const all = await readAllPages(fetchPage, {
      ...options,
      stopAfterPage: (read) => {
        seen.push(read.pageNum);
        return read.pageNum === 2;
      },
    });

    assert.deepEqual(requested, [1, 2]);
    assert.deepEqual(seen, [1, 2]);
    assert.equal(all.complete, false);
    assert.equal(all.stoppedEarly, true);
  });

  it("shows stopAfterPage the last page too", async () => {
    const { fetchPage } = pager([page(["a", "b"], true), page(["b", "c"], false)]);
    const newItems: string[][] = [];

    const all = await readAllPages(fetchPage, {
      ...options,
      itemsPerPage: 3,
      stopAfterPage: (read) => {
        newItems.push(read.newItems.map((item) => item.id));
        return true;
      },
    });

    assert.deepEqual(newItems, [["a", "b"]]);
    assert.equal(all.stoppedEarly, true);
  });

  it("stops at maxPages and reports the listing incomplete", async () => {
    const endless = async (pageNum: number) => page([`${pageNum}a`, `${pageNum}b`], true);

    const all = await readAllPages(endless, { ...options, maxPages: 3 });

    assert.equal(all.pages, 3);
    assert.equal(all.items.length, 6);
    assert.equal(all.complete, false);
  });
});
