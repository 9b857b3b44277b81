/**
 * Image sources and decoding: uploads, base64 and URLs (with the SSRF guard, redirects, timeouts
 * and byte caps), format sniffing, the pixel limit checked before decoding, and conversion of
 * every supported format to plain RGB with EXIF orientation applied.
 */
package io.advlab.image;
