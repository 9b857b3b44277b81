package io.advlab.system;

import io.advlab.model.ModelLoadException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a model that cannot be loaded into one clear start-up message saying how to fix it. */
class ModelLoadFailureAnalyzer extends AbstractFailureAnalyzer<ModelLoadException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, ModelLoadException cause) {
    return new FailureAnalysis(
        cause.getMessage(),
        "advlab runs DJL offline (ai.djl.offline=true), so a djl:// zoo model loads only when it is"
            + " already in the DJL cache. Point advlab.model.url (environment variable ADVLAB_MODEL_URL)"
            + " at a local model folder holding <name>.pt, synset.txt and serving.properties, for example:\n\n"
            + "    ADVLAB_MODEL_URL=../shared/models/resnet18-untrained ./mvnw spring-boot:run\n",
        cause);
  }
}
