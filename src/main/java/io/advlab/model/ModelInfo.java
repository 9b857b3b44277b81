package io.advlab.model;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * What is being served.
 *
 * @param name model name
 * @param version version number
 * @param id {@code name:version}
 * @param source configured model URL or folder
 * @param engine deep learning engine
 * @param device where inference runs, e.g. {@code cpu()} or {@code gpu(0)}
 * @param inputShape N x C x H x W of one input
 * @param preprocessing how images become input
 * @param classes number of classes (network outputs)
 * @param parameterCount trainable parameters of the network
 */
@Schema(description = "A served model version", requiredProperties = {"name", "id", "source", "engine", "device",
    "inputShape", "preprocessing"})
public record ModelInfo(
    @Schema(example = "resnet18") String name,
    @Schema(example = "1") int version,
    @Schema(example = "resnet18:1") String id,
    @Schema(example = "djl://ai.djl.pytorch/resnet/0.0.1/traced_resnet18") String source,
    @Schema(example = "PyTorch") String engine,
    @Schema(example = "cpu()") String device,
    @Schema(example = "[1, 3, 224, 224]") List<Integer> inputShape,
    PreprocessingInfo preprocessing,
    @Schema(example = "1000") int classes,
    @Schema(example = "11689512") long parameterCount) {

  /**
   * Preprocessing as applied: pixels scaled to [0,1], shorter side resized to {@code resize}
   * (0: straight to width x height), optional center crop, then {@code (x - mean) / std}.
   */
  @Schema(requiredProperties = {"mean", "std"})
  public record PreprocessingInfo(int width, int height, int resize, boolean centerCrop, float[] mean, float[] std) {}

  static ModelInfo of(ServedModel served) {
    ClassifierModel model = served.model();
    Preprocessing p = model.preprocessing();
    return new ModelInfo(served.id().name(), served.id().version(), served.id().toString(), served.source(), "PyTorch", model.device().toString(),
        List.of(1, 3, p.height(), p.width()),
        new PreprocessingInfo(p.width(), p.height(), p.resize(), p.centerCrop(), p.mean(), p.std()),
        model.classes(), model.parameterCount());
  }
}
