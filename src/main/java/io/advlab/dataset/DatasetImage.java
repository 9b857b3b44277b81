package io.advlab.dataset;

/**
 * One image of a data set.
 *
 * @param path relative to the data set's folder, with {@code /}: {@code 7/3500.png}
 * @param classIndex index into {@link Dataset#classes()}
 */
public record DatasetImage(String path, int classIndex) {}
