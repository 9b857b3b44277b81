/** Plumbing the durable jobs (evaluations, fine-tunings) share: following one as server-sent events. */
package io.advlab.jobs;
