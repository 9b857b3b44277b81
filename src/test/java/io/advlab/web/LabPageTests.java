package io.advlab.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.advlab.support.DigitsServerTest;
import io.advlab.support.HttpApi;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The lab page over plain HTTP, without a browser: {@code /} answers the page to anonymous callers
 * (the security chain lets it through), and every file it references, and every module those
 * import, is served with its type (a module served as anything but JavaScript is refused by
 * browsers, since advlab sends {@code X-Content-Type-Options: nosniff}).
 */
class LabPageTests extends DigitsServerTest {

  private static final Pattern REFERENCE = Pattern.compile("(?:src|href)=\"(?!https?:|data:|#)([^\"]+)\"");
  private static final Pattern IMPORT = Pattern.compile("from '\\./([^']+)'");

  @Test
  void theRootAnswersTheLabPage() {
    HttpApi.Response page = api().get("/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(page.body()).contains("<title>advlab lab</title>").contains("<script type=\"module\" src=\"js/main.js\">");
  }

  @Test
  void everyFileThePageUsesIsServedWithItsType() {
    Map<String, String> served = new LinkedHashMap<>();
    Deque<String> todo = new ArrayDeque<>();
    references(REFERENCE, api().get("/").body(), "", todo);
    long bytes = 0;
    while (!todo.isEmpty()) {
      String path = todo.pop();
      if (served.containsKey(path) || path.equals("swagger-ui.html")) {
        continue;
      }
      HttpApi.Response file = api().get("/" + path);
      assertThat(file.status()).as(path).isEqualTo(200);
      served.put(path, file.contentType());
      bytes += file.raw().body().length;
      if (path.endsWith(".js")) {
        references(IMPORT, file.body(), path.substring(0, path.lastIndexOf('/') + 1), todo);
      }
    }
    served.forEach((path, type) -> {
      String expected = path.endsWith(".js") ? "text/javascript" : path.endsWith(".css") ? "text/css"
          : path.endsWith(".png") ? "image/png" : path.endsWith(".jpg") ? "image/jpeg" : "?";
      assertThat(type).as(path).startsWith(expected);
    });
    assertThat(served.keySet()).contains("lab.css", "js/main.js", "js/attack.js", "js/evaluations.js", "js/models.js",
        "js/api.js", "samples/digit-7.png");
    System.out.println("lab page: " + served.size() + " files, " + bytes + " bytes besides index.html");
  }

  private static void references(Pattern pattern, String text, String folder, Deque<String> todo) {
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      todo.add(folder + m.group(1));
    }
  }
}
