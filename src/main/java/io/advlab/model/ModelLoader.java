package io.advlab.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.djl.translate.NoopTranslator;
import ai.djl.util.Pair;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a TorchScript classifier twice (inference and gradient instances) from a DJL URL or a
 * local folder, with its {@code serving.properties} and {@code synset.txt}.
 */
final class ModelLoader {

  private static final Logger log = LoggerFactory.getLogger(ModelLoader.class);

  private final String url;
  private final String deviceName;
  private final int threads;

  ModelLoader(ModelProperties properties) {
    this(properties.url(), properties.device(), properties.threads());
  }

  /**
   * @param url folder, {@code file:}, {@code djl://}, {@code http(s)://} archive or
   *     {@code classpath:} folder
   * @param deviceName {@code auto}, {@code cpu}, {@code gpu}, {@code gpu1}...
   * @param threads PyTorch intra-op threads; 0 keeps PyTorch's default
   */
  ModelLoader(String url, String deviceName, int threads) {
    this.url = url;
    this.deviceName = deviceName;
    this.threads = threads;
  }

  ClassifierModel load() {
    GraphOptimizer.offUnlessSet();
    if (threads > 0) {
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
      System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }
    String resolved = resolveUrl(url);
    Device device = device();
    ZooModel<NDList, NDList> inference = null;
    try {
      String modelFile = soleModelFile(resolved);
      inference = criteria(resolved, device, modelFile, Map.of()).loadModel();
      Path dir = inference.getModelPath();
      Properties serving = servingProperties(dir);
      Preprocessing preprocessing = Preprocessing.fromProperties(serving);
      int classes = probeClasses(inference, preprocessing);
      Labels labels = labels(dir, classes);
      ZooModel<NDList, NDList> forGradients = criteria(resolved, device, modelFile, Map.of("trainParam", "true"))
          .loadModel();
      GradientNetwork gradient = new GradientNetwork(forGradients, preprocessing);
      long parameters = countParameters(inference);
      String name = serving.getProperty("option.modelName", inference.getName());
      log.info("Loaded model '{}' from {} on {}: {} classes, {} parameters, {}", name, url, device, classes,
          parameters, preprocessing);
      return new ClassifierModel(name, url, inference, gradient, preprocessing, labels, classes, parameters);
    } catch (ModelLoadException e) {
      closeQuietly(inference);
      throw e;
    } catch (Exception | UnsatisfiedLinkError e) {
      closeQuietly(inference);
      throw new ModelLoadException(url, LoadFailures.explain(url, e), e);
    }
  }

  private Criteria<NDList, NDList> criteria(String url, Device device, String modelName,
      Map<String, String> options) {
    var builder = Criteria.builder()
        .setTypes(NDList.class, NDList.class)
        .optModelUrls(url)
        .optModelName(modelName)
        .optEngine("PyTorch")
        .optDevice(device)
        .optTranslator(new NoopTranslator())
        .optOption("mapLocation", "true");
    options.forEach(builder::optOption);
    return builder.build();
  }

  /**
   * The stem of the only {@code .pt} file in a local model folder that does not name its model
   * file, else null (DJL's own lookup). DJL looks for {@code <folder name>.pt} unless
   * {@code serving.properties} sets {@code option.modelName}, so without this a model folder copied
   * or mounted under another name (an image's {@code /models/baked}, a volume's {@code /models/model})
   * would not load.
   */
  static String soleModelFile(String resolvedUrl) throws IOException {
    if (!resolvedUrl.startsWith("file:")) {
      return null;
    }
    Path dir = Path.of(URI.create(resolvedUrl));
    if (!Files.isDirectory(dir) || Files.isRegularFile(dir.resolve(dir.getFileName() + ".pt"))
        || servingProperties(dir).getProperty("option.modelName") != null) {
      return null;
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<String> models = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".pt")).toList();
      return models.size() == 1 ? models.get(0).substring(0, models.get(0).length() - 3) : null;
    }
  }

  /**
   * A plain path becomes a {@code file:} URL (it must be an existing folder or model file); a
   * {@code classpath:} folder is copied out of the application first.
   */
  private static String resolveUrl(String url) {
    if (url.startsWith(BundledModels.SCHEME)) {
      return BundledModels.extract(url).toUri().toString();
    }
    if (url.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*") && !url.matches("^[a-zA-Z]:\\\\.*")) {
      return url;
    }
    Path path = Path.of(url).toAbsolutePath().normalize();
    if (!Files.exists(path)) {
      throw new ModelLoadException(url, "no such file or folder " + path, null);
    }
    return path.toUri().toString();
  }

  private Device device() {
    String name = deviceName.isBlank() ? "auto" : deviceName.trim().toLowerCase();
    if ("auto".equals(name)) {
      return Engine.getEngine("PyTorch").defaultDevice();
    }
    // DJL reads a bare "gpu" as gpu(-1): the model lands on the current GPU but reports no number.
    return "gpu".equals(name) ? Device.gpu() : Device.fromName(name);
  }

  private static Properties servingProperties(Path dir) throws IOException {
    Properties p = new Properties();
    Path file = dir.resolve("serving.properties");
    if (Files.isRegularFile(file)) {
      try (Reader reader = Files.newBufferedReader(file)) {
        p.load(reader);
      }
    }
    return p;
  }

  private static Labels labels(Path dir, int classes) throws IOException {
    Path synset = dir.resolve("synset.txt");
    if (!Files.isRegularFile(synset)) {
      log.warn("{} has no synset.txt; labels are class indices", dir);
      return Labels.numbered(classes);
    }
    Labels labels = Labels.read(synset);
    if (labels.size() != classes) {
      log.warn("synset.txt has {} labels but the model has {} outputs", labels.size(), classes);
    }
    return labels;
  }

  /** One forward pass on zeros: proves the input size fits and tells the number of classes. */
  private static int probeClasses(ZooModel<NDList, NDList> model, Preprocessing preprocessing) {
    return TorchThread.get(() -> probeOnTorchThread(model, preprocessing));
  }

  private static int probeOnTorchThread(ZooModel<NDList, NDList> model, Preprocessing preprocessing) {
    try (NDManager manager = model.getNDManager().newSubManager()) {
      NDArray zeros = manager.zeros(new Shape(1, 3, preprocessing.height(), preprocessing.width()));
      NDList out = model.getBlock().forward(new ParameterStore(manager, false), new NDList(zeros), false);
      Shape shape = out.head().getShape();
      if (shape.dimension() != 2 || shape.get(0) != 1) {
        throw new ModelLoadException(model.getName(), "expected logits of shape (1, classes), got " + shape, null);
      }
      return Math.toIntExact(shape.get(1));
    }
  }

  private static long countParameters(ZooModel<NDList, NDList> model) {
    long total = 0;
    for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
      if (p.getValue().isInitialized()) {
        total += p.getValue().getArray().getShape().size();
      }
    }
    return total;
  }

  private static void closeQuietly(ZooModel<?, ?> model) {
    if (model != null) {
      model.close();
    }
  }
}
