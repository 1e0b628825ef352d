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

  it("stops at maxPages and reports the listing incomplete", async () => {
    const endless = async (pageNum: number) => page([`${pageNum}a`, `${pageNum}b`], true);

    const all = await readAllPages(endless, { ...options, maxPages: 3 });

    assert.equal(all.pages, 3);
    assert.equal(all.items.length, 6);
    assert.equal(all.complete, false);
  });
});
