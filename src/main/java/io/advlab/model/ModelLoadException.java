package io.advlab.model;

/** The configured model could not be loaded; start-up stops with one clear message. */
public class ModelLoadException extends RuntimeException {

  private final String url;

  public ModelLoadException(String url, String reason, Throwable cause) {
    super("Could not load the model from '" + url + "': " + reason, cause);
    this.url = url;
  }

  public String url() {
    return url;
  }
}
