/**
 * The Content-Security-Policy of the pages the CLI writes (the case page, the stats page): no
 * scripts, nothing loaded from anywhere, only the inline style; charts are inline SVG, not images.
 */
export const PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'";
