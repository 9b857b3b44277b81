package io.advlab.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The glibc malloc settings are written twice, in the image (Dockerfile) and for everything Maven
 * starts (pom.xml: {@code spring-boot:run}, the tests, and bench/run.sh reads them there): both
 * must say the same, and this JVM, started by surefire, must run with them.
 */
class MallocSettingsTests {

  @Test
  void theImageAndMavenRunWithTheSameMallocSettings() throws Exception {
    Map<String, String> image = new TreeMap<>();
    Matcher env = Pattern.compile("(MALLOC_[A-Z_]+_)=(\\d+)").matcher(Files.readString(Path.of("Dockerfile")));
    while (env.find()) {
      image.put(env.group(1), env.group(2));
    }
    Map<String, String> maven = new TreeMap<>();
    String pom = Files.readString(Path.of("pom.xml"));
    for (String name : image.keySet()) {
      String property = "malloc." + name.substring("MALLOC_".length(), name.length() - 1).toLowerCase().replace('_', '.');
      Matcher value = Pattern.compile("<" + Pattern.quote(property) + ">(\\d+)</").matcher(pom);
      maven.put(name, value.find() ? value.group(1) : null);
    }
    assertThat(image).containsOnlyKeys("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_");
    assertThat(maven).isEqualTo(image);
    assertThat(System.getenv()).containsAllEntriesOf(image);
  }
}
