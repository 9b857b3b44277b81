package io.advlab.problem;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.responses.ApiResponses;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Documents the problem+json errors every image-taking operation can answer. */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ApiResponses({
    @ApiResponse(responseCode = "200", description = "Success"),
    @ApiResponse(responseCode = "400", description = "Invalid parameter (the `field` member names it), no image, or a URL that is not allowed",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class))),
    @ApiResponse(responseCode = "404", description = "No such model or version (`model`)",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class))),
    @ApiResponse(responseCode = "413", description = "Image over the byte or pixel limit",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class))),
    @ApiResponse(responseCode = "415", description = "Not an image, or an unsupported format or content type",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class))),
    @ApiResponse(responseCode = "422", description = "Corrupt or truncated image, or the URL could not be fetched",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class))),
    @ApiResponse(responseCode = "503", description = "Busy, or the model is not ready (type `model-not-ready`, with the reason and the ready models): retry after the `Retry-After` header's seconds",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
})
public @interface ApiErrorResponses {}
