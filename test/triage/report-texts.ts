/**
 * Reports written for these tests (not taken from any database), in the style of the labelled
 * set in ../shared/dupes: two descriptions of one bug, and a second bug of the same project.
 */
export const chunkedOverflow = `Heap buffer overflow in chunked transfer decoding

Hello, I found a heap overflow in libwebby 2.4.1. parse_chunk_size() in src/http/chunked.c does
not check the length of the hex size line before copying it into a fixed 16-byte buffer, so a
request with a very long chunk size line writes past the end of the buffer.

==4242==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602000000050
    #0 0x4f2a1b in parse_chunk_size src/http/chunked.c:88
    #1 0x4f3c20 in http_read_body src/http/body.c:141

Reproduce: curl -H 'Transfer-Encoding: chunked' --data-binary @long-size.txt http://localhost:8080/
CWE-122. Found with a fuzzer and checked by hand.`;

export const chunkedOverflowAgain = `Security issue: crash on long chunk-size line (libwebby 2.4.1)

Sending a chunked request whose size line is several hundred hex digits long crashes the server.
ASan says:

AddressSanitizer: heap-buffer-overflow
  #0 0x55d1 in parse_chunk_size src/http/chunked.c:88
  #1 0x55e2 in http_read_body src/http/body.c:141

It looks like the size line is copied without a bounds check into a small buffer. An attacker can
corrupt heap memory remotely, possibly more than a denial of service.`;

export const cookieXss = `Reflected XSS in the admin login page of libwebby 2.3.0

The error message of /admin/login echoes the "next" query parameter without escaping it, so
https://example.test/admin/login?next=<script>alert(1)</script> runs script in the admin's
browser. The template is templates/admin/login.html and the helper render_error() does not call
html_escape(). CWE-79.`;

export const unrelated = `Path traversal in the static file handler of a different server

serve_static() in lib/static.js joins the request path with the document root without
normalising it, so GET /static/../../etc/passwd reads files outside the root. Version 0.9.2.`;
