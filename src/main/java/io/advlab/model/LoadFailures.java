package io.advlab.model;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.NoSuchFileException;

/**
 * Turns why a model did not load into words an operator can act on; the model's state shows them
 * ({@code GET /api/v1/models}, {@code /actuator/health}, the 503 of a request for it).
 */
final class LoadFailures {

  private LoadFailures() {}

  static String explain(String url, Throwable e) {
    boolean zoo = url.startsWith("djl://");
    if (zoo && Boolean.getBoolean("ai.djl.offline")) {
      return "DJL runs offline (ai.djl.offline=true) and the model is not in the DJL cache; drop the"
          + " ai.djl.offline flag on a machine with internet, or serve a local copy with advlab.models[i].url";
    }
    if (zoo && (has(e, UnknownHostException.class) || has(e, ConnectException.class)
        || has(e, SocketTimeoutException.class))) {
      return "cannot reach the DJL model zoo (no network): connect this machine to the internet once (the model is"
          + " then cached in DJL_CACHE_DIR, default ~/.djl.ai), or serve a local copy with advlab.models[i].url"
          + " or ADVLAB_MODEL_URL";
    }
    if (has(e, UnknownHostException.class) || has(e, ConnectException.class)) {
      return "cannot reach " + url + " (" + rootMessage(e) + ")";
    }
    if (has(e, NoSuchFileException.class)) {
      return "no such file " + rootMessage(e);
    }
    return rootMessage(e);
  }

  private static boolean has(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
  }
}
