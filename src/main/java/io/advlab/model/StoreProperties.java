package io.advlab.model;

import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The model store: registered versions as {@code <dir>/<name>/<version>/} folders, served again
 * after a restart, and the limits on archives uploaded into it.
 *
 * @param dir the store's folder (env {@code ADVLAB_STORE_DIR}); created when missing. A PVC in the
 *     Helm chart, a volume in docker-compose. When it cannot be written, the service still serves
 *     its configured models, and registering new versions answers 503
 * @param maxArchiveBytes largest uploaded or downloaded archive
 * @param maxArchiveFiles most entries in an archive
 * @param maxUnpackedBytes most bytes an archive may unpack to (zip bombs stop here)
 */
@ConfigurationProperties("advlab.store")
@Validated
public record StoreProperties(
    @DefaultValue("data/models") Path dir,
    @DefaultValue("1GB") DataSize maxArchiveBytes,
    @DefaultValue("100") @Min(1) int maxArchiveFiles,
    @DefaultValue("2GB") DataSize maxUnpackedBytes) {}
