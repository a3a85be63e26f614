const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

/**
 * GitHub's page-number pagination: `per_page` (default 30, at most 100) and `page`, with a Link
 * header of absolute URLs in the order GitHub sends them: prev, next, last, first.
 */
export function paginate<T>(items: readonly T[], query: URLSearchParams, self: URL): { items: T[]; link?: string } {
  const perPage = Math.min(positiveInt(query.get("per_page")) ?? DEFAULT_PER_PAGE, MAX_PER_PAGE);
  const page = positiveInt(query.get("page")) ?? 1;
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const links: string[] = [];
  const at = (n: number, rel: string) => {
    const url = new URL(self);
    url.searchParams.set("page", String(n));
    links.push(`<${url.toString()}>; rel="${rel}"`);
  };
  if (page > 1) at(Math.min(page - 1, lastPage), "prev");
  if (page < lastPage) {
    at(page + 1, "next");
    at(lastPage, "last");
  }
  if (page > 1) at(1, "first");
  return links.length > 0 ? { items: slice, link: links.join(", ") } : { items: slice };
}

function positiveInt(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n >= 1 ? n : undefined;
}
