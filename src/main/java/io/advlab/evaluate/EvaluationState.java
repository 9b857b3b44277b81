package io.advlab.evaluate;

/** Where an evaluation is in its life. */
@io.swagger.v3.oas.annotations.media.Schema(enumAsRef = true)
public enum EvaluationState { QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED }
