package io.advlab.model;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Makes the loaded model and the inference pool Spring beans, so Spring closes them on shutdown. */
@Configuration(proxyBeanMethods = false)
class ModelConfiguration {

  @Bean(destroyMethod = "close")
  ClassifierModel classifierModel(ModelProperties properties) {
    return new ModelLoader(properties).load();
  }
}
