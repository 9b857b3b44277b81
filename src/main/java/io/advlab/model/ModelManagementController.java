package io.advlab.model;

import io.advlab.image.ImageLoader;
import io.advlab.problem.ApiException;
import io.advlab.problem.Problem;
import io.advlab.problem.ProblemType;
import io.advlab.security.AdminOperation;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Managing models (like TorchServe's management API and Triton's repository API): register a new
 * version from a URL, a server-side folder or an uploaded archive; load and unload versions; set
 * a model's default version and the default model. Loading is asynchronous: 202 with the
 * version's {@code Location}, whose state goes from LOADING to READY or FAILED. Every operation
 * here needs the admin credentials (see the security package).
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Models")
@ApiResponse(responseCode = "400", description = "Invalid name, version or body (the `field` member names it)",
    content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "404", description = "No such model or version",
    content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "409", description = "The version is in the wrong state for this (LOADING, not READY)",
    content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "503", description = "No writable model store (registering needs one)",
    content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
class ModelManagementController {

  private final ModelRegistry registry;
  private final ImageLoader urls;

  ModelManagementController(ModelRegistry registry, ImageLoader urls) {
    this.registry = registry;
    this.urls = urls;
  }

  /**
   * Where a new version comes from: exactly one of {@code url} and {@code path}.
   *
   * @param url {@code djl://} zoo URL, or {@code http(s)://} URL of a zip or tar.gz of a model
   *     folder (public addresses only, as for images)
   * @param path a folder (or zip / tar.gz) on the server holding {@code <name>.pt},
   *     {@code synset.txt} and {@code serving.properties}
   */
  @Schema(name = "RegisterVersionRequest")
  record RegisterRequest(
      @Schema(example = "djl://ai.djl.pytorch/resnet/0.0.1/traced_resnet18") String url,
      @Schema(example = "/models/digits-v2") String path) {}

  /** @param version the version to make the default */
  record DefaultVersionRequest(@Schema(example = "2", requiredMode = Schema.RequiredMode.REQUIRED) Integer version) {}

  /** @param model the model to make the default */
  record DefaultModelRequest(@Schema(example = "digits", requiredMode = Schema.RequiredMode.REQUIRED) String model) {}

  @AdminOperation
  @PostMapping(path = "/models/{name}/versions", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "registerModelVersion", summary = "Register the next version of a model from a URL or a"
      + " server-side folder", description = "Copies the files into the model store and loads them in the background."
      + " Answers 202 at once; follow `Location` until the state is READY or FAILED. The new version is served next to"
      + " the others and is not the default until someone sets it.")
  @ApiResponse(responseCode = "202", description = "Registered; loading")
  @ApiResponse(responseCode = "400", description = "Neither or both of url and path, a bad name, a URL that is not"
      + " allowed", content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
  ResponseEntity<ModelStatus.Version> register(@PathVariable String name, @RequestBody RegisterRequest request) {
    requireName(name);
    boolean hasUrl = request.url() != null && !request.url().isBlank();
    boolean hasPath = request.path() != null && !request.path().isBlank();
    if (hasUrl == hasPath) {
      throw ApiException.invalidField(hasUrl ? "path" : "url", "Give exactly one of 'url' (djl:// or http(s)://) and"
          + " 'path' (a folder or archive on the server).");
    }
    ServedModel served = hasPath ? fromPath(name, request.path().strip()) : fromUrl(name, request.url().strip());
    return accepted(served);
  }

  @AdminOperation
  @PostMapping(path = "/models/{name}/versions/archive",
      consumes = {"application/zip", "application/gzip", "application/x-gzip", "application/x-tar",
          MediaType.APPLICATION_OCTET_STREAM_VALUE})
  @Operation(operationId = "uploadModelVersion", summary = "Register the next version of a model from an uploaded"
      + " archive", description = "The request body is a zip, tar or tar.gz of a model folder (`<name>.pt`,"
      + " `synset.txt`, `serving.properties`), e.g. `curl --data-binary @digits.zip -H 'Content-Type:"
      + " application/zip' ...`. The archive is checked (size, entries, unpacked size, paths) before anything is"
      + " stored. Answers 202; follow `Location`.")
  @ApiResponse(responseCode = "202", description = "Registered; loading")
  @ApiResponse(responseCode = "413", description = "Archive over the size limits",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
  @ApiResponse(responseCode = "422", description = "Not an archive, corrupt, a path outside the archive, a link, no .pt",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
  @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, description = "A zip, tar or tar.gz archive"
      + " (sent as application/octet-stream, application/zip, application/gzip or application/x-tar: the format is"
      + " read from the bytes)", content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
          schema = @Schema(type = "string", format = "binary")))
  ResponseEntity<ModelStatus.Version> upload(@PathVariable String name,
      HttpServletRequest request) throws IOException {
    requireName(name);
    requireStore();
    Path work = Files.createTempDirectory("advlab-upload-");
    boolean handedOver = false;
    try {
      Path archive = work.resolve("archive");
      try (InputStream in = request.getInputStream()) {
        registry.archives().receive(in, archive);
      }
      Path folder = registry.archives().unpack(archive, work.resolve("unpacked"));
      ServedModel served = registry.register(name, "upload", new ModelRegistry.SourcePreparer() {
        @Override
        public Path prepare() {
          return folder;
        }

        @Override
        public void cleanUp() {
          deleteQuietly(work);
        }
      });
      handedOver = true;
      return accepted(served);
    } finally {
      if (!handedOver) {
        deleteQuietly(work);
      }
    }
  }

  @AdminOperation
  @PostMapping("/models/{name}/versions/{version}/load")
  @Operation(operationId = "loadModelVersion", summary = "Load an UNLOADED or FAILED version again",
      description = "Answers 202 at once; follow `Location` until READY or FAILED. A version already LOADING or READY"
          + " is left as it is.")
  @ApiResponse(responseCode = "202", description = "Loading")
  ResponseEntity<ModelStatus.Version> load(@PathVariable String name, @PathVariable int version) {
    return accepted(registry.load(name, version));
  }

  @AdminOperation
  @PostMapping("/models/{name}/versions/{version}/unload")
  @ApiResponse(responseCode = "200", description = "Unloaded")
  @Operation(operationId = "unloadModelVersion", summary = "Stop serving a version",
      description = "New requests for it get 503; requests already running on it finish first, then its memory is"
          + " freed. A version from the store keeps its files and stays unloaded after a restart until it is loaded"
          + " again; a version from the configuration is served again after a restart.")
  ModelStatus.Version unload(@PathVariable String name, @PathVariable int version) {
    ServedModel served = registry.unload(name, version);
    return versionStatus(served);
  }

  @AdminOperation
  @PutMapping("/models/{name}/default-version")
  @ApiResponse(responseCode = "200", description = "The model with its new default version")
  @Operation(operationId = "setDefaultModelVersion", summary = "Set the version requests naming only the model get",
      description = "The version must be READY: requests keep going to the current default until then, so a swap"
          + " loses no request. Kept across restarts.")
  @ApiResponse(responseCode = "409", description = "The version is not READY",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
  ModelStatus setDefaultVersion(@PathVariable String name, @RequestBody DefaultVersionRequest request) {
    if (request.version() == null) {
      throw ApiException.invalidField("version", "'version' is required, e.g. {\"version\": 2}.");
    }
    registry.setDefaultVersion(name, request.version());
    return registry.status(registry.slot(name, false));
  }

  @AdminOperation
  @PutMapping("/default-model")
  @ApiResponse(responseCode = "200", description = "Every model, and the new default model")
  @Operation(operationId = "setDefaultModel", summary = "Set the model requests without `model` get",
      description = "The model's default version must be READY. Kept across restarts.")
  ModelController.ModelList setDefaultModel(@RequestBody DefaultModelRequest request) {
    if (request.model() == null || request.model().isBlank()) {
      throw ApiException.invalidField("model", "'model' is required, e.g. {\"model\": \"digits\"}.");
    }
    registry.setDefaultModel(request.model().strip());
    return new ModelController.ModelList(registry.status(), registry.defaultModel());
  }

  private ServedModel fromPath(String name, String path) {
    Path source = Path.of(path).toAbsolutePath().normalize();
    if (source.startsWith(registry.storeDir())) {
      throw ApiException.invalidField("path", "'path' points into the model store itself; register from elsewhere.");
    }
    if (Files.isRegularFile(source)) {
      requireStore();
      return registry.register(name, source.toString(), new ArchivePreparer(source));
    }
    if (!Files.isDirectory(source) || !holdsModel(source)) {
      throw ApiException.invalidField("path", "'path' must be a folder on the server holding a TorchScript .pt file"
          + " (with synset.txt and serving.properties), or a zip / tar.gz of one; " + source + " is not.");
    }
    requireStore();
    return registry.register(name, source.toString(), () -> source);
  }

  private ServedModel fromUrl(String name, String url) {
    if (url.startsWith("http://") || url.startsWith("https://")) {
      urls.vetUrl(url);
    } else if (!url.startsWith("djl://")) {
      throw ApiException.invalidField("url", "'url' must be a djl:// model zoo URL or an http(s):// URL of a zip or"
          + " tar.gz; for a folder on the server use 'path'.");
    }
    requireStore();
    Path[] work = new Path[1];
    return registry.register(name, url, new ModelRegistry.SourcePreparer() {
      @Override
      public Path prepare() throws IOException {
        work[0] = Files.createTempDirectory("advlab-fetch-");
        ModelFetcher.fetch(url, work[0]);
        return work[0];
      }

      @Override
      public void cleanUp() {
        deleteQuietly(work[0]);
      }
    });
  }

  /** Unpacks a server-side archive on the loader thread. */
  private final class ArchivePreparer implements ModelRegistry.SourcePreparer {
    private final Path archive;
    private Path work;

    ArchivePreparer(Path archive) {
      this.archive = archive;
    }

    @Override
    public Path prepare() throws IOException {
      work = Files.createTempDirectory("advlab-unpack-");
      return registry.archives().unpack(archive, work);
    }

    @Override
    public void cleanUp() {
      deleteQuietly(work);
    }
  }

  private void requireStore() {
    if (registry.storeUnavailable() != null) {
      throw new ApiException(ProblemType.STORE_UNAVAILABLE, "Cannot register a version: " + registry.storeUnavailable()
          + " (set advlab.store.dir to a writable folder).");
    }
  }

  private static void requireName(String name) {
    if (!ModelId.NAME.matcher(name).matches()) {
      throw ApiException.invalidField("name", "A model name has 1 to 64 letters, digits, '.', '_' or '-' and starts"
          + " with a letter or digit; got '" + name + "'.");
    }
  }

  private static boolean holdsModel(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.anyMatch(f -> f.getFileName().toString().endsWith(".pt"));
    } catch (IOException e) {
      return false;
    }
  }

  private ResponseEntity<ModelStatus.Version> accepted(ServedModel served) {
    URI location = URI.create("/api/v1/models/" + served.id().name() + "/versions/" + served.id().version());
    return ResponseEntity.accepted().location(location).body(versionStatus(served));
  }

  private ModelStatus.Version versionStatus(ServedModel served) {
    return registry.status(registry.slot(served.id().name(), false)).versions().stream()
        .filter(v -> v.version() == served.id().version()).findFirst().orElseThrow();
  }

  private static void deleteQuietly(Path dir) {
    if (dir != null) {
      try {
        ModelStore.deleteTree(dir);
      } catch (IOException | RuntimeException e) {
        // a temporary folder; the OS cleans it up eventually
      }
    }
  }
}
