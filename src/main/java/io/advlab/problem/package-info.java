/**
 * Errors at the bottom of the package graph: {@link io.advlab.problem.ApiException} with its
 * {@link io.advlab.problem.ProblemType} and the handler that turns every failure into an RFC 9457
 * problem+json body. Every feature package may import it; it imports none of them.
 */
package io.advlab.problem;
