// How many pages a list has and where its further pages are, from whatever the page declares: TRS createPageHTML in
// its signatures, `var countPage`, printed 共N页 / N/M页 / 第1页/共N页, or a JSON total. Templates keep old calls
// commented out (`//createPageHTML(9,…)` before `var countPage = 17`), so script comments are removed first.

export interface PageCount {
  /** Pages in the list. */
  count: number;
  /** File stem and extension of further pages (`index`, `html`), when the page names them. */
  stem: string | null;
  ext: string | null;
  /** The declared numbering: true when page 2 is `stem_2` (1-based), false for `stem_1`, null when unknown. */
  oneBased: boolean | null;
  /** Which encoding said so, for the crawl's record of why it paged. */
  source: string;
}

/** Script text without comments: whole-line `//…` and `/*…*\/` blocks, and `//…` after a statement's `;`. A `//`
 *  inside a URL string (`http://`) is kept: only a `//` at the line start or after `;`/`{`/`}` is a comment. */
export function withoutScriptComments(html: string): string {
  return html.replace(/<script\b[^>]*>([\s\S]*?)<\/script>/gi, (whole, body: string) =>
    whole.replace(
      body,
      body.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[;{}])[ \t]*\/\/[^\n]*/gm, (_all, lead: string) => lead),
    ),
  );
}

const num = (text: string | undefined) => (text === undefined ? NaN : Number(text));

/** The value of `var NAME = N` in the page's scripts (createPageHTML is often called with variables). */
function variable(script: string, name: string): number {
  return num(new RegExp(`\\bvar\\s+${name}\\s*=\\s*(\\d+)`).exec(script)?.[1]);
}

function argument(script: string, arg: string): number {
  const literal = /^\d+$/.test(arg) ? Number(arg) : variable(script, arg);
  return Number.isFinite(literal) ? literal : NaN;
}

/** createPageHTML(count, current, stem, ext) or createPageHTML(divId, count, current, stem, ext, total). */
function createPageHtml(script: string): PageCount | null {
  const call = /createPageHTML\s*\(([^)]*)\)/.exec(script);
  if (!call) return null;
  const args = call[1].split(',').map((arg) => arg.trim().replace(/^['"]|['"]$/g, ''));
  const withDiv = args.length >= 5 && !/^\d+$/.test(args[0]) && !/^[A-Za-z_]\w*$/.test(call[1].split(',')[0].trim());
  const [countArg, currentArg, stem, ext] = withDiv ? args.slice(1) : args;
  const count = argument(script, countArg ?? '');
  if (!(count >= 1)) return null;
  const current = argument(script, currentArg ?? '');
  return {
    count,
    stem: stem && /^[\w-]+$/.test(stem) ? stem : null,
    ext: ext && /^s?html?$/.test(ext) ? ext : null,
    // The first page calls with current 0 on 0-based templates and 1 on 1-based ones.
    oneBased: Number.isFinite(current) ? current >= 1 : null,
    source: withDiv ? 'createPageHTML(div, count, current, stem, ext, total)' : 'createPageHTML(count, current, …)',
  };
}

/** The page count of a list page from any declared or printed encoding; null when it states none. */
export function pageCount(html: string): PageCount | null {
  const clean = withoutScriptComments(html);
  const declared = createPageHtml(clean);
  if (declared) return declared;
  const countPage = variable(clean, 'countPage');
  if (countPage >= 1) {
    const current = variable(clean, 'currentPage');
    return {
      count: countPage,
      stem: null,
      ext: null,
      oneBased: Number.isFinite(current) ? current >= 1 : null,
      source: 'var countPage',
    };
  }
  const text = clean.replace(/<script\b[\s\S]*?<\/script>/gi, '').replace(/<[^>]+>/g, ' ');
  const printed =
    /第\s*\d+\s*页\s*\/\s*共\s*(\d+)\s*页/.exec(text) ??
    /共\s*(\d+)\s*页/.exec(text) ??
    /(?:^|[^\d/])\d+\s*\/\s*(\d+)\s*页/.exec(text);
  if (printed && Number(printed[1]) >= 1)
    return {
      count: Number(printed[1]),
      stem: null,
      ext: null,
      oneBased: null,
      source: `printed "${printed[0].trim()}"`,
    };
  return null;
}

/** A JSON list answer's page count: pageCount/totalPages/pages directly, else total/count over the page size. */
export function jsonPageCount(body: Record<string, unknown>, perPage: number): number | null {
  const pages = Number(body.pageCount ?? body.totalPages ?? body.totalPage ?? body.pages ?? NaN);
  if (Number.isFinite(pages) && pages >= 0) return pages;
  const total = Number(body.total ?? body.count ?? body.totalCount ?? body.totalRecord ?? NaN);
  if (Number.isFinite(total) && total >= 0 && perPage > 0) return Math.ceil(total / perPage);
  return null;
}

export interface PageUrl {
  url: string;
  /** Page number, 2-based on: page 1 is the list page itself. */
  page: number;
  /** Might not exist (the numbering is guessed): a 404 is expected, not a failed listing. */
  probe: boolean;
}

/** The URL shape of a static list's further pages: `stem_N.ext` beside the list page. */
export function pageStem(listUrl: string, declared: PageCount | null): { dir: string; stem: string; ext: string } {
  const url = new URL(listUrl);
  url.search = '';
  url.hash = '';
  const file = /([^/]*)$/.exec(url.pathname)?.[1] ?? '';
  const own = /^([\w-]+?)(?:_\d+)?\.(s?html?)$/.exec(file);
  return {
    dir: url.toString().slice(0, url.toString().length - file.length),
    stem: declared?.stem ?? own?.[1] ?? 'index',
    ext: declared?.ext ?? own?.[2] ?? 'html',
  };
}

/** Pages 2…count of a static list. With the numbering unknown, both `stem_1` (0-based page 2) and `stem_count`
 *  (1-based last page) are asked for as probes: together they cover both numberings, and a 404 on either is normal. */
export function staticPages(listUrl: string, declared: PageCount, limit = 200): PageUrl[] {
  const { dir, stem, ext } = pageStem(listUrl, declared);
  const count = Math.min(declared.count, limit);
  const out: PageUrl[] = [];
  if (declared.oneBased === true)
    for (let i = 2; i <= count; i++) out.push({ url: `${dir}${stem}_${i}.${ext}`, page: i, probe: false });
  else if (declared.oneBased === false)
    for (let i = 1; i < count; i++) out.push({ url: `${dir}${stem}_${i}.${ext}`, page: i + 1, probe: false });
  else
    for (let i = 1; i <= count; i++)
      out.push({ url: `${dir}${stem}_${i}.${ext}`, page: i + 1, probe: i === 1 || i === count });
  return out;
}
