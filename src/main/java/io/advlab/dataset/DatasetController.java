package io.advlab.dataset;

import io.advlab.model.Labels;
import io.advlab.model.ModelRegistry;
import io.advlab.model.ServedModel;
import io.advlab.problem.ApiException;
import io.advlab.problem.Problem;
import io.advlab.security.AdminOperation;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Data sets for evaluations: list them, look at one (with its images per class), map its classes
 * onto a model's labels, and upload or delete one (admin). Reading is open.
 */
@RestController
@RequestMapping("/api/v1/datasets")
@Tag(name = "Data sets")
@ApiResponse(responseCode = "400", description = "Invalid name or parameter (the `field` member names it)",
    content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "404", description = "No such data set (type `dataset-not-found`, naming the known ones)",
    content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
class DatasetController {

  private final DatasetCatalog catalog;
  private final DatasetUploads uploads;
  private final ModelRegistry registry;

  DatasetController(DatasetCatalog catalog, DatasetUploads uploads, ModelRegistry registry) {
    this.catalog = catalog;
    this.uploads = uploads;
    this.registry = registry;
  }

  /** @param datasets every data set, by name */
  record DatasetList(List<Dataset> datasets) {}

  /** @param name a class folder @param images how many images it holds */
  record ClassCount(String name, int images) {}

  /** A data set with the images of each class, in {@code classes} order. */
  record DatasetDetail(String name, List<String> classes, int images, String digest, String source,
      List<ClassCount> perClass) {}

  /**
   * @param folder the class folder
   * @param classIndex its index in the data set's {@code classes}
   * @param labelIndex the model's label it is
   * @param label that label's name
   */
  record ClassLabel(String folder, int classIndex, int labelIndex, String label) {}

  /** @param model the version the mapping was made for ({@code name:version}) */
  record ClassMapping(String dataset, String model, List<ClassLabel> classes) {}

  @GetMapping
  @ApiResponse(responseCode = "200", description = "The data sets")
  @Operation(operationId = "listDatasets", summary = "List the data sets",
      description = "Server-side folders under `advlab.datasets.dir` and uploaded archives, by name, with their"
          + " classes, image count and digest.")
  DatasetList list() {
    return new DatasetList(catalog.list());
  }

  @GetMapping("/{name}")
  @ApiResponse(responseCode = "200", description = "The data set")
  @Operation(operationId = "getDataset", summary = "A data set with its images per class")
  @ApiResponse(responseCode = "422", description = "Over `advlab.datasets.max-images` (type `dataset-too-large`)",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
  DatasetDetail get(@PathVariable String name) {
    Dataset d = catalog.get(name);
    List<Integer> counts = catalog.counts(name);
    List<ClassCount> perClass = new ArrayList<>();
    for (int c = 0; c < d.classes().size(); c++) {
      perClass.add(new ClassCount(d.classes().get(c), counts.get(c)));
    }
    return new DatasetDetail(d.name(), d.classes(), d.images(), d.digest(), d.source(), perClass);
  }

  @GetMapping("/{name}/classes")
  @ApiResponse(responseCode = "200", description = "Each class folder and its label")
  @Operation(operationId = "mapDatasetClasses", summary = "Map a data set's classes onto a model's labels",
      description = "Class folders match the model's label names (or WordNet ids), or are class indices"
          + " `0..labels-1`. Evaluations use the same mapping.")
  @ApiResponse(responseCode = "422", description = "Folders that match no label (type `dataset-mismatch`, naming them"
      + " and some of the model's labels), or no images (`dataset-empty`)",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
  @ApiResponse(responseCode = "503", description = "The model is not ready",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
  ClassMapping classes(@PathVariable String name,
      @Parameter(description = "model as `name` or `name:version`; the default model when left out", example = "digits")
      @RequestParam(required = false) String model) {
    Dataset dataset = catalog.get(name);
    try (ServedModel.Lease lease = registry.acquire(model)) {
      Labels labels = lease.served().model().labels();
      int[] mapping = catalog.labelsFor(name, labels, "model '" + lease.served().id() + "'");
      List<ClassLabel> classes = new ArrayList<>();
      for (int c = 0; c < mapping.length; c++) {
        classes.add(new ClassLabel(dataset.classes().get(c), c, mapping[c], labels.get(mapping[c]).name()));
      }
      return new ClassMapping(name, lease.served().id().toString(), classes);
    }
  }

  @AdminOperation
  @PostMapping(path = "/{name}", consumes = {"application/zip", "application/gzip", "application/x-gzip",
      "application/x-tar", MediaType.APPLICATION_OCTET_STREAM_VALUE})
  @Operation(operationId = "uploadDataset", summary = "Upload a data set as a zip, tar or tar.gz",
      description = "The body is an archive of class folders of images (`0/a.png`, `1/b.png`..., optionally inside"
          + " one top folder), e.g. `curl --data-binary @cifar.tar.gz -H 'Content-Type: application/gzip' ...`."
          + " The archive is checked (size, entries, unpacked size, paths, links, layout) before anything is stored;"
          + " the data set then appears whole.")
  @ApiResponse(responseCode = "201", description = "Stored; `Location` names it")
  @ApiResponse(responseCode = "409", description = "A data set of that name exists (type `dataset-conflict`)",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
  @ApiResponse(responseCode = "413", description = "Archive over the size limits (type `archive-too-large`)",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
  @ApiResponse(responseCode = "422", description = "Not an archive, corrupt, a path outside the archive, a link"
      + " (`invalid-archive`); no images in class folders (`dataset-empty`); too many images (`dataset-too-large`)",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
  @ApiResponse(responseCode = "503", description = "The upload folder is not writable (type `datasets-unavailable`)",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
  @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, description = "A zip, tar or tar.gz archive"
      + " (sent as application/octet-stream, application/zip, application/gzip or application/x-tar: the format is"
      + " read from the bytes)", content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
          schema = @Schema(type = "string", format = "binary")))
  ResponseEntity<Dataset> upload(@PathVariable String name,
      HttpServletRequest request) throws IOException {
    try (InputStream in = request.getInputStream()) {
      Dataset dataset = uploads.upload(name, in);
      return ResponseEntity.created(URI.create("/api/v1/datasets/" + name)).body(dataset);
    }
  }

  @AdminOperation
  @PostMapping(consumes = {"application/zip", "application/gzip", "application/x-gzip", "application/x-tar",
      MediaType.APPLICATION_OCTET_STREAM_VALUE})
  @Operation(operationId = "uploadNamedDataset", summary = "Upload a data set named by a query parameter",
      description = "The same as `POST /api/v1/datasets/{name}`, with the name as `?name=`.")
  @ApiResponse(responseCode = "201", description = "Stored; `Location` names it")
  @ApiResponse(responseCode = "400", description = "No `name` (type `invalid-request`)",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
  @ApiResponse(responseCode = "409", description = "A data set of that name exists (type `dataset-conflict`)",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
  @ApiResponse(responseCode = "413", description = "Archive over the size limits (type `archive-too-large`)",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
  @ApiResponse(responseCode = "422", description = "As for `POST /api/v1/datasets/{name}`",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
  @ApiResponse(responseCode = "503", description = "The upload folder is not writable (type `datasets-unavailable`)",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
  @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, description = "A zip, tar or tar.gz archive"
      + " (sent as application/octet-stream, application/zip, application/gzip or application/x-tar: the format is"
      + " read from the bytes)", content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
          schema = @Schema(type = "string", format = "binary")))
  ResponseEntity<Dataset> uploadNamed(
      @Parameter(description = "the new data set's name", example = "cifar-sample", required = true)
      @RequestParam(required = false) String name, HttpServletRequest request) throws IOException {
    if (name == null || name.isBlank()) {
      throw ApiException.invalidField("name", "Name the data set: POST /api/v1/datasets?name=<name> (or"
          + " POST /api/v1/datasets/<name>).");
    }
    return upload(name, request);
  }

  @AdminOperation
  @DeleteMapping("/{name}")
  @Operation(operationId = "deleteDataset", summary = "Delete an uploaded data set")
  @ApiResponse(responseCode = "204", description = "Deleted")
  @ApiResponse(responseCode = "409", description = "A server-side data set (type `dataset-conflict`): remove its"
      + " folder on the server instead",
      content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
  ResponseEntity<Void> delete(@PathVariable String name) throws IOException {
    uploads.delete(name);
    return ResponseEntity.noContent().build();
  }
}
