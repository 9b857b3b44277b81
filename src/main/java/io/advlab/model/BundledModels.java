package io.advlab.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Models shipped inside the application ({@code classpath:models/digits}): DJL loads folders, not
 * class-path resources, so the folder's files ({@code <name>.pt}, {@code synset.txt},
 * {@code serving.properties}) are copied to a folder under the temporary directory first. That
 * works from the IDE, from {@code spring-boot:run} and from the packaged jar alike, and in a
 * container whose only writable place is {@code /tmp}.
 */
final class BundledModels {

  static final String SCHEME = "classpath:";

  private BundledModels() {}

  static Path extract(String url) {
    String folder = url.substring(SCHEME.length()).replaceAll("^/+|/+$", "");
    String name = folder.substring(folder.lastIndexOf('/') + 1);
    try {
      Path dir = Files.createTempDirectory("advlab-" + name + "-").resolve(name);
      Files.createDirectories(dir);
      boolean found = false;
      for (String file : new String[] {name + ".pt", "synset.txt", "serving.properties"}) {
        try (InputStream in = BundledModels.class.getClassLoader().getResourceAsStream(folder + "/" + file)) {
          if (in != null) {
            Files.copy(in, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            found |= file.endsWith(".pt");
          }
        }
      }
      if (!found) {
        throw new ModelLoadException(url, "the application holds no " + folder + "/" + name + ".pt", null);
      }
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the bundled model " + url + " out of the application", e);
    }
  }
}
