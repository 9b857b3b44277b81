/**
 * The one bounded batching queue behind both the inference pool and the gradient scheduler:
 * requests wait in a bounded queue, worker threads gather them into batches and complete their
 * futures, a full queue is a 503 with {@code Retry-After}. Depends only on {@code problem}.
 */
package io.advlab.batching;
