package io.advlab;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Entry point of the advlab service. DJL runs offline unless {@code ai.djl.offline} is set
 * explicitly: the PyTorch natives come from Maven Central with the jar and nothing is downloaded
 * at run time.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AdvlabApplication {

  public static void main(String[] args) {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    SpringApplication.run(AdvlabApplication.class, args);
  }
}
