/**
 * Data sets for robustness evaluations, in ImageFolder layout (one folder per class, named after
 * the model's label or its class index): the server-side folders under
 * {@code advlab.datasets.dir}, uploaded archives, their scan and digest ({@link DatasetCatalog}),
 * the mapping of their classes onto a model's labels, and the {@code /api/v1/datasets} endpoints.
 */
package io.advlab.dataset;
