/**
 * Cross-cutting pieces: RFC 9457 error mapping, request limits, health and warm-up, metrics and
 * the OpenAPI description.
 */
package io.advlab.system;
