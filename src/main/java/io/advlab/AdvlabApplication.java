package io.advlab;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Entry point of the advlab service. The PyTorch natives come from Maven Central with the jar, so
 * the engine never downloads anything; DJL is not put in offline mode, so a {@code djl://} zoo
 * model downloads (once, into the DJL cache) where the network is there, and is FAILED with the
 * reason where it is not, while the other models serve.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AdvlabApplication {

  public static void main(String[] args) {
    SpringApplication.run(AdvlabApplication.class, args);
  }
}
