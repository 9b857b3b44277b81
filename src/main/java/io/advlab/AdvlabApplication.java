package io.advlab;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point of the advlab service. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AdvlabApplication {

  public static void main(String[] args) {
    SpringApplication.run(AdvlabApplication.class, args);
  }
}
