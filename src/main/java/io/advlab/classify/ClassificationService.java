package io.advlab.classify;

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

  ClassificationResponse classify(ImageInput input, String modelRef, int topK) {
    try (ServedModel.Lease lease = models.acquire(modelRef)) {
      return classify(input, lease.served(), topK);
    }
  }

  private ClassificationResponse classify(ImageInput input, ServedModel served, int topK) {
    ClassifierModel model = served.model();
    long start = System.nanoTime();
    BufferedImage image = input.load(images);
    long decoded = System.nanoTime();
    float[] pixels = model.preprocessor().toInput(image);
    long preprocessed = System.nanoTime();
    float[] logits = served.batcher().logits(pixels);
    long inferred = System.nanoTime();

    Map<String, Double> timings = new LinkedHashMap<>();
    timings.put("decode", millis(start, decoded));
    timings.put("preprocess", millis(decoded, preprocessed));
    timings.put("inference", millis(preprocessed, inferred));
    timings.put("total", millis(start, System.nanoTime()));
    return new ClassificationResponse(
        UsedModel.of(served),
        Predictions.topK(logits, model.labels(), topK), timings);
  }

  private static double millis(long from, long to) {
    return Math.round((to - from) / 10_000.0) / 100.0;
  }
}
