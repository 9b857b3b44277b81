/**
 * Cross-cutting pieces: request limits, health and warm-up, metrics and
 * the OpenAPI description.
 */
package io.advlab.system;
