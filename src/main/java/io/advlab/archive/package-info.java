/**
 * Unpacking uploaded or downloaded archives (zip, tar, tar.gz) under size, entry and path guards;
 * shared by the model registry and the data sets. Imports only {@code problem}.
 */
package io.advlab.archive;
