package io.advlab.model;

import io.advlab.support.TestRequirements;
import java.time.Duration;

/** Loads a shared model outside Spring for tests of other packages (the loader is package-private). */
public final class TestModels {

  private TestModels() {}

  /** The model in {@code ../shared/models/<name>} on the CPU; close it after use. */
  public static ClassifierModel load(String name) {
    var properties = new ModelProperties(TestRequirements.sharedModel(name).toString(), "", "cpu", 1, 0,
        8, Duration.ofMillis(1), 8, Duration.ofSeconds(30));
    return new ModelLoader(properties).load();
  }
}
