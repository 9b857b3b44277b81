package io.advlab.attack;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Map;

/**
 * JSON form of an attack request: exactly one of {@code url} and {@code imageBase64}.
 *
 * @param url http(s) URL of the image; fetched only from public addresses
 * @param imageBase64 image bytes in base64, or a {@code data:image/...;base64,} URI
 * @param method the attack, one of {@code GET /api/v1/attacks}
 * @param params the method's parameters; absent ones take the catalogue's defaults
 * @param target class index a targeted attack aims for (absent: untargeted)
 * @param deadlineMs how long the attack may run before the best result so far is returned with
 *     {@code completed=false}; default {@code advlab.attack.deadline}, capped at
 *     {@code advlab.attack.max-deadline}
 * @param defence the defence to attack through, e.g. {@code {"type": "randomization"}}: the
 *     original and the result are judged through it, and {@code params.eot} draws of it are taken
 *     per gradient step
 * @param model the model to attack: {@code digits} (its default version) or {@code digits:2}; the
 *     default model when left out
 */
@Schema(description = "Attack an image given by URL or base64", requiredProperties = "method", example = """
    {"url": "https://example.org/seven.png", "method": "pgd",
     "params": {"eps": 0.1, "stepSize": 0.025, "steps": 20, "norm": "linf", "randomStart": true, "seed": 1},
     "target": 3}""")
public record AttackRequest(
    @Schema(example = "https://upload.wikimedia.org/wikipedia/commons/4/4d/Cat_November_2010-1a.jpg") String url,
    @Schema(description = "The image bytes in base64 (a `data:image/...;base64,` URI is accepted too)", format = "byte",
        example = "iVBORw0KGgoAAAANSUhEUgAA...") String imageBase64,
    @Schema(ref = AttackMethodNames.REF) String method,
    @Schema(description = "Method parameters (see GET /api/v1/attacks)",
        example = "{\"eps\": 0.03137, \"steps\": 10, \"norm\": \"linf\"}") Map<String, Object> params,
    @Schema(description = "Target class of a targeted attack", example = "3", minimum = "0") Integer target,
    @Schema(description = "Deadline in milliseconds", example = "30000", minimum = "1") Long deadlineMs,
    @Schema(description = "Defence the model is attacked through: {\"type\": \"randomization\", \"draws\": 30,"
        + " \"minSize\", \"maxSize\", \"flip\": false, \"seed\": 0}",
        example = "{\"type\": \"randomization\"}") Map<String, Object> defence,
    @Schema(description = "Model name, optionally with a version (name:version); default: the default model",
        example = "digits") String model) {}
