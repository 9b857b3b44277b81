/**
 * Loading the network (inference and gradient instances), its labels and preprocessing, device
 * choice, and the batched inference pool; also the {@code /api/v1/model} and
 * {@code /api/v1/labels} endpoints.
 */
package io.advlab.model;
