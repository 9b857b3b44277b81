package io.advlab.security;

import io.advlab.problem.Problem;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.responses.ApiResponses;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents a management operation in the OpenAPI description: it needs the {@code bearer}
 * security scheme and may answer 401 or 403. It documents only; what is enforced is the list in
 * {@link AdminRequests}, so a new management path goes there too.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@SecurityRequirement(name = AdminOperation.SECURITY_SCHEME)
@ApiResponses({
    @ApiResponse(responseCode = "401", description = "No credentials: send `Authorization: Bearer <token>`",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class))),
    @ApiResponse(responseCode = "403", description = "Credentials refused or without the admin scope, or management"
        + " operations disabled on this instance (type `management-disabled`)",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
})
public @interface AdminOperation {

  /** Name of the HTTP bearer security scheme in the OpenAPI document. */
  String SECURITY_SCHEME = "bearer";
}
