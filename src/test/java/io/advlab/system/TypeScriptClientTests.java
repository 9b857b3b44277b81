package io.advlab.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.advlab.support.TestRequirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The TypeScript client the build generates from {@code docs/openapi.json} (typescript-fetch, in
 * {@code target/typescript-sdk/advlab-ts}) compiles with {@code tsc --strict}, together with
 * README's example that uses it. TypeScript comes from npm ({@value #TYPESCRIPT}); without npm the
 * test skips, unless {@code ADVLAB_REQUIRE_NODE=true} (set by {@code .ci/run}, which installs it).
 */
class TypeScriptClientTests {

  static final String TYPESCRIPT = "typescript@5.9.3";
  private static final Path DIR = Path.of("target/typescript-sdk");
  private static final String TSCONFIG = """
      {"compilerOptions": {"strict": true, "noEmit": true, "target": "es2020", "lib": ["es2020", "dom"],
        "module": "es2020", "moduleResolution": "node"},
       "include": [%s]}
      """;

  @BeforeAll
  static void installTypeScript() throws IOException, InterruptedException {
    boolean npm = run(List.of("npm", "--version"), Path.of(".")).exit() == 0;
    String why = "npm is not installed (CI installs nodejs and npm with apt-get)";
    if (!npm && Boolean.parseBoolean(System.getenv("ADVLAB_REQUIRE_NODE"))) {
      throw new AssertionError(why + ", and ADVLAB_REQUIRE_NODE=true forbids skipping the TypeScript check");
    }
    TestRequirements.assumeAvailable(npm, why);
    assertThat(DIR.resolve("advlab-ts/index.ts")).as("generated in generate-test-sources").exists();
    if (!Files.exists(DIR.resolve("node_modules/.bin/tsc"))) {
      Result install = run(List.of("npm", "install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund",
          "--prefer-offline", TYPESCRIPT), DIR);
      assertThat(install.exit()).as("npm install " + TYPESCRIPT + ":\n" + install.output()).isZero();
    }
  }

  @Test
  void theGeneratedClientAndReadmesExampleCompile() throws IOException, InterruptedException {
    Files.copy(Path.of("src/test/typescript/example.ts"), DIR.resolve("example.ts"), StandardCopyOption.REPLACE_EXISTING);
    Result tsc = tsc("\"advlab-ts/**/*.ts\", \"example.ts\"");
    assertThat(tsc.exit()).as("tsc:\n" + tsc.output()).isZero();
  }

  @Test
  void readmeShowsTheExampleThatCompiles() throws IOException {
    String example = Files.readString(Path.of("src/test/typescript/example.ts"));
    String code = example.substring(example.indexOf("import "));
    assertThat(Files.readString(Path.of("README.md"))).as("README's TypeScript example is example.ts").contains(code);
  }

  @Test
  void tscRejectsCodeThatMisusesTheClient() throws IOException, InterruptedException {
    // The check above would pass vacuously if tsc saw nothing: the same set-up must reject a wrong call.
    Files.writeString(DIR.resolve("misuse.ts"), """
        import { AttacksApi, Configuration } from './advlab-ts';
        new AttacksApi(new Configuration()).attackImage({ attackRequest: { method: 'no-such-method' } });
        """);
    Result tsc = tsc("\"advlab-ts/**/*.ts\", \"misuse.ts\"");
    assertThat(tsc.exit()).as(tsc.output()).isNotZero();
    assertThat(tsc.output()).contains("misuse.ts").contains("no-such-method");
  }

  private static Result tsc(String include) throws IOException, InterruptedException {
    Path config = DIR.resolve("tsconfig.json");
    Files.writeString(config, TSCONFIG.formatted(include));
    return run(List.of("node_modules/.bin/tsc", "-p", "tsconfig.json"), DIR);
  }

  private record Result(int exit, String output) {}

  private static Result run(List<String> command, Path dir) throws IOException, InterruptedException {
    Process process;
    try {
      process = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    }
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      return new Result(-1, "timed out");
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
