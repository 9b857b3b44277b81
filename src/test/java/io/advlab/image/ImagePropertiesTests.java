package io.advlab.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.unit.DataSize;

class ImagePropertiesTests {

  private static ImageProperties bind(Map<String, Object> environment) {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environment));
    ConfigurationPropertySources.attach(env);
    return Binder.get(env).bindOrCreate("advlab.image", ImageProperties.class);
  }

  @Test
  void defaultsMatchTheDocumentedValues() {
    ImageProperties bound = bind(Map.of());
    assertThat(bound).isEqualTo(ImageProperties.defaults());
    assertThat(bound.maxBytes()).isEqualTo(DataSize.ofMegabytes(10));
    assertThat(bound.url().allowedHosts()).isEmpty();
  }

  @Test
  void environmentVariablesSetTheAllowListAndLimits() {
    ImageProperties bound = bind(Map.of("ADVLAB_IMAGE_URL_ALLOWEDHOSTS", "images.corp.example,10.0.3.7",
        "ADVLAB_IMAGE_MAXPIXELS", "1000", "ADVLAB_IMAGE_URL_READTIMEOUT", "2s"));
    assertThat(bound.url().allowedHosts()).containsExactly("images.corp.example", "10.0.3.7");
    assertThat(bound.maxPixels()).isEqualTo(1000);
    assertThat(bound.url().readTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(bind(Map.of("ADVLAB_IMAGE_URL_ALLOWED_HOSTS", "a,b")).url().allowedHosts()).containsExactly("a", "b");
  }
}
