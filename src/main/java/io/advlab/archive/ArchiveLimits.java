package io.advlab.archive;

import org.springframework.util.unit.DataSize;

/**
 * The caps on one archive, and the properties that set them (named in the problems, so a client
 * or operator knows which setting to raise).
 *
 * @param maxArchiveBytes largest archive as received
 * @param maxFiles most entries (files and folders)
 * @param maxUnpackedBytes most bytes the entries unpack to, counted while writing (zip bombs stop here)
 * @param propertyPrefix where the three are configured, e.g. {@code advlab.store}
 * @param contents what the archive should hold, in words, e.g. {@code a model folder}
 */
public record ArchiveLimits(DataSize maxArchiveBytes, int maxFiles, DataSize maxUnpackedBytes, String propertyPrefix,
    String contents) {}
