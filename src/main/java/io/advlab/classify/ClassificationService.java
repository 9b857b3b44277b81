package io.advlab.classify;

import io.advlab.defence.DefendedInference;
import io.advlab.defence.Defence;
import io.advlab.image.ImageInput;
import io.advlab.image.ImageLoader;
import io.advlab.model.ClassifierModel;
import io.advlab.model.ModelRegistry;
import io.advlab.model.Predictions;
import io.advlab.model.ServedModel;
import io.advlab.model.UsedModel;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * Decodes, preprocesses and classifies one image through the batched inference pool of the model
 * version the request names (the default where it names none).
 */
@Service
class ClassificationService {

  private final ImageLoader images;
  private final ModelRegistry models;

  ClassificationService(ImageLoader images, ModelRegistry models) {
    this.images = images;
    this.models = models;
  }

  /** @param defence the request's {@code defence} object, or null: the model as it is */
  ClassificationResponse classify(ImageInput input, String modelRef, int topK, Map<String, Object> defence) {
    try (ServedModel.Lease lease = models.acquire(modelRef)) {
      Defence parsed = DefendedInference.parse(defence, lease.served().model());
      return classify(input, lease.served(), topK, parsed);
    }
  }

  private ClassificationResponse classify(ImageInput input, ServedModel served, int topK, Defence defence) {
    ClassifierModel model = served.model();
    long start = System.nanoTime();
    BufferedImage image = input.load(images);
    long decoded = System.nanoTime();
    float[] pixels = model.preprocessor().toInput(image);
    long preprocessed = System.nanoTime();
    float[] logits = defence == null ? served.batcher().logits(pixels)
        : DefendedInference.logits(served.batcher(), model.preprocessing(), defence, pixels);
    long inferred = System.nanoTime();

    Map<String, Double> timings = new LinkedHashMap<>();
    timings.put("decode", millis(start, decoded));
    timings.put("preprocess", millis(decoded, preprocessed));
    timings.put("inference", millis(preprocessed, inferred));
    timings.put("total", millis(start, System.nanoTime()));
    return new ClassificationResponse(
        UsedModel.of(served),
        Predictions.topK(logits, model.labels(), topK), defence, timings);
  }

  private static double millis(long from, long to) {
    return Math.round((to - from) / 10_000.0) / 100.0;
  }
}
