package io.advlab.dataset;

import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Where data sets live and the limits on them.
 *
 * @param dir server-side data sets (env {@code ADVLAB_DATASETS_DIR}): every sub-folder in
 *     ImageFolder layout is a data set named after it. Need not exist; not written unless it is
 *     also the upload folder
 * @param uploadDir where uploaded data sets are stored; empty means {@code dir}. Set it when
 *     {@code dir} is read-only or shared (a mounted image collection)
 * @param maxArchiveBytes largest uploaded archive
 * @param maxArchiveFiles most entries in an uploaded archive
 * @param maxUnpackedBytes most bytes an uploaded archive may unpack to
 * @param maxImages most images in one data set; a larger one is refused (upload) or reported
 *     ({@code dataset-too-large}) instead of being scanned
 */
@ConfigurationProperties("advlab.datasets")
@Validated
public record DatasetProperties(
    @DefaultValue("data/datasets") Path dir,
    Path uploadDir,
    @DefaultValue("512MB") DataSize maxArchiveBytes,
    @DefaultValue("100000") @Min(1) int maxArchiveFiles,
    @DefaultValue("2GB") DataSize maxUnpackedBytes,
    @DefaultValue("100000") @Min(1) int maxImages) {

  /** The folder uploads go to: {@code uploadDir}, or {@code dir} when that is not set. */
  public Path uploads() {
    return uploadDir == null || uploadDir.toString().isBlank() ? dir : uploadDir;
  }
}
