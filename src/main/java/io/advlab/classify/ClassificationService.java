package io.advlab.classify;

import io.advlab.image.ImageInput;
import io.advlab.image.ImageLoader;
import io.advlab.model.ClassifierModel;
import io.advlab.model.ImagePreprocessor;
import io.advlab.model.InferenceBatcher;
import io.advlab.model.Predictions;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Service;

/** Decodes, preprocesses and classifies one image through the batched inference pool. */
@Service
class ClassificationService {

  private final ImageLoader images;
  private final ImagePreprocessor preprocessor;
  private final InferenceBatcher batcher;
  private final ClassifierModel model;

  ClassificationService(ImageLoader images, ImagePreprocessor preprocessor, InferenceBatcher batcher,
      ClassifierModel model) {
    this.images = images;
    this.preprocessor = preprocessor;
    this.batcher = batcher;
    this.model = model;
  }

  ClassificationResponse classify(ImageInput input, int topK) {
    long start = System.nanoTime();
    BufferedImage image = input.load(images);
    long decoded = System.nanoTime();
    float[] pixels = preprocessor.toInput(image);
    long preprocessed = System.nanoTime();
    float[] logits = batcher.logits(pixels);
    long inferred = System.nanoTime();

    Map<String, Double> timings = new LinkedHashMap<>();
    timings.put("decode", millis(start, decoded));
    timings.put("preprocess", millis(decoded, preprocessed));
    timings.put("inference", millis(preprocessed, inferred));
    timings.put("total", millis(start, System.nanoTime()));
    return new ClassificationResponse(
        new ClassificationResponse.ModelRef(model.name(), model.device().toString()),
        Predictions.topK(logits, model.labels(), topK), timings);
  }

  private static double millis(long from, long to) {
    return Math.round((to - from) / 10_000.0) / 100.0;
  }
}
