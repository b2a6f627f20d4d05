/*
 * splitQuery for the "zh" search language of jinchang.sphinxext.search.
 *
 * Inserted into language_data.js by Sphinx. It must be a `var` (or function):
 * searchtools.js, loaded first, already declared `var splitQuery`.
 *
 * Tokens are split like Sphinx's default splitter (on anything that is not a
 * letter, number, underscore or emoji), then every run of Han characters is
 * cut greedily into the longest words found in the loaded search index
 * (Search._index.terms / titleterms), falling back to single characters,
 * which the Python side always indexes. Search.query() only calls
 * splitQuery after setIndex(), so the index is there; without it every Han
 * character becomes its own term. On its first call it also makes queries
 * with Han terms require all their terms (see requireAllTerms).
 *
 * Below it, the results' snippets are made to leave out text the page does not show.
 */
var splitQuery = (() => {
  // Same ranges as HAN in search.py.
  const HAN_RUN = /([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)/u;
  const IS_HAN = /^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$/u;
  const NON_WORD = /[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu;

  // Han words of the index, rebuilt only when the index object changes.
  let dict = { index: null, words: new Set(), maxLen: 1 };
  const dictionary = () => {
    const index = typeof Search !== "undefined" ? Search._index : null;
    if (index && index !== dict.index) {
      const words = new Set();
      let maxLen = 1;
      for (const terms of [index.terms, index.titleterms]) {
        for (const term of Object.keys(terms || {})) {
          if (!IS_HAN.test(term)) continue;
          words.add(term);
          maxLen = Math.max(maxLen, term.length);
        }
      }
      dict = { index, words, maxLen };
    }
    return dict;
  };

  // Forward maximum matching: longest index word at each position.
  const segment = (run, { words, maxLen }) => {
    const out = [];
    for (let i = 0; i < run.length; ) {
      let len = Math.min(maxLen, run.length - i);
      while (len > 1 && !words.has(run.substr(i, len))) len--;
      out.push(run.substr(i, len));
      i += len;
    }
    return out;
  };

  // Sphinx (PR #5979) accepts a page that matches only as many terms as the
  // query has terms longer than 2 characters, meant to let short English
  // words be optional. Chinese words are mostly 1-2 characters, so
  // "金昌 nickel" would list pages with either word. For queries with Han
  // terms, also require every Han term and every term longer than 2, each
  // matched by Sphinx's own single-term search. English-only queries are
  // left alone. Installed lazily: Search exists once a query runs.
  const requireAllTerms = () => {
    if (typeof Search === "undefined") return;
    const original = Search.performTermsSearch;
    if (typeof original !== "function" || original.hanAnd) return;
    const patched = (searchTerms, excludedTerms) => {
      const results = original(searchTerms, excludedTerms);
      const terms = [...searchTerms];
      if (!terms.some((t) => IS_HAN.test(t))) return results;
      const pagesWith = (t) => new Set(original(new Set([t]), new Set()).map((r) => r[0]));
      const required = terms.filter((t) => IS_HAN.test(t) || t.length > 2).map(pagesWith);
      return results.filter((r) => required.every((pages) => pages.has(r[0])));
    };
    patched.hanAnd = true;
    Search.performTermsSearch = patched;
  };

  return (query) => {
    requireAllTerms();
    const d = dictionary();
    return query
      .split(NON_WORD)
      .flatMap((token) => token.split(HAN_RUN)) // capture group keeps the runs
      .filter((part) => part)
      .flatMap((part) => (IS_HAN.test(part) ? segment(part, d) : [part]));
  };
})();

// A result's snippet is the page's text as searchtools.js's htmlToText takes it, with ".headerlink"
// removed. Remove as well what the page does not show; the index keeps its words (a quote still
// finds its page).
if (typeof Search !== "undefined" && Search.htmlToText) {
  const HIDDEN = [
    ".data-tip", // tooltips: a number's quote, a term's note
    ".card-label", // a table's headers or its cards' labels, whichever its width shows: neither
    "table.cards thead",
    ".onlyprint", // the print-only title and contents
    "details:not([open]) > :not(summary)", // what a closed toggle hides: code, a chart's data
    "details:not([open]) > summary > .expanded", // and its "Hide" title
  ].join(", ");
  const htmlToText = Search.htmlToText;
  Search.htmlToText = (htmlString, anchor) => {
    const html = new DOMParser().parseFromString(htmlString, "text/html");
    html.querySelectorAll(HIDDEN).forEach((el) => el.remove());
    html.querySelectorAll("td, th").forEach((cell) => cell.append(" ")); // a table written without spaces between cells
    return htmlToText(html.documentElement.outerHTML, anchor);
  };
}
