import escapeHtml from 'escape-html';

/**
 * The Content-Security-Policy of the pages the CLI writes (the case page, the stats page): no
 * scripts, nothing loaded from anywhere, only the inline style; charts are inline SVG, not images.
 */
export const PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'";

/**
 * The start of a page the CLI writes, up to its heading: the policy above, no referrer, the
 * title (escaped) and the page's own inline style.
 */
export function pageHead(title: string, style: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${PAGE_POLICY}">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>`;
}
