package io.advlab.system;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.core.convert.converter.Converter;
import org.springframework.stereotype.Component;

/**
 * Binds folder settings ({@code advlab.store.dir}, {@code advlab.datasets.dir}...) as plain file
 * paths. Spring's default conversion reads a {@link Path} setting as a resource location, which
 * rejects the relative paths people write ({@code ADVLAB_DATASETS_DIR=../shared/images/digits}
 * failed start-up with "normalized to [null]").
 */
@Component
@ConfigurationPropertiesBinding
class FilePathConverter implements Converter<String, Path> {

  @Override
  public Path convert(String source) {
    return Path.of(source.strip());
  }
}
